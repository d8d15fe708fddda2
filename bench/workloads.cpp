#include "bench/workloads.h"

#include <stdexcept>
#include <vector>

namespace condor::bench {

WorkloadRun make_workload(const std::string& name, std::uint64_t paths) {
    std::vector<std::string> overrides = {"run.paths=" + std::to_string(paths), "run.sample_paths=0"};
    WorkloadRun w;
    if (name == "paths-only") {
        for (const char* o :
             {"run.days=252", "run.substeps_per_day=1", "model.p.lambda=0.0", "model.q.lambda=0.0", "state.y0=0.0"})
            overrides.push_back(o);
        w.scenario = load_scenario_text(default_scenario_text(), kDefaultScenarioName, overrides).without_strategies();
        if (w.scenario.regime.enabled || !w.scenario.events.empty() || !w.scenario.shocks.empty())
            throw std::logic_error("paths-only workload: the default scenario is no longer a plain SVCJ model");
        w.terminal_only = true;
    } else if (name == "standard") {
        w.scenario = load_scenario_text(default_scenario_text(), kDefaultScenarioName, overrides);
        if (w.scenario.strategies.size() != 2)
            throw std::logic_error("standard workload: the default scenario no longer has two strategies");
    } else {
        throw std::invalid_argument("unknown workload \"" + name + "\" (paths-only or standard)");
    }
    w.steps = w.scenario.simulated_days() * w.scenario.run.substeps_per_day;
    return w;
}

}  // namespace condor::bench
