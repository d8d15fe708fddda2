#!/usr/bin/env bash
# The runs behind docs/alvh-verdict.md: the ALVH question, its sensitivity to
# the assumptions, every episode scenario and the stress grid, each printed in
# full (summary table, paired comparison, verdict) to one log.
# Usage: tools/alvh_study.sh [PATHS] [BACKEND] [CONDORSIM] > study.txt
set -uo pipefail
cd "$(dirname "$0")/.."
paths=${1:-200000}
backend=${2:-auto}
condorsim=${3:-build/condorsim}
run() {  # name, scenario, extra arguments
  local name=$1 scenario=$2
  shift 2
  echo "=== $name: condorsim run $scenario --paths $paths $*"
  "$condorsim" run "$scenario" --paths "$paths" --backend "$backend" -o "/tmp/alvh-study-$name.h5" "$@" 2>&1 |
    grep -v "warning: .*Feller"
  rm -f "/tmp/alvh-study-$name.h5"
}
q=scenarios/alvh_question.toml
run question "$q"
run equal_risk_budget "$q" --set 'strategy[0].sizing.hedge_reserve_pct=0'
run alvh_without_delta_breach "$q" --set 'strategy[1].exit.delta_breach=0'
run no_delta_breach "$q" --set 'strategy[0].exit.delta_breach=0' --set 'strategy[1].exit.delta_breach=0'
run double_hedge "$q" --set 'strategy[1].hedge.layer[0].size=0.4' --set 'strategy[1].hedge.layer[1].size=0.4' \
  --set 'strategy[1].hedge.layer[2].size=0.2' --set 'strategy[1].sizing.hedge_reserve_pct=50' \
  --set 'strategy[0].sizing.hedge_reserve_pct=50'
run no_variance_premium "$q" --set 'run.measure="Q"'
for f in event_fomc_cpi feb2018 mar2020 aug2024 apr2025; do run "$f" "scenarios/$f.toml"; done
for f in scenarios/stress_grid/*.toml; do run "grid_$(basename "$f" .toml)" "$f"; done
