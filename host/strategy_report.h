// The strategy part of the summary `condorsim run` prints (and `condorsim
// report` reprints from results.h5): per strategy and path class, the paired
// comparisons and the verdict.
#pragma once

#include <string>

#include "host/strategy_stats.h"

namespace condor {

std::string strategy_report(const StrategyResults& results);

}  // namespace condor
