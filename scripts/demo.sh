#!/usr/bin/env bash
# Builds relate and runs the demo (examples/demo.c). Arguments go to the demo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh >&2
cmake -S . -B build >&2
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target demo >&2
exec build/examples/demo "$@"
