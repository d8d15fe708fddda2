#!/usr/bin/env bash
# Runs on a lent GPU machine (see tools/device_pack.sh): build facts, the GPU
# tests, and the benchmark suite (both workloads, CUDA in float and double from
# 1e5 to 1e8 paths, the CPU at 1e5 and 1e6 paths, the ceilings and the floor),
# the end-to-end run with cold and cached tables, with logs, CSV and Markdown
# under $OUT.
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
# End to end (tables, simulation, statistics, HDF5) on the standard workload's
# 1e7 paths: cold, then with the pricing tables loaded from the table cache.
cache=$(mktemp -d)
for run in cold warm; do
  /usr/bin/time -f "$run: %e s wall" $bin/condorsim run --paths 10000000 --table-cache "$cache" \
    -o "/tmp/e2e-$run.h5" > "$out/e2e-$run.log" 2>&1
done
# The QuantLib reference is the 2-core CI machine's business (results/bench-cpu-*).
$bin/condorsim_bench --sizes 1e5,1e6,1e7,1e8 --quantlib-paths 0 --output-dir "$out" "$@" > "$out/bench.log" 2>&1
tail -n 3 "$out"/*.log "$out"/*.txt
cat "$out"/bench-*.md
