// The trigger indicators (kernels/indicators.h) against direct computations
// written here from their textbook definitions, on a made-up history.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "host/scenario.h"
#include "host/strategy_parse.h"
#include "kernels/indicators.h"

namespace condor {
namespace {

struct History {
    std::vector<double> spx, vix, x, y;
    PathHistory<double> view() const { return {spx.data(), vix.data(), x.data(), y.data(), 1, 0}; }
};

// 80 closes: SPX drifting with a dip, VIX from a state (x, y) that spikes on day 40.
History make_history(const StrategyRunParams& p) {
    History h;
    for (int d = 0; d < 80; ++d) {
        const double x = 0.03 + 0.01 * std::sin(d / 7.0);
        const double y = d >= 40 ? 0.08 * std::exp(-(d - 40) / 4.0) : 0.0;
        h.spx.push_back(5000 * (1 + 0.002 * d) * (d >= 40 && d < 50 ? 0.93 : 1.0));
        h.x.push_back(x);
        h.y.push_back(y);
        h.vix.push_back(100 * std::sqrt(p.vix30.a + p.vix30.b_x * x + p.vix30.b_y * y));
    }
    return h;
}

StrategyRunParams params() {
    const std::string text = R"(
[market]
spot = 5000.0
rate = 0.0
dividend_yield = 0.0
[model]
sigma_x = 0.4
rho = -0.9
phi = 0.2
sigma_s = 0.0
rho_j = 0.0
[model.p]
kappa_x = 2.0
theta_x = 0.03
kappa_y = 50.0
lambda = 2.0
mu_v = 0.05
mu_s = 0.0
eta = 0.0
[model.q]
kappa_x = 1.0
theta_x = 0.05
kappa_y = 10.0
lambda = 3.0
mu_v = 0.05
mu_s = 0.0
[state]
x0 = 0.03
)";
    const Scenario s = load_scenario_text(text, "indicators.toml", {});
    StrategyRunParams p;
    p.shared = s.model.shared;
    p.q = s.model.q;
    p.vix30 = vix_coefficients(s.model.shared, s.model.q);
    p.vix93 = vix_coefficients(s.model.shared, s.model.q, 93.0 / 365.0);
    return p;
}

// The indicator `text` at every close, advanced from day 0 as the kernel does.
std::vector<double> series(const StrategyRunParams& p, const History& h, const std::string& text) {
    std::vector<IndicatorSpec> specs;
    const ConditionParams c = parse_condition(text + " > 0", specs);
    EXPECT_EQ(specs.size(), 1u);
    IndicatorState state;
    std::vector<double> out;
    for (int d = 0; d < int(h.vix.size()); ++d) {
        update_indicator(p, specs[c.lhs.indicator], h.view(), d, state);
        out.push_back(state.value);
    }
    return out;
}

TEST(Indicators, MovingAveragesRsiAndMacdMatchTheirDefinitions) {
    const StrategyRunParams p = params();
    const History h = make_history(p);
    const std::vector<double> sma = series(p, h, "sma(vix,10)"), ema = series(p, h, "ema(vix,10)");
    const std::vector<double> rsi = series(p, h, "rsi(vix,14)");
    const std::vector<double> macd = series(p, h, "macd(vix,12,26,9)"),
                              signal = series(p, h, "macd_signal(vix,12,26,9)"),
                              hist = series(p, h, "macd_hist(vix,12,26,9)");
    double e = h.vix[0], fast = h.vix[0], slow = h.vix[0], line_ema = 0, gain = 0, loss = 0;
    for (int d = 0; d < 80; ++d) {
        // SMA over the last 10 closes (fewer at the start).
        double sum = 0;
        const int first = std::max(0, d - 9);
        for (int k = first; k <= d; ++k) sum += h.vix[k];
        EXPECT_NEAR(sma[d], sum / (d - first + 1), 1e-12) << d;
        // EMA, alpha = 2 / (n + 1), seeded with the first close.
        if (d > 0) e += 2.0 / 11 * (h.vix[d] - e);
        EXPECT_NEAR(ema[d], e, 1e-12) << d;
        // Wilder's RSI: gains and losses smoothed with alpha = 1/n.
        if (d > 0) {
            const double change = h.vix[d] - h.vix[d - 1];
            gain += (std::max(change, 0.0) - gain) / 14;
            loss += (std::max(-change, 0.0) - loss) / 14;
        }
        EXPECT_NEAR(rsi[d], gain + loss > 0 ? 100 - 100 / (1 + gain / loss) : 50, 1e-9) << d;
        // MACD: EMA(12) - EMA(26), signal EMA(9) of it.
        if (d > 0) fast += 2.0 / 13 * (h.vix[d] - fast), slow += 2.0 / 27 * (h.vix[d] - slow);
        const double line = fast - slow;
        line_ema = d == 0 ? line : line_ema + 2.0 / 10 * (line - line_ema);
        EXPECT_NEAR(macd[d], line, 1e-12) << d;
        EXPECT_NEAR(signal[d], line_ema, 1e-12) << d;
        EXPECT_NEAR(hist[d], line - line_ema, 1e-12) << d;
    }
    EXPECT_GT(rsi[41], 70) << "the spike on day 40 drives the RSI up";
}

TEST(Indicators, SpxReturnDrawdownAndTermSlope) {
    const StrategyRunParams p = params();
    const History h = make_history(p);
    const std::vector<double> ret = series(p, h, "spx_return(5)"), dd = series(p, h, "spx_drawdown(20)");
    const std::vector<double> slope = series(p, h, "term_slope");
    for (int d = 20; d < 80; ++d) {
        EXPECT_NEAR(ret[d], 100 * (h.spx[d] / h.spx[d - 5] - 1), 1e-10) << d;
        const double high = *std::max_element(h.spx.begin() + (d - 19), h.spx.begin() + d + 1);
        EXPECT_NEAR(dd[d], 100 * (1 - h.spx[d] / high), 1e-10) << d;
        // VIX3M from the 93-day variance swap of the same state, minus VIX.
        const double v3 = p.vix93.a + p.vix93.b_x * h.x[d] + p.vix93.b_y * h.y[d];
        EXPECT_NEAR(slope[d], 100 * std::sqrt(v3) - h.vix[d], 1e-10) << d;
    }
    EXPECT_GT(dd[41], 5) << "the 7% dip on day 40 is a drawdown";
    EXPECT_LT(slope[40], 0) << "a spike in y inverts the VIX curve (kappa_y^Q > kappa_x^Q)";
}

// The kernel starts spx_drawdown at the close before entry and keeps the
// window's high between closes; every value must be the direct maximum's, bit
// for bit, on a history whose high keeps leaving the window.
TEST(Indicators, DrawdownKeptBetweenClosesEqualsTheWindowsMaximum) {
    const StrategyRunParams p = params();
    History h = make_history(p);
    for (int d = 0; d < 80; ++d) h.spx[d] = 5000 * (1 + 0.05 * std::sin(d / 3.0) + 0.02 * std::sin(d * 1.7));
    for (const int window : {1, 2, 5, 20, 60}) {
        std::vector<IndicatorSpec> specs;
        const ConditionParams c = parse_condition("spx_drawdown(" + std::to_string(window) + ") > 0", specs);
        for (const int start : {0, 7, 30}) {
            IndicatorState state;
            for (int d = start; d < 80; ++d) {
                update_indicator(p, specs[c.lhs.indicator], h.view(), d, state);
                double high = 0;
                for (int k = std::max(0, d - window + 1); k <= d; ++k) high = std::max(high, h.spx[k]);
                ASSERT_EQ(state.value, 100.0 * (1.0 - h.spx[d] / high)) << "window " << window << ", day " << d;
            }
        }
    }
}

// The model VVIX by a direct integral over the exponential jump law (trapezoid
// on a fine grid) instead of the kernel's 8-point Gauss-Laguerre rule.
TEST(Indicators, ModelVvixMatchesADirectIntegral) {
    const StrategyRunParams p = params();
    for (double x : {0.005, 0.03, 0.2})
        for (double y : {0.0, 0.05, 0.5}) {
            const VixCoefficients& c = p.vix30;
            const double v = c.a + c.b_x * x + c.b_y * y;
            const double loading = c.b_x * p.shared.phi + c.b_y * (1 - p.shared.phi);
            double integral = 0;
            const double h = p.q.mu_v / 2000;
            for (int k = 0; k <= 60000; ++k) {
                const double j = k * h, f = std::exp(-j / p.q.mu_v) / p.q.mu_v;
                const double g = 0.5 * std::log1p(loading * j / v);
                integral += (k == 0 ? 0.5 : 1.0) * g * g * f * h;
            }
            const double expected =
                100 * std::sqrt(c.b_x * c.b_x * p.shared.sigma_x * p.shared.sigma_x * x / (4 * v * v) +
                                p.q.lambda * integral);
            EXPECT_NEAR(model_vvix(p, x, y), expected, 1e-3 * expected) << "x " << x << " y " << y;
        }
}

TEST(Indicators, CrossingsNeedTheGapToChangeSign) {
    std::vector<IndicatorSpec> specs;
    const ConditionParams up = parse_condition("vix crosses_above 20", specs);
    const ConditionParams down = parse_condition("vix crosses_below 20", specs);
    IndicatorState market[1];
    const TradeIndicators trade;
    market[0].value = 21;
    EXPECT_TRUE(condition_holds(up, market, trade, -0.5));
    EXPECT_TRUE(condition_holds(up, market, trade, 0.0)) << "from touching to above is a crossing";
    EXPECT_FALSE(condition_holds(up, market, trade, 0.5)) << "already above";
    EXPECT_FALSE(condition_holds(up, market, trade, std::nan(""))) << "no previous close: no crossing";
    market[0].value = 19;
    EXPECT_TRUE(condition_holds(down, market, trade, 1.0));
    EXPECT_FALSE(condition_holds(down, market, trade, -1.0));
}

// The strategy kernel advances indicators with memory through the warm-up in
// one call (advance_indicator); that must give the bits of one update per close.
TEST(Indicators, WarmUpInOneCallGivesTheBitsOfOneCallPerClose) {
    const StrategyRunParams p = params();
    const History h = make_history(p);
    for (const char* text : {"sma(vix,10)", "ema(vvix,5)", "rsi(vix,14)", "macd(vix,12,26,9)",
                             "macd_signal(vvix,12,26,9)", "macd_hist(vix,12,26,9)", "spx_drawdown(20)"}) {
        std::vector<IndicatorSpec> specs;
        const ConditionParams c = parse_condition(std::string(text) + " > 0", specs);
        const IndicatorSpec& spec = specs[c.lhs.indicator];
        for (int last : {0, 1, 38, 79}) {
            IndicatorState by_close, at_once;
            for (int d = 0; d <= last; ++d) update_indicator(p, spec, h.view(), d, by_close);
            advance_indicator(p, spec, h.view(), 0, last, at_once);
            EXPECT_EQ(0, std::memcmp(&by_close, &at_once, sizeof by_close)) << text << " through day " << last;
            EXPECT_EQ(by_close.value, at_once.value) << text;
        }
        IndicatorState untouched;
        advance_indicator(p, spec, h.view(), 0, -1, untouched);
        EXPECT_EQ(untouched.value, 0) << "an empty range leaves the state as it was";
    }
}

}  // namespace
}  // namespace condor
