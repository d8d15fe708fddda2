// The model side of the simulated method of moments: the stylised facts of
// histories simulated by the engine's own path code (kernels/path.h), each as
// long as the data, from the model's stationary mean after a burn-in. The same
// seed gives the same shocks for any parameters (common random numbers), so the
// objective is a deterministic function of the parameters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "host/calibration/stylised_facts.h"
#include "host/scenario.h"

namespace condor {

struct HistorySettings {
    int histories = 48;         // independent simulated histories
    int burn_in_days = 500;     // simulated and dropped before each history
    std::uint64_t seed = 20261127;
    int threads = 0;            // 0 = all cores
};

struct ModelMoments {
    MomentVector mean;                        // over histories (NaN entries skipped)
    MomentVector sd;                          // across histories: one data-length history's sampling sd
    std::vector<MomentVector> per_history;
};

// The scenario as the calibration simulates it: P, one sub-step a day, QE,
// without events, shocks or regime switching, from the stationary means
// x0 = theta_x + phi lambda mu_v / kappa_x and y0 = (1 - phi) lambda mu_v / kappa_y.
Scenario calibration_scenario(const Scenario& s);

// Moments of `settings.histories` histories of `days` trading days.
ModelMoments simulate_moments(const Scenario& s, std::size_t days, const HistorySettings& settings);

// One simulated history (the path with index `path`): VIX and SPX closes of
// days 0..days-1 after the burn-in. Used by tests and by simulate_moments.
void simulate_history(const Scenario& calibration, std::size_t days, int burn_in_days, std::uint32_t path,
                      double* vix, double* spx);

}  // namespace condor
