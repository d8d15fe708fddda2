// The VIX futures table against the exact Laplace-transform price, on random
// points between its nodes (bound: 0.5% of the price or 0.01 VIX points,
// whichever is larger).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "host/pricing/vix_future_table.h"
#include "host/pricing/vix_pricer.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

void check_futures(const Scenario& s, const char* name) {
    const AffineTransform model(risk_neutral_model(s));
    const VixFutureTable table(model, VixFutureTableDomain{});
    const VixFutureTableDomain& d = table.domain();
    std::mt19937_64 rng(20261126);
    std::uniform_real_distribution<double> u(0, 1);
    double worst_points = 0, worst_relative = 0;
    for (int i = 0; i < 400; ++i) {
        const double tau = std::exp(std::log(d.tau_min_years) + u(rng) * std::log(d.tau_max_years / d.tau_min_years));
        const double x = std::pow(u(rng) * std::cbrt(d.x_max), 3), y = std::pow(u(rng) * std::cbrt(d.y_max), 3);
        const double exact = vix_future(model, x, y, tau);
        const double error = std::fabs(table_vix_future(table.view(), x, y, tau) - exact);
        EXPECT_LT(error, std::max(0.005 * exact, 0.01)) << "tau " << tau << " x " << x << " y " << y;
        worst_points = std::max(worst_points, error);
        worst_relative = std::max(worst_relative, error / exact);
    }
    std::printf("%s: VIX futures table built in %.3f s, %.2f MB; worst error %.2e points (%.2e relative)\n", name,
                table.build_seconds(), table.bytes() / 1e6, worst_points, worst_relative);
}

TEST(VixFutureTable, DefaultScenarioWithinTheBound) {
    check_futures(load_scenario_text(default_scenario_text(), kDefaultScenarioName, {}), "default scenario");
}

TEST(VixFutureTable, TwoFactorModelWithSpikesWithinTheBound) {
    check_futures(scenario({"model.phi=0.4", "model.q.lambda=3.0", "model.q.mu_v=0.05", "model.q.mu_s=-0.04",
                            "model.sigma_s=0.05", "model.rho_j=-0.5", "model.q.kappa_y=20.0", "model.sigma_x=0.8"}),
                  "two-factor model");
}

}  // namespace
}  // namespace condor::test
