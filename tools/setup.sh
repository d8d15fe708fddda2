#!/usr/bin/env bash
# Installs condorsim's build dependencies from Debian/Ubuntu packages (idempotent:
# apt runs only when something is missing) and configures + builds in build/.
# Usage: tools/setup.sh [--tests]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config git libhdf5-dev libcli11-dev libtomlplusplus-dev librandom123-dev)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(libgtest-dev libboost-math-dev libquantlib0-dev)  # test-only: GoogleTest, Boost.Math reference laws, QuantLib reference pricers
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "condorsim setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The CUDA toolkit's usual home, when it is not on PATH.
if ! command -v nvcc >/dev/null && [[ -x /usr/local/cuda/bin/nvcc ]]; then
  export PATH=/usr/local/cuda/bin:$PATH
fi

cmake_args=(-DCMAKE_BUILD_TYPE=Release)
if [[ "${1:-}" == "--tests" ]]; then cmake_args+=(-DCONDOR_BUILD_TESTS=ON); else cmake_args+=(-DCONDOR_BUILD_TESTS=OFF); fi
# CI compiles the CUDA code for Hopper only, to save time; users get Ampere..Hopper.
if [[ "${CI:-}" == "true" ]]; then cmake_args+=(-DCMAKE_CUDA_ARCHITECTURES=90); fi
cmake -S . -B build "${cmake_args[@]}"
cmake --build build -j "$(nproc)"
