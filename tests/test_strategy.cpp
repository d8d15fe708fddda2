// The strategy kernel on single paths (kernels/strategy.h): trigger parsing,
// scenario validation, a path checked by hand against Black-Scholes written
// here, the fixed priority of the exit rules, and the hold-to-expiry bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "host/scenario.h"
#include "host/sim_setup.h"
#include "host/strategy_parse.h"
#include "host/strategy_setup.h"
#include "host/strategy_stats.h"
#include "kernels/path.h"
#include "kernels/strategy.h"

namespace condor {
namespace {

// ---- trigger conditions --------------------------------------------------------

TEST(Conditions, ParseIndicatorsAndDeduplicate) {
    std::vector<IndicatorSpec> indicators;
    const ConditionParams a = parse_condition("vix crosses_above sma(vix,10)", indicators);
    EXPECT_EQ(a.op, CompareOp::crosses_above);
    EXPECT_EQ(indicators.size(), 2u);
    EXPECT_EQ(indicators[a.rhs.indicator].kind, IndicatorKind::sma);
    EXPECT_EQ(indicators[a.rhs.indicator].n1, 10);
    const ConditionParams b = parse_condition("  sma( vix , 10 ) <= 25.5 ", indicators);
    EXPECT_EQ(indicators.size(), 2u) << "sma(vix,10) is shared";
    EXPECT_TRUE(b.rhs.constant);
    EXPECT_DOUBLE_EQ(b.rhs.value, 25.5);
    const ConditionParams c = parse_condition("macd_hist(vvix,12,26,9) > -0.5", indicators);
    EXPECT_EQ(indicators[c.lhs.indicator].series, IndicatorSeries::vvix);
    EXPECT_EQ(indicators[c.lhs.indicator].n3, 9);
    const ConditionParams d = parse_condition("position_pnl < -1", indicators);
    EXPECT_FALSE(d.lhs.constant);
    EXPECT_EQ(d.lhs.indicator, -1);
    EXPECT_EQ(d.lhs.trade_kind, IndicatorKind::position_pnl);
}

TEST(Conditions, RejectWithAMessageThatSaysWhatIsAllowed) {
    std::vector<IndicatorSpec> indicators;
    const auto message = [&](const std::string& text) {
        try {
            parse_condition(text, indicators);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message("vix >> 20").find("use >, <, >=, <=, crosses_above or crosses_below"), std::string::npos);
    EXPECT_NE(message("pe_ratio > 20").find("unknown indicator 'pe_ratio'"), std::string::npos);
    EXPECT_NE(message("sma(spx,20) > 3").find("use vix or vvix"), std::string::npos);
    EXPECT_NE(message("sma(vix,2.5) > 3").find("whole number"), std::string::npos);
    EXPECT_NE(message("macd(vix,26,12,9) > 0").find("shorter"), std::string::npos);
    EXPECT_NE(message("days_in_trade crosses_above 3").find("crossings compare market indicators"), std::string::npos);
    EXPECT_NE(message("vix > 20 junk").find("after the condition"), std::string::npos);
    EXPECT_NE(message("3 > 2").find("two numbers"), std::string::npos);
    EXPECT_TRUE(indicators.empty()) << "rejected conditions add no indicators";
}

// ---- scenario validation ---------------------------------------------------------

const char* kModel = R"(
[market]
spot = 5000.0
rate = 0.04
dividend_yield = 0.013
[model]
sigma_x = 0.0
rho = -0.7
phi = 1.0
sigma_s = 0.0
rho_j = 0.0
[model.p]
kappa_x = 2.0
theta_x = 0.0225
kappa_y = 20.0
lambda = 0.0
mu_v = 0.0
mu_s = 0.0
eta = 0.0
[model.q]
kappa_x = 2.0
theta_x = 0.0225
kappa_y = 20.0
lambda = 0.0
mu_v = 0.0
mu_s = 0.0
[state]
x0 = 0.0225
y0 = 0.0
[run]
days = 31
paths = 1024
seed = 7
sample_paths = 0
)";

const char* kCondor = R"(
[[strategy]]
name = "naked"
entry_dte = 45
short_delta = 0.16
wing_width = 50
)";

std::string scenario_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
    try {
        load_scenario_text(text, "s.toml", overrides);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(StrategyScenario, DefaultsAndUnitConversions) {
    const Scenario s = load_scenario_text(std::string(kModel) + kCondor, "s.toml", {});
    ASSERT_EQ(s.strategies.size(), 1u);
    EXPECT_EQ(s.strategies[0].life_days(), 31) << "45 calendar days are 31 trading days";
    EXPECT_DOUBLE_EQ(s.strategies[0].risk_budget_pct, 1.5);
    EXPECT_EQ(s.classes.window_days, 31) << "the window defaults to the longest condor";
    EXPECT_EQ(s.simulated_days(), 31);
}

TEST(StrategyScenario, BadInputNamesFileKeyAndRange) {
    const std::string base = std::string(kModel) + kCondor;
    EXPECT_NE(scenario_error(base, {"run.days=20"}).find("run.days: 20 trading days after entry is shorter"),
              std::string::npos);
    EXPECT_NE(
        scenario_error(base, {"strategy[0].short_delta=0.7"}).find("strategy[0].short_delta: 0.7 is out of range"),
        std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].wing_width=52"}).find("not a multiple of strike_step"),
              std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].long_delta=0.05"}).find("give exactly one of long_delta"),
              std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].exit.stop_on=\"hedge\""}).find("\"condor\", \"condor_and_hedge\""),
              std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].exit.time_exit_dte=45"}).find("allowed [0, entry_dte - 1 = 44]"),
              std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].exit.colour=1"}).find("unknown key"), std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].entry_dte=20"})
                  .find("time_exit_dte: the default, 21 calendar days, "
                        "would close this 20-day condor"),
              std::string::npos);
    EXPECT_EQ(scenario_error(base, {"strategy[0].entry_dte=20", "strategy[0].exit.time_exit_dte=0"}), "accepted");
    EXPECT_NE(scenario_error(base, {"strategy[0].name=\"report\""}).find("is reserved"), std::string::npos);
    EXPECT_NE(scenario_error(base, {"strategy[0].name=\"a_vs_b\""}).find("_vs_"), std::string::npos);
    const std::string layered = base + R"(
[[strategy.hedge.layer]]
name = "L1"
instrument = "vix_call"
dte = 30
moneyness = 1.1
size = 0.5
when = ["sma(vix,20) > 20"]
)";
    EXPECT_NE(scenario_error(layered).find("s.toml:"), std::string::npos);
    EXPECT_NE(scenario_error(layered).find("trade.warmup_days: 0 trading days of history cannot fill a trigger's "
                                           "lookback of 20"),
              std::string::npos);
    EXPECT_EQ(scenario_error(layered, {"trade.warmup_days=20"}), "accepted");
    EXPECT_NE(scenario_error(layered, {"trade.warmup_days=20", "strategy[0].hedge.layer[0].when=[\"vix >> 2\"]"})
                  .find("strategy[0].hedge.layer[0].when: \"vix >> 2\": '>>' is not a comparison"),
              std::string::npos);
    EXPECT_NE(scenario_error(layered, {"trade.warmup_days=20", "strategy[0].sizing.hedge_reserve_pct=0"})
                  .find("leaves no budget"),
              std::string::npos);
}

// ---- a path checked by hand ---------------------------------------------------------

// Black-Scholes written independently of kernels/black_scholes.h.
double norm_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

struct HandMark {
    double price, delta;
};

HandMark bs(bool call, double spot, double strike, double total_variance, double tau, double r, double q) {
    if (tau <= 0) {
        const double intrinsic = call ? spot - strike : strike - spot;
        return {std::max(intrinsic, 0.0), intrinsic > 0 ? (call ? 1.0 : -1.0) : 0.0};
    }
    const double forward = spot * std::exp((r - q) * tau), sd = std::sqrt(total_variance);
    const double d1 = std::log(forward / strike) / sd + sd / 2, d2 = d1 - sd;
    if (call)
        return {std::exp(-r * tau) * (forward * norm_cdf(d1) - strike * norm_cdf(d2)),
                std::exp(-q * tau) * norm_cdf(d1)};
    return {std::exp(-r * tau) * (strike * norm_cdf(-d2) - forward * norm_cdf(-d1)),
            -std::exp(-q * tau) * norm_cdf(-d1)};
}

// With sigma_x = 0 and no jumps the Q variance is deterministic from (x, y): x
// stays at theta_x = x0 and y decays at kappa_y^Q, so the price over tau uses
// int_0^tau (x + y e^{-kappa s}) ds.
double integrated_variance(const Scenario& s, double x, double y, double tau) {
    const double k = s.model.q.kappa_y;
    return x * tau + y * (1 - std::exp(-k * tau)) / k;
}

struct Day {
    double spot, vix, x, y;
};

std::vector<Day> simulate_one_path(const Scenario& s, std::uint32_t path) {
    struct Sink {
        std::vector<Day>* days;
        void close(int, double spot, double vix, double x, double y) { days->push_back({spot, vix, x, y}); }
    };
    std::vector<Day> days;
    Sink sink{&days};
    simulate_path(make_sim_params<double>(s), path, sink);
    return days;
}

TradeOutcome run_on(const StrategyRunParams& p, int strategy, const std::vector<Day>& days, TradeTrace* trace) {
    static std::vector<double> spx, vix, x, y;
    spx.clear(), vix.clear(), x.clear(), y.clear();
    for (const Day& d : days) spx.push_back(d.spot), vix.push_back(d.vix), x.push_back(d.x), y.push_back(d.y);
    const PathHistory<double> h{spx.data(), vix.data(), x.data(), y.data(), 1, 0};
    return run_strategy(p, strategy, h, trace);
}

class HandChecked : public ::testing::TestWithParam<bool> {};

TEST_P(HandChecked, EntryCreditMarksExitAndPnlMatchBlackScholes) {
    const bool shock = GetParam();
    std::vector<std::string> overrides;
    if (shock) overrides = {"shock=[{day = 4, spx_move_pct = -6.0, vix_level = 30.0}]"};
    const Scenario s = load_scenario_text(std::string(kModel) + kCondor, "hand.toml", overrides);
    const auto tables = build_strategy_tables(s, 0);
    const StrategyRunParams p = make_strategy_params(s, *tables);
    // The first path on which the trade, without the shock, is still open after day 4.
    static const std::uint32_t path_index = [&] {
        const Scenario calm = load_scenario_text(std::string(kModel) + kCondor, "hand.toml", {});
        for (std::uint32_t i = 0;; ++i)
            if (run_on(p, 0, simulate_one_path(calm, i), nullptr).exit_day > 6) return i;
    }();
    const std::vector<Day> path = simulate_one_path(s, path_index);
    TradeTrace trace;
    std::vector<double> values(32);
    trace.condor_value = values.data();
    const TradeOutcome got = run_on(p, 0, path, &trace);

    // By hand: strikes on the 5-point grid nearest |delta| 0.16, wings 50 points out.
    const double r = s.market.rate, q = s.market.dividend_yield, life = 31;
    auto tau_of = [&](int d) { return (life - d) / 252.0; };
    auto leg = [&](bool call, double strike, int d) {
        const Day& m = path[d];
        return bs(call, m.spot, strike, integrated_variance(s, m.x, m.y, tau_of(d)), tau_of(d), r, q);
    };
    auto nearest = [&](bool call) {
        double best = 0, gap = 1e9;
        for (double k = 5; k < 10000; k += 5) {
            const double g = std::fabs(std::fabs(leg(call, k, 0).delta) - 0.16);
            if (g < gap) gap = g, best = k;
        }
        return best;
    };
    const double kp = nearest(false), kc = nearest(true);
    EXPECT_EQ(trace.strikes.short_put, kp);
    EXPECT_EQ(trace.strikes.short_call, kc);
    EXPECT_EQ(trace.strikes.long_put, kp - 50);
    EXPECT_EQ(trace.strikes.long_call, kc + 50);
    auto value = [&](int d) {
        return leg(false, kp, d).price - leg(false, kp - 50, d).price + leg(true, kc, d).price -
               leg(true, kc + 50, d).price;
    };
    // Costs: half-spread max(0.05, 1% of mid) x max(1, VIX / 20) per leg, $1 per contract per leg and trade.
    auto half_spreads = [&](int d) {
        double total = 0;
        for (auto [call, k] : {std::pair{false, kp}, {false, kp - 50}, {true, kc}, {true, kc + 50}})
            total += std::max(0.05, 0.01 * leg(call, k, d).price) * std::max(1.0, path[d].vix / 20);
        return total;
    };
    const double credit = value(0) - half_spreads(0);
    EXPECT_NEAR(trace.credit_points, credit, 1e-3);
    const double contracts = 0.015 * 1e6 / (100 * (50 - credit) + 8);
    EXPECT_NEAR(trace.contracts, contracts, 1e-6 * contracts);

    int exit_day = 31, reason = kExitExpiry;
    for (int d = 1; d < 31; ++d) {
        EXPECT_NEAR(values[d], value(d), 1e-3) << "day " << d;
        const double pnl = contracts * (100 * (credit - value(d)) - 4);
        const bool stop = pnl <= -2 * 100 * contracts * credit;
        const bool breach = std::fabs(leg(false, kp, d).delta) >= 0.3 || std::fabs(leg(true, kc, d).delta) >= 0.3;
        const bool target = pnl >= 0.5 * 100 * contracts * credit;
        const bool time = 31 - d <= 14;  // 21 calendar days = 14 trading days
        reason = stop ? kExitStop : breach ? kExitDeltaBreach : target ? kExitProfitTarget : time ? kExitTime : -1;
        if (reason >= 0) {
            exit_day = d;
            break;
        }
        reason = kExitExpiry;
    }
    EXPECT_EQ(got.exit_day, exit_day);
    EXPECT_EQ(got.exit_reason, reason);
    const double close = exit_day == 31 ? value(31) : value(exit_day) + half_spreads(exit_day);
    const double pnl = contracts * (100 * (credit - close) - 4 - (exit_day == 31 ? 0 : 4));
    EXPECT_NEAR(got.pnl_total, pnl, 0.5) << "dollars, on a budget of 15000";
    EXPECT_EQ(got.pnl_hedge, 0);
    if (shock) EXPECT_NE(reason, kExitProfitTarget) << "a 6% drop with VIX 30 should not take profit on day 4";
    std::printf(
        "hand-checked path %u (shock %d): strikes %.0f/%.0f/%.0f/%.0f, credit %.4f, exit day %d (%s), P&L %.2f\n",
        path_index, int(shock), kp - 50, kp, kc, kc + 50, credit, exit_day, kExitReasonNames[reason], pnl);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutShock, HandChecked, ::testing::Values(false, true));

// ---- exit-rule priority ----------------------------------------------------------------

// A path made by hand: SPX and the spike factor y per close, x at its mean,
// VIX from the state as the simulation computes it.
std::vector<Day> hand_path(const Scenario& s, const std::vector<std::pair<double, double>>& spot_and_y) {
    const VixCoefficients c = vix_coefficients(s.model.shared, s.model.q);
    std::vector<Day> days;
    for (auto [spot, y] : spot_and_y) {
        const double x = s.state.x0;
        days.push_back({spot, 100 * std::sqrt(c.a + c.b_x * x + c.b_y * y), x, y});
    }
    return days;
}

TEST(ExitPriority, StopThenDeltaBreachThenProfitTargetThenTimeThenExpiry) {
    // No costs: the mark-to-market P&L is the change of the condor's mid.
    const std::string no_costs = R"(
[strategy.costs]
spx_half_spread_min = 0
spx_half_spread_pct = 0
spx_commission = 0
)";
    auto run = [&](const std::vector<std::string>& overrides, const std::vector<std::pair<double, double>>& closes) {
        const Scenario s = load_scenario_text(std::string(kModel) + kCondor + no_costs, "priority.toml", overrides);
        static std::shared_ptr<const StrategyTables> tables = build_strategy_tables(s, 0);
        const StrategyRunParams p = make_strategy_params(s, *tables);
        return run_on(p, 0, hand_path(s, closes), nullptr);
    };
    // A crash on day 3 (SPX -20%, y to 0.02): the put spread is deep in the money, so
    // the loss passes 2x credit and the short put's |delta| passes 0.3 on the same close.
    std::vector<std::pair<double, double>> crash(32, {5000.0, 0.0});
    for (int d = 3; d < 32; ++d) crash[d] = {4000.0, 0.02};
    TradeOutcome o = run({}, crash);
    EXPECT_EQ(o.exit_reason, kExitStop);
    EXPECT_EQ(o.exit_day, 3);
    o = run({"strategy[0].exit.stop_multiple=0"}, crash);
    EXPECT_EQ(o.exit_reason, kExitDeltaBreach);
    EXPECT_EQ(o.exit_day, 3);
    // A calm path: the condor decays, so any profit target fires on day 1, as does a
    // time exit at 44 calendar DTE (30 trading days left <= 30).
    const std::vector<std::pair<double, double>> calm(32, {5000.0, 0.0});
    const std::vector<std::string> both = {"strategy[0].exit.profit_target=0.001", "strategy[0].exit.time_exit_dte=44"};
    o = run(both, calm);
    EXPECT_EQ(o.exit_reason, kExitProfitTarget);
    EXPECT_EQ(o.exit_day, 1);
    o = run({"strategy[0].exit.profit_target=0", "strategy[0].exit.time_exit_dte=44"}, calm);
    EXPECT_EQ(o.exit_reason, kExitTime);
    EXPECT_EQ(o.exit_day, 1);
    // Every rule off: held to expiry, all four legs out of the money, P&L = the credit.
    o = run({"strategy[0].exit.profit_target=0", "strategy[0].exit.stop_multiple=0", "strategy[0].exit.time_exit_dte=0",
             "strategy[0].exit.delta_breach=0"},
            calm);
    EXPECT_EQ(o.exit_reason, kExitExpiry);
    EXPECT_EQ(o.exit_day, 31);
    EXPECT_NEAR(o.pnl_total, o.credit, 1e-9 * o.credit);
}

// ---- hold to expiry: P&L within [-(width - credit), credit] per contract ---------------

TEST(HoldToExpiry, PnlPerContractWithinTheCondorsBounds) {
    const std::string text = std::string(kModel) + R"(
[[strategy]]
name = "held"
entry_dte = 45
short_delta = 0.20
long_delta = 0.08
[strategy.costs]
spx_commission = 0
[strategy.exit]
profit_target = 0
stop_multiple = 0
time_exit_dte = 0
delta_breach = 0
)";
    // Volatile paths with jumps so that many condors end inside or beyond the wings.
    const Scenario s = load_scenario_text(
        text, "held.toml",
        {"model.sigma_x=0.6", "model.p.lambda=20", "model.p.mu_v=0.05", "model.q.lambda=20", "model.q.mu_v=0.05",
         "model.rho=-0.7", "model.sigma_s=0.03", "model.p.mu_s=-0.02", "model.q.mu_s=-0.02"});
    const auto tables = build_strategy_tables(s, 0);
    const StrategyRunParams p = make_strategy_params(s, *tables);
    int losses = 0, wins = 0;
    for (std::uint32_t path = 0; path < 2000; ++path) {
        TradeTrace trace;
        const TradeOutcome o = run_on(p, 0, simulate_one_path(s, path), &trace);
        ASSERT_EQ(o.exit_reason, kExitExpiry);
        const double per_contract = o.pnl_total / (100 * trace.contracts);
        const CondorStrikes& k = trace.strikes;
        const double width = std::max(k.short_put - k.long_put, k.long_call - k.short_call);
        ASSERT_LE(per_contract, trace.credit_points + 1e-9) << "path " << path;
        ASSERT_GE(per_contract, -(width - trace.credit_points) - 1e-9) << "path " << path;
        losses += per_contract < -(width - trace.credit_points) + 1e-6;
        wins += per_contract > trace.credit_points - 1e-6;
    }
    std::printf("2000 condors held to expiry: %d kept the whole credit, %d lost the whole width\n", wins, losses);
    EXPECT_GT(wins, 100);
    EXPECT_GT(losses, 10) << "the bound must be reached for the test to mean anything";
}

}  // namespace
}  // namespace condor
