#!/usr/bin/env bash
# The GPU warp model (bench/warp_model.cpp) at a small size on the CPU, so that
# it cannot rot: the sort key of the GPU's path order (kernels/strategy_order.h)
# must cut the modelled warp cycles of the default scenario against path order,
# and the oracle (sorted by what the trades did) must do at least as well.
# Usage: tests/warp_model_smoke.sh path/to/warp_model
set -euo pipefail
out=$("$1" --paths 4096 2>/dev/null)
fail() { echo "warp_model_smoke: $*" >&2; echo "$out" >&2; exit 1; }
ratio() { echo "$out" | awk -v name="$1" 'index($0, name) == 1 {print $NF}'; }
key=$(ratio trade_order_key)
oracle=$(ratio oracle)
[[ -n $key && -n $oracle ]] || fail "missing rows"
awk -v k="$key" -v o="$oracle" 'BEGIN { exit !(k < 0.9 && o <= k) }' || fail "key $key, oracle $oracle"
echo "warp_model_smoke: modelled cycles against path order: key $key, oracle $oracle"
