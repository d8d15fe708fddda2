#!/usr/bin/env bash
# The benchmark suite on this machine: sets up (with QuantLib, the CPU
# reference), builds, then runs both workloads on every available backend in
# float and double, writing results/bench-TAG-DATE.csv and .md.
# Usage: bench/run.sh [condorsim_bench options], e.g. --sizes 1e5,1e6
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --tests
build/bench/condorsim_bench "$@"
