#!/usr/bin/env bash
# Runs on a lent GPU machine (see tools/device_pack.sh). Stages, in the order
# given (default: all but big):
#   info     nvidia-smi and `condorsim info`
#   tests    the GPU tests (test_gpu)
#   profile  Nsight Compute on the strategy kernel (1e5 paths, double)
#   e2e      `condorsim run --paths 1e7` end to end, cold, then with cached tables
#   tables   the pricing tables built cold on 1, 2, 4, 8 and all host threads,
#            each table's seconds (why 16 cores took 1.5 s: docs/performance.md)
#   bench    the suite at 1e5-1e7 paths (CUDA float/double, CPU up to 1e6)
#   big      the suite's CUDA rows at 1e8 paths
#   billion  1e9 Heston paths (21 days) with 16 GiB of the GPU free, auto chunks
#            and a different chunk size, compared bit for bit (h5_same)
#   ab       `condorsim run --paths 1e7` by this commit, by the baseline
#            (device_pack.sh --baseline REV) and by the commits packed with
#            --also, interleaved, tables cached, then each results.h5 compared
#            with this commit's (h5_same)
# Each stage has a time limit; logs, CSV and Markdown go to $OUT, the logs also
# as one logs.tar.gz (the device tool brings back at most 8 files).
# Usage: tools/device_job.sh [stage...]
set -uo pipefail
cd "$(dirname "$0")/.."
export LD_LIBRARY_PATH=$PWD/.device/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export CONDOR_SOURCE_DIR=$PWD
out=${OUT:-/tmp/condorsim-device}
logs=/tmp/condorsim-device-logs
mkdir -p "$out" "$logs"
bin=$PWD/.device/bin
stages=("$@")
(( ${#stages[@]} )) || stages=(info tests profile e2e bench billion)

# step NAME SECONDS COMMAND...: runs COMMAND under a time limit into $logs/NAME.log.
step() {
  local name=$1 limit=$2 start=$SECONDS rc
  shift 2
  # A child bash, so that COMMAND may be one of the functions below (exported).
  timeout --kill-after=5 "$limit" bash -c '"$@"' step "$@" > "$logs/$name.log" 2>&1
  rc=$?
  printf '%-16s rc=%-3s %4d s\n' "$name" "$rc" $((SECONDS - start)) | tee -a "$logs/steps.txt"
  tar -czf "$out/logs.tar.gz" -C "$logs" .
  return $rc
}

info() {
  nvidia-smi
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.free,clocks.sm,clocks.max.sm,power.limit --format=csv
  nproc
  "$bin/condorsim" info
}

profile() {
  local ncu report=/tmp/strategy
  ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -n 1)
  [[ -n $ncu ]] || { echo "no ncu"; return 1; }
  "$ncu" --clock-control none --kernel-name-base demangled -k regex:StrategyChunkFn -c 1 \
    --section SpeedOfLight --section Occupancy --section LaunchStats --section MemoryWorkloadAnalysis \
    --section ComputeWorkloadAnalysis --section WarpStateStats --section SchedulerStats \
    --section SourceCounters -f -o "$report" \
    "$bin/condorsim" run --paths 100000 --no-table-cache -o /tmp/profile.h5
  "$ncu" -i "$report.ncu-rep" --page details
  # Stall samples per machine instruction, and the machine code with its source
  # lines (built with -lineinfo), to be joined on the instruction's address.
  "$ncu" -i "$report.ncu-rep" --page source --csv --print-source sass | gzip > "$out/ncu-source-sass.csv.gz"
  "$ncu" -i "$report.ncu-rep" --page source --csv --print-source cuda,sass | gzip > "$out/ncu-source-cuda.csv.gz" || true
  ( cd /tmp && cuobjdump -xelf all "$bin/condorsim" >/dev/null &&
    for f in /tmp/*.cubin; do nvdisasm -g -c "$f"; done | gzip > "$out/sass-lines.txt.gz" ) || true
}

# End to end (tables, simulation, statistics, HDF5) on the standard workload's
# 1e7 paths: cold, then with the pricing tables loaded from the table cache.
e2e() {
  local cache
  cache=$(mktemp -d)
  for run in cold warm; do
    /usr/bin/time -f "$run: %e s wall" "$bin/condorsim" run --paths 10000000 --table-cache "$cache" \
      -o "/tmp/e2e-$run.h5"
  done
}

# The pricing tables built cold with 1, 2, 4, 8 and all the host's threads, each
# table's build seconds (`condorsim run` prints them when it builds).
tables() {
  local t
  for t in 1 2 4 8 "$(nproc)"; do
    echo "== $t threads"
    "$bin/condorsim" run --paths 1024 --no-table-cache --threads "$t" -o /tmp/tables.h5 2>/dev/null |
      grep -E "pricing tables|table builds"
  done
}

billion() {
  local ballast_pid common=(run scenarios/heston.toml --paths 1000000000 --set run.days=21)
  "$bin/gpu_ballast" 16 > /tmp/ballast.log 2>&1 &
  ballast_pid=$!
  for _ in $(seq 100); do grep -q ready /tmp/ballast.log 2>/dev/null && break; sleep 0.2; done
  cat /tmp/ballast.log
  nvidia-smi --query-gpu=memory.total,memory.used,memory.free --format=csv
  /usr/bin/time -f "auto chunks: %e s wall, %M KB host" "$bin/condorsim" "${common[@]}" -o /tmp/billion-a.h5
  /usr/bin/time -f "3e6-path chunks: %e s wall, %M KB host" "$bin/condorsim" "${common[@]}" \
    --chunk-paths 3000000 -o /tmp/billion-b.h5
  kill "$ballast_pid"
  "$bin/h5_same" /tmp/billion-a.h5 /tmp/billion-b.h5
}

# This commit against the baseline build (and any --also builds) on the same
# GPU: two interleaved rounds after one run each that fills its table cache
# (their keys differ).
ab() {
  [[ -x $bin/condorsim-baseline ]] || { echo "no baseline: tools/device_pack.sh --baseline REV"; return 1; }
  local exes=("$bin/condorsim-baseline") names=(baseline) exe name i round
  for exe in "$bin"/condorsim-at-*; do
    [[ -x $exe ]] || continue
    exes+=("$exe") names+=("${exe##*/condorsim-}")
  done
  exes+=("$bin/condorsim") names+=(new)
  for i in "${!exes[@]}"; do
    mkdir -p "/tmp/ab-cache-${names[i]}"
    "${exes[i]}" run --paths 100000 --table-cache "/tmp/ab-cache-${names[i]}" -q -o /tmp/ab-fill.h5
  done
  for round in 1 2; do
    for i in "${!exes[@]}"; do
      name=${names[i]}
      echo "== $name, round $round"
      /usr/bin/time -f "$name: %e s wall" "${exes[i]}" run --paths "${AB_PATHS:-10000000}" \
        --table-cache "/tmp/ab-cache-$name" -o "/tmp/ab-$name.h5" | grep -E "^  time |strategy kernel"
    done
  done
  for name in "${names[@]}"; do
    [[ $name == new ]] && continue
    echo "== $name against new"
    "$bin/h5_same" "/tmp/ab-$name.h5" /tmp/ab-new.h5
  done
}

export -f info profile e2e tables billion ab
export bin out logs
for stage in "${stages[@]}"; do
  case $stage in
    info) step info 30 info ;;
    tests) step test_gpu 75 "$bin/test_gpu" ;;
    profile) step profile 150 profile ;;
    e2e) step e2e 60 e2e ;;
    tables) step tables 60 tables ;;
    bench) step bench 120 "$bin/condorsim_bench" --sizes 1e5,1e6,1e7 --quantlib-paths 0 --output-dir "$out" ;;
    big) step big 180 "$bin/condorsim_bench" --backends cuda --sizes 1e8 --quantlib-paths 0 --output-dir "$out" \
           --tag "$(nvidia-smi --query-gpu=name --format=csv,noheader | awk '{print tolower($2)}')-1e8" ;;
    billion) step billion 80 billion ;;
    ab) step ab 240 ab ;;
    *) echo "unknown stage $stage" ;;
  esac
done
pkill -f gpu_ballast  # in case a stage's time limit cut it short
cat "$logs/steps.txt"
tail -n 4 "$logs"/*.log
cat "$out"/bench-*.md 2>/dev/null
