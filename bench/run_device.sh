#!/usr/bin/env bash
# Paths-only GPU throughput (CUDA events after a warm-up run): 1e6 and 1e7 paths
# x 252 daily steps, Heston and the default SVCJ scenario, float and double.
# Usage: bench/run_device.sh [path/to/bench_paths]
set -euo pipefail
bench=${1:-build/bench/bench_paths}
first=--header
for paths in 1000000 10000000; do
  for model in heston svcj; do
    for precision in float double; do
      "$bench" $first --backend cuda --model "$model" --precision "$precision" --paths "$paths" --days 252
      first=
    done
  done
done
