// Turns a validated scenario into the plain structs the kernels take.
#pragma once

#include <string>
#include <vector>

#include "host/scenario.h"
#include "kernels/chunk.h"
#include "kernels/sim_params.h"
#include "kernels/vix_index.h"

namespace condor {

// The measure paths are simulated under: P, or Q (drift r - q, Q parameters,
// no equity premium, no regime switching).
MeasureParams simulation_measure(const Scenario& s);

// What a Q run leaves out of the scenario (events, shocks, regime), as warnings.
std::vector<std::string> ignored_under_q(const Scenario& s);

template <class Real>
SimParams<Real> make_sim_params(const Scenario& s);

// Histogram ranges of the statistics (docs/results-format.md); with
// `terminal_only`, rows for the last close alone (the paths-only benchmark).
StatsLayout make_stats_layout(const Scenario& s, bool terminal_only = false);

}  // namespace condor
