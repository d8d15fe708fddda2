#!/usr/bin/env bash
# Builds for Hopper (sm_90) in build-device/ and packs what a lent GPU machine
# needs into .device/ (ignored): the binaries and the non-glibc shared libraries
# they load, found by ldd. The device machine has the CUDA driver but not our
# Debian libraries. Then, with the `device` tool:
#   run(command="tools/device_job.sh", carry=[".device"])
#   (see device_job.sh for its stages)
# Usage: tools/device_pack.sh [--baseline REV] [--also REV[,REV...]]
#   --baseline REV  also builds REV's condorsim the same way, packed as
#                   condorsim-baseline, for device_job.sh's `ab` stage (the
#                   commits timed side by side on the same GPU)
#   --also REVS     commits between the baseline and this one, packed as
#                   condorsim-at-REV, timed in the same `ab` stage: what each
#                   change did, from one call (each adds about 5 MB; the
#                   working tree that travels may hold 64 MiB)
set -euo pipefail
baseline= also=
while (( $# )); do
  case $1 in
    --baseline) baseline=${2:?"--baseline needs a revision"}; shift 2 ;;
    --also) also=${2:?"--also needs revisions"}; shift 2 ;;
    *) echo "device_pack.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
tools/setup.sh --tests >/dev/null  # the Debian packages; also builds build/ for this machine
export PATH=/usr/local/cuda/bin:$PATH
# Not -march=native (this machine's AVX-512 may be missing there) but x86-64-v3:
# AVX2, which every GPU server's host processor has, so the CPU rows of the
# device's benchmark run on 4-path vector lanes (same bits as any other build).
device_flags=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 -DCONDOR_BUILD_TESTS=ON -DCONDOR_NATIVE=OFF
  -DCMAKE_CXX_FLAGS=-march=x86-64-v3 -DCONDOR_BENCH_QUANTLIB=OFF
  # Source lines for Nsight Compute's stall sampling; the machine code is the same.
  -DCMAKE_CUDA_FLAGS=-lineinfo)
cmake -S . -B build-device "${device_flags[@]}" >/dev/null
cmake --build build-device -j "$(nproc)" --target condorsim condorsim_bench test_gpu h5_same >/dev/null
# build_revision REV DIR: REV's condorsim, built like this one, in DIR/build
# (kept between packs: a DIR already at REV is only brought up to date).
build_revision() {
  local want
  want=$(git rev-parse "$1^{commit}")
  if [[ $(git -C "$2/src" rev-parse HEAD 2>/dev/null) != "$want" ]]; then
    rm -rf "$2" && git worktree prune
    git worktree add --detach "$2/src" "$want" >/dev/null
  fi
  cmake -S "$2/src" -B "$2/build" "${device_flags[@]}" >/dev/null
  cmake --build "$2/build" -j "$(nproc)" --target condorsim >/dev/null
}
[[ -z $baseline ]] || build_revision "$baseline" build-baseline
IFS=, read -r -a also_revs <<< "$also"
for rev in "${also_revs[@]}"; do build_revision "$rev" "build-at-$rev"; done

rm -rf .device && mkdir -p .device/bin .device/lib
cp build-device/condorsim build-device/bench/condorsim_bench build-device/tests/test_gpu \
   build-device/tests/h5_same .device/bin/
[[ -z $baseline ]] || cp build-baseline/build/condorsim .device/bin/condorsim-baseline
for rev in "${also_revs[@]}"; do cp "build-at-$rev/build/condorsim" ".device/bin/condorsim-at-$rev"; done
nvcc -O2 -arch=sm_90 -o .device/bin/gpu_ballast tools/gpu_ballast.cu
# glibc and the dynamic loader must come from the machine itself.
for bin in .device/bin/*; do
  ldd "$bin" | awk '/=> \// {print $3}'
done | sort -u | grep -Ev '/(libc|libm|libdl|libpthread|librt|libresolv|ld-linux[^/]*)\.so' |
  while read -r lib; do cp -L "$lib" .device/lib/; done
# The working tree that travels is limited to 64 MiB.
strip --strip-unneeded .device/bin/* .device/lib/*
du -sh .device
