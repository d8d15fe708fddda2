// A scenario: everything one run needs, as read from a TOML file and validated.
// The format is documented in docs/scenario-format.md.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/model_params.h"

namespace condor {

enum class Measure { physical, risk_neutral };  // "P" / "Q" in scenario files
enum class Scheme { qe, euler };                 // Andersen QE; full-truncation Euler (reference only)
enum class SizeDistribution { fixed, exponential, lognormal };

struct ModelParams {
    SharedParams shared;
    MeasureParams p;  // physical measure: simulates paths
    MeasureParams q;  // risk-neutral measure: marks instruments and the VIX index
};

struct InitialState {
    double x0 = 0;  // slow variance factor at day 0, annual variance
    double y0 = 0;  // spike variance factor at day 0, annual variance
};

// Optional two-state Markov regime under P (DESIGN §3 (d)): the stressed state
// replaces theta_x and lambda of model.p.
struct RegimeParams {
    bool enabled = false;
    bool start_stressed = false;
    double theta_x_stressed = 0;     // annual variance
    double lambda_stressed = 0;      // jumps per year
    double to_stressed_per_year = 0; // calm -> stressed transition intensity
    double to_calm_per_year = 0;     // stressed -> calm transition intensity
};

// A scheduled event (FOMC, CPI...): at the close of `day` it happens with
// `probability`; if it does, y jumps by a size from `size_dist` and SPX moves.
struct ScheduledEvent {
    std::string name;
    int day = 0;               // trading day, 1-based, its close
    double probability = 0;    // in [0, 1]
    SizeDistribution size_dist = SizeDistribution::exponential;
    double size_mean = 0;      // mean jump of y, annual variance
    double size_sd = 0;        // sd of the jump of y (lognormal only), annual variance
    double spx_move_mean_pct = 0;  // mean SPX move on the event, percent
    double spx_move_sd_pct = 0;    // sd of that move, percent
};

// A forced stress shock: at the close of `day`, SPX moves by spx_move_pct and
// VIX is set to vix_level through y; then the dynamics take over.
struct StressShock {
    int day = 0;              // trading day, 1-based
    double spx_move_pct = 0;  // percent, > -100
    double vix_level = 0;     // VIX points
};

struct RunSettings {
    int days = 252;              // horizon in trading days
    int substeps_per_day = 1;    // time steps per trading day
    std::uint64_t paths = 100000;
    std::uint64_t seed = 1;
    Measure measure = Measure::physical;
    Scheme scheme = Scheme::qe;
    int sample_paths = 100;      // full paths kept in the output (at most `paths`)
    std::uint64_t chunk_paths = 0;  // paths per chunk; 0 = chosen by the backend
};

struct Scenario {
    std::string source_path;  // file name used in messages
    std::string text;         // the file's text as read
    std::vector<std::string> overrides;  // --set key=value, in order

    MarketParams market;
    ModelParams model;
    InitialState state;
    RegimeParams regime;
    std::vector<ScheduledEvent> events;
    std::vector<StressShock> shocks;
    RunSettings run;

    std::vector<std::string> warnings;  // e.g. Feller-condition violations
};

// Every rejection of bad input: `what()` is one line "file:line: key: message".
class ScenarioError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses and validates a scenario file, then applies `overrides` ("key=value",
// the value in TOML syntax; a bare word is taken as a string), validating the
// result the same way. Throws ScenarioError.
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides);

// Same, from text already in memory (`source_path` names it in messages).
Scenario load_scenario_text(const std::string& text, const std::string& source_path,
                            const std::vector<std::string>& overrides);

// The shipped scenarios/default.toml, compiled into the binary.
const std::string& default_scenario_text();
inline constexpr const char* kDefaultScenarioName = "scenarios/default.toml";

}  // namespace condor
