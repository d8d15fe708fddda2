#!/usr/bin/env bash
# Machine code of the strategy kernel (double) and of each function it calls,
# in bytes, for Hopper (sm_90), without a GPU: nvcc compiles
# kernels/launch_cuda.cu to a cubin and readelf lists its function symbols.
# The kernel's warps wait mostly for instruction fetch (docs/performance.md,
# "Instruction footprint"), so these sizes are a figure of merit of their own.
# Usage: tools/gpu_code_size.sh [nvcc flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
cubin=$(mktemp --suffix=.cubin)
trap 'rm -f "$cubin"' EXIT
"$nvcc" -DCONDOR_HAVE_CUDA -I. -O3 -DNDEBUG -arch=sm_90 -cubin --expt-relaxed-constexpr -std=c++17 \
  -Xptxas -v "$@" -o "$cubin" kernels/launch_cuda.cu 2>&1 |
  awk '/Compiling entry function/ {on = /StrategyChunkFnIdE/; frame = 0}
       on && /stack frame/ && !frame++ {print} on && /Used [0-9]+ registers/ {print}' | sed 's/^ptxas info *: */  /'
# Symbols: the kernel itself, then its callees, named $kernel$callee (local).
readelf -sW "$cubin" | awk '$4 == "FUNC" && /StrategyChunkFnIdE/ {print $3, $NF}' |
  while read -r size name; do
    if [[ $name == \$* ]]; then
      label=$(c++filt "${name##*\$}" | sed 's/(.*//; s/condor:://g; s/^[a-z]* //')
    else
      label="the kernel's section (its own code and its callees)"
    fi
    printf '%8d  %s\n' "$((size))" "$label"
  done | sort -rn
