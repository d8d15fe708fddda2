// The two standard workloads of the benchmark suite (docs/performance.md).
//
// paths-only: the default scenario's Heston special case (no jumps, y = 0),
//   252 steps of one trading day, terminal statistics only.
// standard: the default scenario itself (the calibrated SVCJ model, 200-day
//   warm-up, then the 45-calendar-day condor, 31 trading days, naked and ALVH
//   with 3 layers on the same paths).
#pragma once

#include <cstdint>
#include <string>

#include "host/scenario.h"

namespace condor::bench {

struct WorkloadRun {
    Scenario scenario;
    int steps = 0;               // sub-steps per path
    bool terminal_only = false;  // statistics of the last close only
};

// Throws std::invalid_argument for a name other than "paths-only" or "standard".
WorkloadRun make_workload(const std::string& name, std::uint64_t paths);

}  // namespace condor::bench
