// Spike-and-revert regimes (DESIGN §3): the spike factor's mean, jump and event
// counts, the Markov regime, and the retrace of a forced spike.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

constexpr double kSigmas = 4.0;
constexpr double kYearsPerDay = 1.0 / 252.0;

// E[y_T] = theta_y* + (y0 - theta_y*) e^{-kappa_y T}, theta_y* = (1 - phi) lambda mu_v / kappa_y.
TEST(SpikeFactor, MeanOfYMatchesClosedForm) {
    const Scenario s = scenario({"run.days=63", "model.phi=0.0", "model.p.lambda=12.0", "model.p.mu_v=0.04",
                                 "model.p.kappa_y=25.0", "state.y0=0.05"});
    const double T = 63 * kYearsPerDay, theta_y = 12.0 * 0.04 / 25.0;
    const double expected = theta_y + (0.05 - theta_y) * std::exp(-25.0 * T);
    std::vector<double> y(200000);
    for_each_path(s, std::uint32_t(y.size()),
                  [&](std::uint32_t i, const DailyPath& p, const auto&) { y[i] = p.y[63]; });
    const Moments m = moments(y);
    EXPECT_NEAR(m.mean, expected, kSigmas * m.se_mean);
}

// Jumps arrive as a Poisson process: mean count per year = lambda.
TEST(SpikeFactor, MeanJumpsPerYearIsLambda) {
    const Scenario s = scenario({"run.days=252", "model.phi=0.0", "model.p.lambda=7.5", "model.p.mu_v=0.02"});
    std::vector<double> count(100000);
    for_each_path(s, std::uint32_t(count.size()),
                  [&](std::uint32_t i, const DailyPath&, const PathSummary<double>& sum) { count[i] = sum.jumps; });
    const Moments m = moments(count);
    EXPECT_NEAR(m.mean, 7.5, kSigmas * m.se_mean);
    EXPECT_NEAR(m.var, 7.5, kSigmas * m.se_var);  // Poisson: variance = mean
}

// Scheduled events: each happens with its probability; y jumps by its size law.
TEST(ScheduledEvents, CountAndMeanSpikeSize) {
    const std::string events = R"(
[[event]]
name = "FOMC"
day = 10
probability = 0.6
size_dist = "exponential"
size_mean = 0.02
spx_move_mean_pct = -1.0
spx_move_sd_pct = 1.0
[[event]]
name = "CPI"
day = 30
probability = 0.25
size_dist = "lognormal"
size_mean = 0.03
size_sd = 0.02
)";
    const Scenario s = load_scenario_text(base_scenario_toml() + events, "events.toml",
                                          {"run.days=40", "model.phi=0.0", "model.p.kappa_y=10.0", "state.y0=0.0"});
    const std::uint32_t n = 200000;
    std::vector<double> count(n), jump10(n), jump30(n);
    for_each_path(s, n, [&](std::uint32_t i, const DailyPath& p, const PathSummary<double>& sum) {
        count[i] = sum.events;
        // With lambda = 0, y only decays between events: the jump is the change
        // at the close net of one day's decay.
        const double decay = std::exp(-10.0 * kYearsPerDay);
        jump10[i] = p.y[10] - p.y[9] * decay;
        jump30[i] = p.y[30] - p.y[29] * decay;
    });
    const Moments c = moments(count), j10 = moments(jump10), j30 = moments(jump30);
    EXPECT_NEAR(c.mean, 0.85, kSigmas * c.se_mean);
    EXPECT_NEAR(j10.mean, 0.6 * 0.02, kSigmas * j10.se_mean);
    EXPECT_NEAR(j30.mean, 0.25 * 0.03, kSigmas * j30.se_mean);
}

// Two-state Markov regime: with lambda switching between regimes, the mean jump
// count is sum over steps of dt (lambda_calm (1 - p_n) + lambda_stressed p_n),
// p_n the probability of the stressed state in step n of the discrete chain the
// kernel runs (switch at the start of a step with probability 1 - e^{-q dt}).
TEST(Regime, MeanJumpsFollowTheMarkovChain) {
    const std::string regime = R"(
[regime]
enabled = true
initial = "calm"
theta_x_stressed = 0.09
lambda_stressed = 20.0
to_stressed_per_year = 2.0
to_calm_per_year = 12.0
)";
    const Scenario s = load_scenario_text(base_scenario_toml() + regime, "regime.toml",
                                          {"run.days=252", "model.p.lambda=1.0", "model.p.mu_v=0.01"});
    const double dt = kYearsPerDay, up = -std::expm1(-2.0 * dt), down = -std::expm1(-12.0 * dt);
    double p = 0, expected = 0;
    for (int step = 0; step < 252; ++step) {
        p = p * (1 - down) + (1 - p) * up;
        expected += dt * (1.0 * (1 - p) + 20.0 * p);
    }
    std::vector<double> count(100000);
    for_each_path(s, std::uint32_t(count.size()),
                  [&](std::uint32_t i, const DailyPath&, const PathSummary<double>& sum) { count[i] = sum.jumps; });
    const Moments m = moments(count);
    EXPECT_NEAR(m.mean, expected, kSigmas * m.se_mean);
}

// A forced spike with phi = 0 lives in y alone and retraces half its height
// (in variance, and in VIX^2 above its unshocked level) in ln 2 / kappa_y years
// on average. Common random numbers: the same paths with and without the shock.
TEST(StressShock, SpikeRetracesHalfInLn2OverKappaY) {
    const std::vector<std::string> base = {"run.days=60",        "model.phi=0.0",        "model.p.lambda=4.0",
                                           "model.p.mu_v=0.03",  "model.p.kappa_y=43.7", "model.q.kappa_y=43.7",
                                           "model.q.lambda=4.0", "model.q.mu_v=0.03"};
    const std::string shock = "\n[[shock]]\nday = 20\nspx_move_pct = -8.0\nvix_level = 45.0\n";
    const Scenario calm = load_scenario_text(base_scenario_toml(), "calm.toml", base);
    const Scenario shocked = load_scenario_text(base_scenario_toml() + shock, "shock.toml", base);
    const std::uint32_t n = 20000;
    std::vector<double> excess_y(61, 0.0), excess_vix2(61, 0.0);
    std::vector<std::vector<double>> y_calm(n), vix2_calm(n);
    for_each_path(calm, n, [&](std::uint32_t i, const DailyPath& p, const auto&) {
        y_calm[i] = p.y;
        vix2_calm[i].resize(61);
        for (int d = 0; d <= 60; ++d) vix2_calm[i][d] = p.vix[d] * p.vix[d];
    });
    std::vector<double> vix_on_shock_day(n);
    std::vector<std::vector<double>> dy(n, std::vector<double>(61)), dv(n, std::vector<double>(61));
    for_each_path(shocked, n, [&](std::uint32_t i, const DailyPath& p, const auto&) {
        vix_on_shock_day[i] = p.vix[20];
        for (int d = 0; d <= 60; ++d) {
            dy[i][d] = p.y[d] - y_calm[i][d];
            dv[i][d] = p.vix[d] * p.vix[d] - vix2_calm[i][d];
        }
    });
    for (std::uint32_t i = 0; i < n; ++i)
        for (int d = 0; d <= 60; ++d) excess_y[d] += dy[i][d] / n, excess_vix2[d] += dv[i][d] / n;
    for (double v : vix_on_shock_day) ASSERT_NEAR(v, 45.0, 1e-9);
    EXPECT_EQ(excess_y[19], 0.0);

    auto half_life_days = [](const std::vector<double>& excess) {
        const double half = excess[20] / 2;
        for (int d = 21; d <= 60; ++d)
            if (excess[d] <= half)  // interpolate ln(excess) between d - 1 and d
                return (d - 1) - 20 + std::log(excess[d - 1] / half) / std::log(excess[d - 1] / excess[d]);
        return -1.0;
    };
    const double expected_days = std::log(2.0) / 43.7 * 252;
    EXPECT_NEAR(half_life_days(excess_y), expected_days, 1e-6);
    EXPECT_NEAR(half_life_days(excess_vix2), expected_days, 1e-6);
}

}  // namespace
}  // namespace condor::test
