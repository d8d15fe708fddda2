// A scenario: everything one run needs, as read from a TOML file and validated.
// The format is documented in docs/scenario-format.md.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/model_params.h"
#include "kernels/strategy_params.h"

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

// Stop on precision instead of a path count (DESIGN §6): batches of
// batch_paths run until the 95% CI half-width of the statistic is at most
// half_width, or run.paths (the cap) is reached. Checked only at batch ends, so
// the stopping point, and every result, is reproducible.
enum class PrecisionStatistic { pnl_mean, pnl_diff, exit_day_diff };
struct PrecisionStop {
    bool enabled = false;
    PrecisionStatistic statistic = PrecisionStatistic::pnl_diff;
    std::string strategy;      // for pnl_mean; "" = the first strategy
    double half_width = 0;     // percent of the risk budget (P&L) or trading days (exit day)
    std::uint64_t batch_paths = 65536;
};

// ---- strategies (DESIGN §5; docs/scenario-format.md, "Strategies") --------------

struct TradeSettings {
    int warmup_days = 0;     // trading days simulated before entry (indicator history)
    double equity = 1e6;     // account equity, dollars
};

struct PathClassRules {
    double spike_rise_pct = 30;  // spike: a close >= entry VIX * (1 + pct/100)
    double reversion_pct = 50;   // reversion: a later close gives back this percent of the rise to the peak
    int window_days = 0;         // trading days after entry; 0 = the longest condor life
};

struct CostRules {
    double spx_half_spread_min = 0.05, spx_half_spread_pct = 1.0;  // points; percent of mid
    double vix_half_spread_min = 0.025, vix_half_spread_pct = 2.0;
    double future_half_spread = 0.025;  // points
    double reference_vix = 20;          // spreads widen in proportion to VIX above it
    double spx_commission = 1.0, vix_commission = 1.0, future_commission = 1.5;  // dollars per contract per trade
};

struct ExitRules {
    double profit_target = 0.5;  // fraction of credit; 0 = off
    double stop_multiple = 2.0;  // multiple of credit; 0 = off
    bool stop_on_position = false;    // stop_on = "condor_and_hedge"
    bool target_on_position = false;  // target_on = "condor_and_hedge"
    int time_exit_dte = 21;      // calendar days; 0 = off
    double delta_breach = 0.30;  // 0 = off
};

// A trigger condition as written ("vix crosses_above sma(vix,10)") and compiled
// (kernels/strategy_params.h); indicator operands refer to Scenario::indicators.
struct ConditionText {
    std::string text;
    ConditionParams compiled;
};

struct HedgeLayerSpec {
    std::string name;
    HedgeInstrument instrument = HedgeInstrument::vix_call;
    int dte = 30;  // calendar days
    StrikeRule rule = StrikeRule::moneyness;
    double strike_param = 1.0;
    StrikeRule upper_rule = StrikeRule::moneyness;
    double upper_param = 0;
    double size = 0.5;
    double take_profit = 0;
    std::vector<ConditionText> when, exit_when;
    int max_entries = 1;
};

struct StrategySpec {
    std::string name;
    int entry_dte = 45;  // calendar days
    double short_delta = 0.16, long_delta = 0, wing_width = 0, strike_step = 5;
    double risk_budget_pct = 1.5, hedge_reserve_pct = 0;
    CostRules costs;
    ExitRules exit;
    std::vector<HedgeLayerSpec> layers;
    int life_days() const { return calendar_to_trading_days(entry_dte); }
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

    TradeSettings trade;
    PathClassRules classes;
    PrecisionStop precision;
    std::vector<StrategySpec> strategies;
    std::vector<IndicatorSpec> indicators;  // market indicators the conditions use, deduplicated

    std::vector<std::string> warnings;  // e.g. Feller-condition violations

    // Days simulated: the warm-up history before entry, then run.days after it.
    int simulated_days() const { return trade.warmup_days + run.days; }

    // The same scenario without its trading: no warm-up, no strategies. For the
    // tools that use the model alone (calibration, the paths-only benchmark).
    Scenario without_strategies() const {
        Scenario s = *this;
        s.trade = TradeSettings{};
        s.classes = PathClassRules{};
        s.strategies.clear();
        s.indicators.clear();
        return s;
    }
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
