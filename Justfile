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
