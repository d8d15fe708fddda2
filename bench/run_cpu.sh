#!/usr/bin/env bash
# Paths-only CPU throughput, 1e6 paths x 252 daily steps, Heston and the default
# SVCJ scenario in float and double (results/bench-cpu-DATE.csv), then marks per
# second from the SPX implied-vol and VIX option tables
# (results/bench-marks-cpu-DATE.csv).
# Usage: bench/run_cpu.sh [build-dir]   (build first: tools/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=results/bench-cpu-$(date -u +%F).csv
mkdir -p results
{
  first=--header
  for model in heston svcj; do
    for precision in float double; do
      "$build/bench/bench_paths" $first --backend cpu --model "$model" --precision "$precision" --paths 1000000 --days 252
      first=
    done
  done
} | tee "$out"
echo "wrote $out" >&2

# Marks per second from the SPX implied-vol and VIX option tables (and their build times).
marks_out=results/bench-marks-cpu-$(date -u +%F).csv
{
  "$build/bench/bench_marks" --header --instrument spx-put
  "$build/bench/bench_marks" --instrument vix-call
} | tee "$marks_out"
echo "wrote $marks_out" >&2
