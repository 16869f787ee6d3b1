# The same as the README's two commands, plus a recipe per step. `just --list` shows them all.

# Run the default comparison (bench.yaml) and print the tables.
bench profile="bench.yaml":
    scripts/bench {{profile}}

# The whole test suite: setup, build, lint, every test.
test:
    scripts/test

# Install what the project needs (Debian packages, oha, just, venvs, the Rust build).
bootstrap:
    scripts/bootstrap

# Configure and build the harness, its tests and the C++ server into build/.
build:
    scripts/build

# clang-format, ruff, clippy.
lint:
    scripts/lint

# Every test under ctest (needs bootstrap and build).
ctest *args:
    ctest --test-dir build --output-on-failure {{args}}

# Check a bench.yaml without running it.
validate profile="bench.yaml": build
    build/bin/harness validate {{profile}}

# Start a seeded throwaway Postgres and print its DSN; `just db-down` stops it.
db-up: build
    build/bin/harness db up

db-down: build
    build/bin/harness db down

# Google Benchmark microbenchmarks; JSON saved under results/microbench/.
microbench *args:
    scripts/microbench {{args}}

# The nightly regression gate: run bench.nightly.yaml, compare it with results/baseline/.
nightly:
    scripts/nightly

# Run the nightly profile and make it results/baseline/ (commit it afterwards).
baseline:
    scripts/nightly --baseline

# A run's report again, the newest by default, or several side by side (--format json|csv).
report *args: build
    build/bin/harness report {{args}}

# Compare two runs (directories or results.json files); exit 1 when anything regressed.
compare base new *args: build
    build/bin/harness compare {{base}} {{new}} {{args}}

# Fuzz the parsers of bench.yaml, results.json and oha's JSON with libFuzzer, SECONDS per target.
fuzz seconds="60" *targets:
    scripts/fuzz {{seconds}} {{targets}}

# cpp-beast under ASan and UBSan: conformance and abuse tests, no sanitizer report allowed.
asan: build
    scripts/asan-check
