// The simulated method of moments recovers known parameters: a 40-year daily
// history simulated by the engine from a two-factor model is calibrated from
// a start away from the truth, and each of the 14 parameters fitted by default
// must land within 4 of its own standard errors (the sandwich formula,
// docs/calibration.md). Weakly identified parameters have wide standard
// errors: the test holds the method to what it claims, not to a fixed width.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "host/calibration/calibrate.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

// The truth: x slow (half-life 87 trading days), y fast (2.9 days), 20% of
// each variance jump to x, price jumps, and risk premia in theta_x^Q (with
// kappa_x^Q theta_x^Q = kappa_x theta_x and mu_s^Q = mu_s, the ties the
// calibration applies from this start), kappa_y^Q and lambda^Q.
Scenario truth() {
    Scenario s = scenario({"model.p.kappa_x=2.0", "model.p.theta_x=0.02", "model.sigma_x=0.35", "model.rho=-0.8",
                           "model.p.kappa_y=60.0", "model.p.lambda=3.0", "model.p.mu_v=0.06", "model.phi=0.2",
                           "model.p.mu_s=-0.01", "model.sigma_s=0.02", "model.rho_j=-0.3", "model.q.theta_x=0.035",
                           "model.q.kappa_x=1.142857142857143", "model.q.kappa_y=20.0", "model.q.lambda=4.0",
                           "model.q.mu_v=0.06", "model.q.mu_s=-0.01"});
    s.run.seed = 99;  // the "market": not the calibration's seed
    return s;
}

// simulate_moments runs whole vectors of histories on the CPU's lanes and the
// rest one at a time; either way history h is simulate_history's path h, bit
// for bit (20 histories: two vectors of 8 or one of 16, then a tail).
TEST(Moments, EachHistoryIsThePathOfItsIndex) {
    HistorySettings settings;
    settings.histories = 20;
    settings.burn_in_days = 50;
    settings.threads = 2;
    const std::size_t days = 300;
    const ModelMoments m = simulate_moments(truth(), days, settings);
    Scenario c = calibration_scenario(truth());
    c.run.seed = settings.seed;
    std::vector<double> vix(days), spx(days);
    for (int h : {0, 7, 8, 15, 16, 19}) {
        simulate_history(c, days, settings.burn_in_days, std::uint32_t(h), vix.data(), spx.data());
        const MomentVector expected = stylised_facts(vix.data(), spx.data(), days);
        for (int k = 0; k < kMomentCount; ++k)
            if (std::isfinite(expected[k]))
                EXPECT_EQ(m.per_history[h][k], expected[k]) << "history " << h << " moment " << k;
    }
}

TEST(Calibration, RecoversKnownParametersFromA40YearHistory) {
    const std::size_t days = 40 * 252;
    MarketHistory history;
    history.vix.resize(days);
    history.spx.resize(days);
    for (std::size_t t = 0; t < days; ++t) history.dates.push_back(DayNumber(t));
    simulate_history(calibration_scenario(truth()), days, 500, 0, history.vix.data(), history.spx.data());

    // Every parameter the calibration fits by default, from a start away from the truth.
    const Scenario start = scenario(
        {"model.p.kappa_x=3.0", "model.p.theta_x=0.015", "model.sigma_x=0.3", "model.rho=-0.6", "model.p.kappa_y=40.0",
         "model.p.lambda=2.0", "model.p.mu_v=0.05", "model.phi=0.4", "model.p.mu_s=0.0", "model.sigma_s=0.03",
         "model.rho_j=-0.1", "model.q.theta_x=0.03", "model.q.kappa_y=30.0", "model.q.lambda=2.0"});
    const CalibrationResult fit = calibrate(start, history, CalibrationSettings{});
    ASSERT_EQ(fit.parameters.size(), 14u);

    Scenario expected = truth();
    for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
        const std::string& key = fit.parameters[k].key;
        const double true_value = parameter_field(expected, key);
        ASSERT_TRUE(std::isfinite(fit.se[k]) && fit.se[k] > 0) << key;
        EXPECT_NEAR(fit.value[k], true_value, 4 * fit.se[k])
            << key << ": start " << fit.start[k] << ", se " << fit.se[k];
        std::printf("  %-18s true %9.4g  fit %9.4g  se %8.2g\n", key.c_str(), true_value, fit.value[k], fit.se[k]);
    }
    // At the truth the model reproduces its own history: every moment within
    // 4 sampling sd of one history.
    for (int m = 0; m < kMomentCount; ++m)
        if (std::isfinite(fit.data[m]))
            EXPECT_NEAR(fit.model[m], fit.data[m], 4 * fit.sampling_sd[m]) << moment_info(m).name;
    EXPECT_EQ(fit.days, days);
}

}  // namespace
}  // namespace condor::test
