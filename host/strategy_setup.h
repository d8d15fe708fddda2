// Turns the strategies of a validated scenario into the plain structs the
// strategy kernel takes (kernels/strategy_params.h), with the pricing tables
// they mark from, built once per run from the scenario's Q model.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "host/pricing/spx_vol_table.h"
#include "host/pricing/vix_option_table.h"
#include "host/scenario.h"
#include "kernels/strategy_params.h"

namespace condor {

// The host tables a run marks from; the VIX table only when a strategy hedges.
struct StrategyTables {
    std::unique_ptr<SpxVolTable> spx;
    std::unique_ptr<VixOptionTable> vix;
    double build_seconds = 0;      // building them, or loading them from the table cache (host/table_cache.h)
    std::string source = "built";  // or where they were loaded from or saved to, and why the cache was not used
};

// Whether any strategy of `s` has VIX hedge layers (and so needs the VIX tables).
bool any_vix_hedge(const Scenario& s);

// Builds the tables with `threads` OpenMP threads (0: all cores).
std::shared_ptr<StrategyTables> build_strategy_tables(const Scenario& s, int threads);

// The kernel parameters, with table views into `tables` (host memory).
StrategyRunParams make_strategy_params(const Scenario& s, const StrategyTables& tables);

}  // namespace condor
