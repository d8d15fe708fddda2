#!/usr/bin/env bash
# The GPU warp model (bench/warp_model.cpp) at a small size on the CPU, so that
# it cannot rot: on the default scenario, the sort key of the GPU's path order
# (kernels/strategy_order.h) must cut the modelled warp cycles against path
# order under the same schedule (651d514's), and the oracle (sorted by what the
# trades did) must do at least as well as the key.
# Usage: tests/warp_model_smoke.sh path/to/warp_model
set -euo pipefail
out=$("$1" --paths 4096 2>/dev/null)
fail() { echo "warp_model_smoke: $*" >&2; echo "$out" >&2; exit 1; }
ratio() { echo "$out" | awk -v name="$1" '$1 == name {print $NF}'; }
path_order=$(ratio 651d514)
key=$(ratio key)
oracle=$(ratio oracle)
[[ -n $path_order && -n $key && -n $oracle ]] || fail "missing rows"
awk -v p="$path_order" -v k="$key" -v o="$oracle" 'BEGIN { exit !(k < 0.9 * p && o <= k) }' ||
  fail "path order $path_order, key $key, oracle $oracle"
echo "warp_model_smoke: modelled cycles against ad86aba: path order $path_order, key $key, oracle $oracle"
