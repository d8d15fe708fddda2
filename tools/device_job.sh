#!/usr/bin/env bash
# Runs on a lent GPU machine (see tools/device_pack.sh): build facts, the GPU
# tests, and the GPU benchmark, with logs and CSV under $OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
export LD_LIBRARY_PATH=$PWD/.device/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
out=${OUT:-/tmp/condorsim-device}
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1
.device/bin/condorsim info 2>&1 | tee "$out/info.txt"
.device/bin/test_gpu 2>&1 | tee "$out/test_gpu.log"
.device/bin/test_reproducibility 2>&1 | tee "$out/test_reproducibility.log"
.device/run_device.sh .device/bin/bench_paths 2>&1 | tee "$out/bench-gpu.csv"
