#!/usr/bin/env bash
# Runs on a lent GPU machine (see tools/device_pack.sh): build facts, the GPU
# tests, the GPU path benchmark, and the ALVH question timed on GPU and CPU,
# with logs, CSV and results files under $OUT.
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
.device/run_device.sh $bin/bench_paths > "$out/bench-gpu.csv" 2>&1
# The ALVH question: 1e6 paths on the GPU in double and float, and on the CPU cores.
# (At most 8 files come back: one results file, one log of all three runs.)
for run in "cuda double" "cuda float" "cpu double"; do
  set -- $run
  echo "== condorsim run scenarios/alvh_question.toml --paths 1000000 --backend $1 --precision $2"
  $bin/condorsim run scenarios/alvh_question.toml --paths 1000000 --backend "$1" --precision "$2" \
    -o "/tmp/alvh-$1-$2.h5" 2>&1
done > "$out/alvh-runs.txt"
cp /tmp/alvh-cuda-double.h5 "$out/" 2>/dev/null
tail -n 3 "$out"/*.log "$out"/*.txt
