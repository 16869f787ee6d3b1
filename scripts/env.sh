# Sourced by the other scripts: the paths and pinned versions they share.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
export PATH="$HOME/.cargo/bin:$PATH"

# Pinned tools from the crate registry. oha 1.6–1.13 have --latency-correction inverted in -n
# mode and JSON output needs ≥ 1.9; the harness refuses anything older than 1.14.
# shellcheck disable=SC2034  # read by the scripts that source this file
OHA_VERSION=1.15.0
# shellcheck disable=SC2034
JUST_VERSION=1.59.0

log() { printf '==> %s\n' "$*" >&2; }
