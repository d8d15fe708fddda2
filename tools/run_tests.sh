#!/usr/bin/env bash
# Sets up, builds and runs every test (CPU here; GPU tests skip with a reason
# where no GPU is visible).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --tests
build/condorsim info
cd build
ctest --output-on-failure -j "$(nproc)"
