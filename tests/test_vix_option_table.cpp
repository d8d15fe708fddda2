// The COS law of VIX_T (vix_terminal_law.h) against the exact Bromwich pricer
// (vix_pricer.h, itself tested against the non-central chi-square law and Monte
// Carlo in test_vix_options.cpp), and the kernels' VIX option table against both
// on random points between its nodes (bound: 0.5% of the price or 0.01 VIX
// points, whichever is larger), plus the table's static no-arbitrage.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "host/pricing/vix_option_table.h"
#include "host/pricing/vix_pricer.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

Scenario default_scenario() { return load_scenario_text(default_scenario_text(), kDefaultScenarioName, {}); }

Scenario two_factor_scenario() {
    return scenario({"model.phi=0.4", "model.q.lambda=3.0", "model.q.mu_v=0.05", "model.q.mu_s=-0.04",
                     "model.sigma_s=0.05", "model.rho_j=-0.5", "model.q.kappa_y=20.0", "model.sigma_x=0.8"});
}

struct RandomState {
    double tau, x, y;
};

RandomState random_state(std::mt19937_64& rng, const VixFutureTableDomain& d) {
    std::uniform_real_distribution<double> u(0, 1);
    RandomState s;
    s.tau = std::exp(std::log(d.tau_min_years) + u(rng) * std::log(d.tau_max_years / d.tau_min_years));
    s.x = std::pow(u(rng) * std::cbrt(d.x_max), 3);
    s.y = std::pow(u(rng) * std::cbrt(d.y_max), 3);
    return s;
}

// Calls and puts from the COS law within 5e-4 VIX points of the Bromwich pricer
// (5% of the table's 0.01-point budget), and its future within 1e-5 points of the
// Laplace-transform future.
void check_law_against_exact(const Scenario& s, const char* name, int states) {
    const AffineTransform model(risk_neutral_model(s));
    std::mt19937_64 rng(20261126);
    double worst = 0;
    for (int i = 0; i < states; ++i) {
        const RandomState st = random_state(rng, VixFutureTableDomain{});
        SCOPED_TRACE(::testing::Message() << name << ": tau " << st.tau << " x " << st.x << " y " << st.y);
        const VixTerminalLaw law = vix_terminal_law(model, st.x, st.y, st.tau);
        const double future = vix_future(model, st.x, st.y, st.tau);
        EXPECT_NEAR(law.future(), future, 1e-5);
        for (double moneyness : {0.8, 1.0, 1.25, 1.6}) {
            const double strike = moneyness * future;
            const double call = vix_call_undiscounted(model, st.x, st.y, st.tau, strike);
            const double put = call - (future - strike);
            EXPECT_NEAR(law.call(strike), call, 5e-4) << "K " << strike;
            EXPECT_NEAR(law.put(strike), put, 5e-4) << "K " << strike;
            worst = std::max({worst, std::fabs(law.call(strike) - call), std::fabs(law.put(strike) - put)});
        }
    }
    std::printf("%s: COS law vs Bromwich, worst %.2e VIX points\n", name, worst);
}

TEST(VixTerminalLaw, DefaultScenarioMatchesBromwich) { check_law_against_exact(default_scenario(), "default", 8); }

TEST(VixTerminalLaw, TwoFactorModelMatchesBromwich) { check_law_against_exact(two_factor_scenario(), "two-factor", 4); }

TEST(VixTerminalLaw, FellerViolatedAndPointMassMatchBromwich) {
    // p = 2 kappa theta / sigma^2 = 0.10: the reference law carries a density x^{-0.9}.
    check_law_against_exact(
        scenario({"model.q.kappa_x=1.5", "model.q.theta_x=0.05", "model.sigma_x=1.2", "model.q.lambda=0"}),
        "Feller violated", 4);
    // sigma_x = 0 with jumps: V has a point mass at its floor (no jump before T).
    check_law_against_exact(scenario({"model.sigma_x=0.0"}), "point mass", 4);
}

// Table marks against the COS law at the same point (its own expiry data, four
// times the terms) on random points between the nodes, z over the table's range.
void check_table(const Scenario& s, const char* name, int points) {
    const AffineTransform model(risk_neutral_model(s));
    const VixOptionTable table(model, VixOptionTableDomain{});
    const VixOptionTableView view = table.view();
    const VixOptionTableDomain& d = table.domain();
    std::mt19937_64 rng(20261127);
    std::uniform_real_distribution<double> u(0, 1);
    double worst_ratio = 0, worst_points = 0;
    for (int i = 0; i < points; ++i) {
        const RandomState st = random_state(rng, d.states);
        const VixTerminalLaw law = vix_terminal_law(model, st.x, st.y, st.tau);
        double coordinates[4];
        expiry_state_coordinates(st.tau, st.x, st.y, coordinates);
        const double atm = interpolate3(view.atm_vol, view.axes, coordinates);
        const double floor = vix_floor(s.model.shared, s.model.q, st.y, st.tau);
        const TableAxis& strikes = view.axes[3];  // z uniform in the table's asinh coordinate
        const double z =
            vix_strike_from_coordinate(strikes.first + u(rng) * (strikes.last() - strikes.first), d.z_scale);
        const double strike = floor + (law.future() - floor) * std::exp(z * atm * std::sqrt(st.tau));
        const VixOptionMark mark = table_vix_option(view, st.x, st.y, st.tau, strike);
        const double call = law.call(strike), put = law.put(strike);
        const double call_error = std::fabs(mark.call - call), put_error = std::fabs(mark.put - put);
        EXPECT_LT(call_error, std::max(0.005 * call, 0.01))
            << name << ": tau " << st.tau << " x " << st.x << " y " << st.y << " K " << strike;
        EXPECT_LT(put_error, std::max(0.005 * put, 0.01))
            << name << ": tau " << st.tau << " x " << st.x << " y " << st.y << " K " << strike;
        worst_ratio =
            std::max({worst_ratio, call_error / std::max(0.005 * call, 0.01), put_error / std::max(0.005 * put, 0.01)});
        worst_points = std::max({worst_points, call_error, put_error});
    }
    std::printf(
        "%s: VIX option table built in %.2f s, %.2f MB, %lld of %zu nodes filled, %lld states at the term cap; "
        "worst error %.2e points, %.2f of the bound\n",
        name, table.build_seconds(), table.bytes() / 1e6, table.filled_nodes(),
        std::size_t(d.states.tau_nodes) * d.states.x_nodes * d.states.y_nodes * d.z_nodes, table.capped_states(),
        worst_points, worst_ratio);

    // End to end against the Bromwich pricer at a few points.
    for (int i = 0; i < 6; ++i) {
        const RandomState st = random_state(rng, d.states);
        const double future = vix_future(model, st.x, st.y, st.tau);
        for (double moneyness : {0.9, 1.1, 1.4}) {
            const double strike = moneyness * future;
            const double call = vix_call_undiscounted(model, st.x, st.y, st.tau, strike);
            EXPECT_NEAR(table_vix_option(view, st.x, st.y, st.tau, strike).call, call, std::max(0.005 * call, 0.01))
                << name << ": tau " << st.tau << " x " << st.x << " y " << st.y << " K " << strike;
        }
    }

    // Static no-arbitrage of the marks: max(F - K, 0) <= C <= F, C decreasing in K,
    // put-call parity C - P = F - K, exactly. Convexity (butterflies on a 0.25-point
    // ladder) is NOT yet exact: in states near x = 0 at expiries of a few days,
    // where VIX_T is nearly a point mass above its floor plus a jump tail, the
    // interpolated smile has butterflies down to about -2e-3 points
    // (docs/pricing.md, next steps).
    // Asserted here is what the accuracy bound implies, a butterfly of prices
    // each within eps of convex ones is >= -4 eps, and the worst is printed.
    double worst_butterfly = 0;
    for (int i = 0; i < 40; ++i) {
        const RandomState st = random_state(rng, d.states);
        double previous[2] = {0, 0};
        for (int j = 0; j < 240; ++j) {
            const double strike = 5 + 0.25 * j;
            const VixOptionMark m = table_vix_option(view, st.x, st.y, st.tau, strike);
            SCOPED_TRACE(::testing::Message()
                         << name << ": tau " << st.tau << " x " << st.x << " y " << st.y << " K " << strike);
            EXPECT_GE(m.call, std::max(m.future - strike, 0.0) - 1e-12);
            EXPECT_LE(m.call, m.future + 1e-12);
            EXPECT_NEAR(m.call - m.put, m.future - strike, 1e-9);
            if (j >= 1) EXPECT_LE(m.call, previous[1] + 1e-12);
            if (j >= 2) {
                const double butterfly = m.call - 2 * previous[1] + previous[0];
                EXPECT_GE(butterfly, -4 * std::max(0.005 * m.call, 0.01));
                worst_butterfly = std::min(worst_butterfly, butterfly);
            }
            previous[0] = previous[1];
            previous[1] = m.call;
        }
    }
    std::printf("%s: most negative butterfly %.2e points\n", name, worst_butterfly);
}

TEST(VixOptionTable, DefaultScenarioWithinTheBound) { check_table(default_scenario(), "default scenario", 250); }

TEST(VixOptionTable, TwoFactorModelWithSpikesWithinTheBound) {
    check_table(two_factor_scenario(), "two-factor model", 150);
}

}  // namespace
}  // namespace condor::test
