// The VIX index from the state (kernels/vix_index.h) against Zhu & Lian (2012)
// for Heston, and against the simulated log-contract expectation it replicates.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/vix_index.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

// Heston: VIX^2 = theta + (v - theta)(1 - e^{-k tau})/(k tau) (Zhu & Lian 2012, eq. (6)).
TEST(VixIndex, HestonIsZhuLian) {
    SharedParams shared;
    MeasureParams q;
    q.kappa_x = 3.0;
    q.theta_x = 0.05;
    q.kappa_y = 10.0;
    const VixCoefficients c = vix_coefficients(shared, q);
    const double tau = 30.0 / 365.0, b = (1 - std::exp(-3.0 * tau)) / (3.0 * tau);
    for (double v : {0.0, 0.01, 0.04, 0.3}) {
        const double expected = 100 * std::sqrt(0.05 + (v - 0.05) * b);
        EXPECT_NEAR(vix_from_state(c.a, c.b_x, c.b_y, v, 0.0), expected, 1e-12);
    }
    EXPECT_NEAR(c.b_y, (1 - std::exp(-10.0 * tau)) / (10.0 * tau), 1e-15);
}

// VIX^2(tau) = (2/tau) E_Q[int dS/S - d ln S]: with r = q = 0 the daily simple
// returns have mean 0 exactly, so the expectation is -(2/tau) E[ln(S_tau / S_0)].
// Two factors, jumps split by phi, correlated price jumps: every term of the
// affine formula is exercised (the jump term is about 30% of VIX^2 here).
TEST(VixIndex, MatchesSimulatedLogContract) {
    const int days = 21;
    const Scenario s = scenario({"run.measure=Q", "run.days=21", "run.substeps_per_day=4", "model.phi=0.5",
                                 "model.q.lambda=8.0", "model.q.mu_v=0.04", "model.q.mu_s=-0.06", "model.sigma_s=0.06",
                                 "model.rho_j=-0.4", "model.q.kappa_y=25.0", "state.y0=0.03", "state.x0=0.05"});
    const double tau = days / 252.0;
    const VixCoefficients c = vix_coefficients(s.model.shared, s.model.q, tau);
    const double expected = c.a + c.b_x * 0.05 + c.b_y * 0.03;

    std::vector<double> log_contract(400000);
    for_each_path(s, std::uint32_t(log_contract.size()), [&](std::uint32_t i, const DailyPath& p, const auto&) {
        double simple = 0;
        for (int d = 1; d <= days; ++d) simple += p.spot[d] / p.spot[d - 1] - 1;
        log_contract[i] = 2 / tau * (simple - std::log(p.spot[days] / p.spot[0]));
    });
    const Moments m = moments(log_contract);
    EXPECT_NEAR(m.mean, expected, 4 * m.se_mean) << "jump term " << c.a;
}

// The kernels report the VIX of the initial state at day 0.
TEST(VixIndex, DayZeroCloseUsesQParameters) {
    const Scenario s = scenario({"model.q.kappa_x=5.0", "model.q.theta_x=0.06", "run.days=1"});
    const VixCoefficients c = vix_coefficients(s.model.shared, s.model.q);
    for_each_path(s, 4, [&](std::uint32_t, const DailyPath& p, const auto&) {
        EXPECT_NEAR(p.vix[0], 100 * std::sqrt(c.a + c.b_x * 0.04), 1e-12);
    });
}

}  // namespace
}  // namespace condor::test
