// The human-readable summary printed at the end of `condorsim run`.
#pragma once

#include <ostream>
#include <string>

#include "host/engine.h"
#include "host/scenario.h"

namespace condor {

void print_summary(std::ostream& os, const Scenario& scenario, const RunOutput& output, const std::string& file);

}  // namespace condor
