// The SPX implied-vol table against exact COS prices: at its nodes, and on
// random points between them across the domain (the interpolation bound of
// 0.0005 in vol wherever |delta| >= 0.02 and tau >= 1 trading day).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include "host/pricing/implied_vol.h"
#include "host/pricing/spx_vol_table.h"
#include "kernels/black_scholes.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

// Exact Black vol of the option with log-moneyness k (NaN where none exists).
double exact_vol(const AffineTransform& model, double x, double y, double tau, double k) {
    const CosExpiry expiry(model, x, y, tau);
    const ImpliedVol iv = implied_vol(OptionType::put, expiry.put_over_forward(k), 1.0, std::exp(k), tau, 1.0);
    return iv.vol;
}

struct ScanResult {
    double worst = 0;
    int points = 0;
};

// Uniform in the table's own coordinates (ln tau, cube roots of x and y, z), so
// that every cell is visited; points with |delta| < 0.02 are outside the bound.
ScanResult scan(const AffineTransform& model, const SpxVolTable& table, int samples, std::uint64_t seed) {
    const SpxVolTableDomain& d = table.domain();
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    ScanResult r;
    for (int i = 0; i < samples; ++i) {
        const double tau = std::exp(std::log(d.tau_min_years) + u(rng) * std::log(d.tau_max_years / d.tau_min_years));
        const double x = std::pow(u(rng) * std::cbrt(d.x_max), 3), y = std::pow(u(rng) * std::cbrt(d.y_max), 3);
        const double z = d.z_min + u(rng) * (d.z_max - d.z_min);
        const double k = z * reference_vol(model.model().shared, model.model().q, x, y, tau) * std::sqrt(tau);
        const double exact = exact_vol(model, x, y, tau, k);
        if (!std::isfinite(exact)) continue;
        const double delta = black_call_delta(1.0, std::exp(k), exact * std::sqrt(tau));
        if (delta < 0.02 || delta > 0.98) continue;
        const double error = std::fabs(table_implied_vol(table.view(), x, y, tau, k) - exact);
        EXPECT_LT(error, 5e-4) << "tau " << tau << " x " << x << " y " << y << " z " << z << " exact vol " << exact;
        r.worst = std::max(r.worst, error);
        ++r.points;
    }
    return r;
}

void check_table(const Scenario& s, const char* name) {
    const AffineTransform model(risk_neutral_model(s));
    const SpxVolTable table(model, SpxVolTableDomain{});
    // At the nodes the table holds the exact vol (stored as float).
    const SpxVolTableView v = table.view();
    for (int i_tau : {0, 7, 15})
        for (int i_x : {0, 3, 31})
            for (int i_z : {20, 30, 45}) {
                const double tau = std::exp(v.axes[0].node(i_tau)), x = std::pow(v.axes[1].node(i_x), 3);
                const double y = std::pow(v.axes[2].node(2), 3);
                const double k = v.axes[3].node(i_z) * reference_vol(v.shared, v.q, x, y, tau) * std::sqrt(tau);
                const double exact = exact_vol(model, x, y, tau, k);
                EXPECT_NEAR(table_implied_vol(v, x, y, tau, k), exact, 1e-6 * exact) << tau << " " << x << " " << k;
            }
    const ScanResult r = scan(model, table, 1500, 20261126);
    std::printf("%s: built in %.2f s, %.1f MB, %lld wing nodes filled; %d scan points, worst vol error %.2e\n", name,
                table.build_seconds(), table.bytes() / 1e6, table.filled_nodes(), r.points, r.worst);
    EXPECT_GT(r.points, 500);
}

// Prices marked from the table are free of static arbitrage in strike: calls
// decrease and are convex in K, within the no-arbitrage bounds, at random states
// and expiries (tolerances: the interpolation bound times vega).
TEST(SpxVolTable, TablePricesAreFreeOfStaticArbitrage) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {});
    const SpxVolTable table(AffineTransform(risk_neutral_model(s)), SpxVolTableDomain{});
    const SpxVolTableView v = table.view();
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 200; ++i) {
        const double tau = std::exp(std::log(1 / 252.0) + u(rng) * std::log(126.0));
        const double x = 0.3 * u(rng) * u(rng), y = 0.5 * u(rng) * u(rng) * u(rng);
        const double width = 4 * reference_vol(v.shared, v.q, x, y, tau) * std::sqrt(tau);  // +-4 reference sd
        const int n = 41;
        std::vector<double> strikes(n), calls(n);
        for (int j = 0; j < n; ++j) {
            strikes[j] = std::exp(-width + 2 * width * j / (n - 1));
            const double vol = table_implied_vol(v, x, y, tau, std::log(strikes[j]));
            calls[j] = black_call(1.0, strikes[j], vol * std::sqrt(tau));
        }
        SCOPED_TRACE(::testing::Message() << "tau " << tau << " x " << x << " y " << y);
        for (int j = 0; j < n; ++j) {
            const double slack =
                5e-4 * black_vega_total(1.0, strikes[j], 0.2 * std::sqrt(tau)) * std::sqrt(tau) + 1e-12;
            EXPECT_GE(calls[j], std::max(0.0, 1 - strikes[j]) - slack);
            EXPECT_LE(calls[j], 1.0);
            if (j == 0) continue;
            EXPECT_LE(calls[j], calls[j - 1] + slack);  // decreasing in K
            if (j == 1) continue;
            // Convex: the slope between neighbours increases.
            const double left = (calls[j - 1] - calls[j - 2]) / (strikes[j - 1] - strikes[j - 2]);
            const double right = (calls[j] - calls[j - 1]) / (strikes[j] - strikes[j - 1]);
            EXPECT_GE(right, left - 2 * slack / (strikes[j] - strikes[j - 1]));
        }
    }
}

// A delta search reads vols from the contracted smile, and a condor's four legs
// from one contraction (kernels/spx_vol_table.h): both bit for bit the table's
// lookup, at states inside and beyond the grid and at strikes inside and beyond
// its z range. A small grid keeps the build short.
TEST(SpxVolTable, SmileAndStrikeGroupsGiveTheTableVolBitForBit) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {});
    SpxVolTableDomain d;
    d.tau_nodes = 5, d.x_nodes = 6, d.y_nodes = 6;
    const SpxVolTable table(AffineTransform(risk_neutral_model(s)), d);
    const SpxVolTableView v = table.view();
    std::mt19937_64 rng(12);
    std::uniform_real_distribution<double> u(0, 1);
    int mismatches = 0, compared = 0, group_mismatches = 0, group_compared = 0;
    for (int i = 0; i < 300; ++i) {
        const double tau = std::exp(std::log(0.5 / 252) + u(rng) * std::log(300.0));  // past both ends
        const double x = 0.6 * std::pow(u(rng), 3), y = 1.2 * std::pow(u(rng), 3);
        const SpxExpiryState e = spx_expiry_state(v, x, y, tau);
        SpxSmile smile;
        spx_smile(v, e, smile);
        double group[4], group_vols[4];  // four strikes at a time, as a condor's legs
        int in_group = 0;
        for (double z = -8; z <= 6; z += 0.37) {
            const double k = z * e.sigma_ref * e.sqrt_tau;
            const double direct = table_implied_vol(v, e, k), from_smile = smile_implied_vol(v, e, smile, k);
            mismatches += std::memcmp(&direct, &from_smile, sizeof direct) != 0;
            ++compared;
            group[in_group++] = k;
            if (in_group < 4) continue;
            table_implied_vols<4>(v, e, group, group_vols);
            for (int j = 0; j < 4; ++j) {
                const double alone = table_implied_vol(v, e, group[j]);
                group_mismatches += std::memcmp(&alone, &group_vols[j], sizeof alone) != 0;
                ++group_compared;
            }
            in_group = 0;
        }
    }
    EXPECT_EQ(mismatches, 0) << "of " << compared;
    EXPECT_EQ(group_mismatches, 0) << "of " << group_compared;
    d.z_nodes = kMaxSpxStrikeNodes + 1;
    EXPECT_THROW(SpxVolTable(AffineTransform(risk_neutral_model(s)), d), std::invalid_argument);
}

// Many strikes at once (several per vector where the build has lanes) price
// each strike bit for bit as one at a time, inside and outside the COS range.
TEST(CosExpiry, ManyStrikesMatchOneAtATime) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {});
    const AffineTransform model(risk_neutral_model(s));
    for (double tau : {2.0 / 252, 30.0 / 365, 0.5}) {
        const CosExpiry expiry(model, 0.03, 0.01, tau);
        std::vector<double> k, batch;
        for (int i = 0; i < 203; ++i)
            k.push_back(expiry.lower() - 0.1 + (expiry.upper() - expiry.lower() + 0.2) * i / 202.0);
        batch.resize(k.size());
        expiry.put_over_forward(k.data(), batch.data(), int(k.size()));
        for (std::size_t i = 0; i < k.size(); ++i) {
            const double one = expiry.put_over_forward(k[i]);
            EXPECT_EQ(std::memcmp(&one, &batch[i], sizeof one), 0)
                << "k = " << k[i] << ": " << one << " vs " << batch[i];
        }
    }
}

TEST(SpxVolTable, DefaultScenarioWithinTheBound) {
    check_table(load_scenario_text(default_scenario_text(), kDefaultScenarioName, {}), "default scenario");
}

TEST(SpxVolTable, TwoFactorModelWithSpikesWithinTheBound) {
    check_table(scenario({"model.phi=0.4", "model.q.lambda=3.0", "model.q.mu_v=0.05", "model.q.mu_s=-0.04",
                          "model.sigma_s=0.05", "model.rho_j=-0.5", "model.q.kappa_y=20.0", "model.sigma_x=0.8",
                          "market.rate=0.03", "market.dividend_yield=0.01"}),
                "two-factor model");
}

}  // namespace
}  // namespace condor::test
