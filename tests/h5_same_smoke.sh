#!/usr/bin/env bash
# tools/h5_same, the bit-for-bit check of the device job's 1e9-path run, on
# small runs: same seed at two chunk sizes and thread counts -> identical (0);
# another seed -> different (1); a missing file -> unreadable (2).
# Usage: tests/h5_same_smoke.sh path/to/condorsim path/to/h5_same scenarios/heston.toml scratch-dir
set -uo pipefail
condorsim=$1
h5_same=$2
scenario=$3
dir=$4
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "h5_same_smoke: $*" >&2; exit 1; }
run() { "$condorsim" run "$scenario" --paths 5000 --set run.days=5 -q "$@" || fail "condorsim run $*"; }
run --chunk-paths 1024 --threads 1 -o "$dir/a.h5"
run --chunk-paths 3072 --threads 2 -o "$dir/b.h5"
run --set run.seed=7 -o "$dir/c.h5"
"$h5_same" "$dir/a.h5" "$dir/b.h5" >"$dir/same.txt"
[[ $? -eq 0 ]] || fail "same seed, other chunks and threads: not identical ($(tail -1 "$dir/same.txt"))"
grep -q 'provenance differs: /@device' "$dir/same.txt" || fail "the thread count's device line not shown as provenance"
"$h5_same" "$dir/a.h5" "$dir/c.h5" >"$dir/other.txt"
[[ $? -eq 1 ]] || fail "another seed: not reported as different"
grep -q '^differs: /statistics/' "$dir/other.txt" || fail "another seed: no differing statistic listed"
"$h5_same" "$dir/a.h5" "$dir/missing.h5" 2>/dev/null
[[ $? -eq 2 ]] || fail "a missing file: exit status not 2"
echo "h5_same_smoke: ok"
