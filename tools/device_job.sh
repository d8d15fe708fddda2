#!/usr/bin/env bash
# Runs on a lent GPU machine (see tools/device_pack.sh): build facts, the GPU
# tests, and the benchmark suite (both workloads, CUDA in float and double from
# 1e5 to 1e8 paths, the CPU at 1e5 and 1e6 paths, the ceilings and the floor),
# with logs, CSV and Markdown under $OUT.
# Usage: tools/device_job.sh [condorsim_bench options]
set -uo pipefail
cd "$(dirname "$0")/.."
export LD_LIBRARY_PATH=$PWD/.device/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export CONDOR_SOURCE_DIR=$PWD
out=${OUT:-/tmp/condorsim-device}
mkdir -p "$out"
bin=.device/bin
{
  nvidia-smi
  $bin/condorsim info
} > "$out/info.txt" 2>&1
$bin/test_gpu > "$out/test_gpu.log" 2>&1
$bin/test_reproducibility > "$out/test_reproducibility.log" 2>&1
# The QuantLib reference is the 2-core CI machine's business (results/bench-cpu-*).
$bin/condorsim_bench --sizes 1e5,1e6,1e7,1e8 --quantlib-paths 0 --output-dir "$out" "$@" > "$out/bench.log" 2>&1
tail -n 3 "$out"/*.log "$out"/*.txt
cat "$out"/bench-*.md
