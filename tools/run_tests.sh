#!/usr/bin/env bash
# Sets up, builds and runs every test (CPU here; GPU tests skip with a reason
# where no GPU is visible).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --tests
build/condorsim info
cd build
ctest --output-on-failure -j "$(nproc)"
# ctest lists skipped tests without their reason; the GPU tests print it.
if ! ./condorsim info | grep -q "visible GPUs: [1-9]"; then
  echo "GPU tests skipped: $(./tests/test_gpu --gtest_filter='Gpu.PathsAgree*' | grep -A1 ': Skipped' | tail -1)"
fi
