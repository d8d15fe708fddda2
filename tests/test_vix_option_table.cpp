// The COS law of VIX_T (vix_terminal_law.h) against the exact Bromwich pricer
// (vix_pricer.h, itself tested against the non-central chi-square law and Monte
// Carlo in test_vix_options.cpp), and the kernels' VIX option table against both
// on random points between its nodes (bound: 0.5% of the price or 0.01 VIX
// points, whichever is larger), plus the table's static no-arbitrage.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

#include "host/pricing/vix_option_table.h"
#include "host/pricing/vix_pricer.h"
#include "kernels/table_grid.h"
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

// The table's expiries span their corner states with margin 2 (vix_option_table.cpp).
// Every state at x = x_max needs exactly half the widest range: V's upper bound
// and floor move together with y. That tie must not be left to the last bit of
// a Chernoff bound, or neighbouring table nodes get laws on different grids: each
// such state takes the tighter range, widest / 2.
TEST(VixTerminalLaw, StatesAtTheWidestRangeTakeTheTighterRange) {
    const AffineTransform model(risk_neutral_model(default_scenario()));
    const VixFutureTableDomain d;
    TableAxis axes[3];
    expiry_state_axes(d.tau_min_years, d.tau_max_years, d.tau_nodes, d.x_max, d.x_nodes, d.y_max, d.y_nodes, axes);
    const std::vector<std::pair<double, double>> corners = {{0, 0}, {d.x_max, 0}, {0, d.y_max}, {d.x_max, d.y_max}};
    VixLawSettings settings;
    settings.max_terms = VixOptionTableDomain{}.max_terms;
    int wide = 0, checked = 0;
    for (int i_tau = 0; i_tau < d.tau_nodes; i_tau += 3) {
        const double tau = std::exp(axes[0].node(i_tau));
        VixExpiryTransforms expiry(model, tau, corners, 2.0, settings);
        for (int i_y = 0; i_y < d.y_nodes; i_y += 4) {
            const VixTerminalLaw law(expiry, d.x_max, variance_at_node(axes[2], i_y));
            const double top = law.top_points() / 100, range = top * top - law.lower_bound();
            wide += std::fabs(range / (expiry.widest_range() / 2) - 1) > 1e-9;
            ++checked;
        }
    }
    EXPECT_EQ(wide, 0) << "of " << checked << " states at x = x_max took the wider range";
}

// The table's threads share one expiry's transforms, each exponent computed by
// whichever thread asks first: laws built that way by 4 threads at once, each
// starting on a different state, are bit for bit those built one at a time,
// each from transforms of its own.
TEST(VixExpiryTransforms, SharedByThreadsGivesTheLawsOfPrivateOnes) {
    const AffineTransform model(risk_neutral_model(default_scenario()));
    const VixFutureTableDomain d;
    TableAxis axes[3];
    expiry_state_axes(d.tau_min_years, d.tau_max_years, d.tau_nodes, d.x_max, d.x_nodes, d.y_max, d.y_nodes, axes);
    const std::vector<std::pair<double, double>> corners = {{0, 0}, {d.x_max, 0}, {0, d.y_max}, {d.x_max, d.y_max}};
    const double tau = std::exp(axes[0].node(d.tau_nodes - 2));
    std::vector<std::pair<double, double>> states;
    for (int i_x = 0; i_x < d.x_nodes; i_x += 5)
        for (int i_y = 0; i_y < d.y_nodes; i_y += 7)
            states.emplace_back(variance_at_node(axes[1], i_x), variance_at_node(axes[2], i_y));
    const double strikes[] = {8, 15, 22, 35, 60};
    constexpr int kPrices = 1 + 2 * 5;
    const auto prices = [&](const VixTerminalLaw& law, double* out) {
        out[0] = law.future();
        for (int j = 0; j < 5; ++j) out[1 + j] = law.call(strikes[j]), out[6 + j] = law.put(strikes[j]);
    };
    std::vector<double> alone(states.size() * kPrices), shared(states.size() * kPrices);
    for (std::size_t i = 0; i < states.size(); ++i) {
        const VixExpiryTransforms own(model, tau, corners, 2.0);
        prices(VixTerminalLaw(own, states[i].first, states[i].second), &alone[i * kPrices]);
    }
    const VixExpiryTransforms expiry(model, tau, corners, 2.0);
    constexpr int kThreads = 4;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            // Thread t builds the states i = t mod kThreads, odd threads from the last.
            const std::size_t count = (states.size() - t + kThreads - 1) / kThreads;
            for (std::size_t n = 0; n < count; ++n) {
                const std::size_t state = t + kThreads * (t % 2 ? count - 1 - n : n);
                prices(VixTerminalLaw(expiry, states[state].first, states[state].second), &shared[state * kPrices]);
            }
        });
    for (std::thread& thread : threads) thread.join();
    int differ = 0;
    for (std::size_t i = 0; i < alone.size(); ++i) differ += std::memcmp(&alone[i], &shared[i], sizeof(double)) != 0;
    EXPECT_EQ(differ, 0) << "of " << alone.size() << " prices";
    EXPECT_GE(states.size(), 20u);
}

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
        // k uniform in the table's asinh coordinate; strikes far below the floor,
        // where both sides are F - K and 0 exactly, are not worth a draw.
        const VixOptionMark at_the_money = table_vix_option(view, st.x, st.y, st.tau, law.future());
        // Standardised strikes k = (K - F) / D, uniform in asinh(k / 2) over [-80, 400].
        const double k = 2 * std::sinh(std::asinh(-40.0) + u(rng) * (std::asinh(200.0) - std::asinh(-40.0)));
        const double strike = at_the_money.future + at_the_money.width * k;
        if (strike < 0.5 * at_the_money.floor) {
            --i;
            continue;
        }
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
        "%s: VIX option table built in %.2f s, %.2f MB, largest mean shift %.1e D, %lld states at the term cap, "
        "%.1f%% of expiry cells cubic; worst error %.2e points, %.2f of the bound\n",
        name, table.build_seconds(), table.bytes() / 1e6, table.largest_mean_shift(), table.capped_states(),
        100 * table.cubic_share(), worst_points, worst_ratio);

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

    // Static no-arbitrage of the marks, exact by construction (a mixture of laws,
    // kernels/vix_option_table.h) up to rounding: max(F - K, 0) <= C <= F, C
    // decreasing and convex in K (butterflies on a 0.25-point ladder), put-call
    // parity C - P = F - K. The floor: the exact put at K = f is 0; the mixture
    // may leak a little mass below f, within the accuracy bound.
    double worst_butterfly = 0, worst_floor_put = 0;
    for (int i = 0; i < 40; ++i) {
        const RandomState st = random_state(rng, d.states);
        double previous[2] = {0, 0};
        for (int j = 0; j < 240; ++j) {
            const double strike = 5 + 0.25 * j;
            const VixOptionMark m = table_vix_option(view, st.x, st.y, st.tau, strike);
            SCOPED_TRACE(::testing::Message()
                         << name << ": tau " << st.tau << " x " << st.x << " y " << st.y << " K " << strike);
            const double rounding = 1e-12 * m.future;
            EXPECT_GE(m.call, std::max(m.future - strike, 0.0) - rounding);
            EXPECT_LE(m.call, m.future + rounding);
            EXPECT_NEAR(m.call - m.put, m.future - strike, 1e-9);
            if (j >= 1) EXPECT_LE(m.call, previous[1] + rounding);
            if (j >= 2) {
                const double butterfly = m.call - 2 * previous[1] + previous[0];
                EXPECT_GE(butterfly, -rounding);
                worst_butterfly = std::min(worst_butterfly, butterfly);
            }
            previous[0] = previous[1];
            previous[1] = m.call;
        }
        const VixOptionMark at_floor = table_vix_option(view, st.x, st.y, st.tau, 0);
        const double floor_put = table_vix_option(view, st.x, st.y, st.tau, at_floor.floor).put;
        EXPECT_LT(floor_put, 0.01) << name << ": tau " << st.tau << " x " << st.x << " y " << st.y;
        worst_floor_put = std::max(worst_floor_put, floor_put);
    }
    std::printf("%s: most negative butterfly %.2e points; largest put at the floor %.2e points\n", name,
                worst_butterfly, worst_floor_put);
}

TEST(VixOptionTable, DefaultScenarioWithinTheBound) { check_table(default_scenario(), "default scenario", 250); }

TEST(VixOptionTable, TwoFactorModelWithSpikesWithinTheBound) {
    check_table(two_factor_scenario(), "two-factor model", 150);
}

}  // namespace
}  // namespace condor::test
