// The Fourier pricer for the full two-factor model: against Monte Carlo from the
// path engine under Q, against Black's formula where the variance is
// deterministic, and for no-arbitrage; the implied-vol inversion.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>

#include "host/pricing/cos_pricer.h"
#include "host/pricing/implied_vol.h"
#include "host/pricing/vix_pricer.h"
#include "kernels/black_scholes.h"
#include "kernels/vix_index.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

// Variance jumps split between x and y, correlated price jumps, a spike in
// progress, carry: every term of the characteristic function is exercised.
const std::vector<std::string> kTwoFactorQ = {"run.measure=Q",
                                              "run.days=63",
                                              "run.substeps_per_day=4",
                                              "market.rate=0.03",
                                              "market.dividend_yield=0.01",
                                              "model.phi=0.4",
                                              "model.q.lambda=3.0",
                                              "model.q.mu_v=0.05",
                                              "model.q.mu_s=-0.04",
                                              "model.sigma_s=0.05",
                                              "model.rho_j=-0.5",
                                              "model.q.kappa_y=20.0",
                                              "model.sigma_x=0.8",
                                              "state.x0=0.03",
                                              "state.y0=0.05"};

TEST(FourierPricer, TwoFactorModelWithVarianceJumpsAgreesWithMonteCarlo) {
    const Scenario s = scenario(kTwoFactorQ);
    const int days = s.run.days;
    const double tau = days / kTradingDaysPerYear;
    const double discount = std::exp(-s.market.rate * tau);
    const double strikes[] = {70, 85, 95, 100, 105, 115, 130};
    const int n_strikes = int(std::size(strikes));
    const std::uint32_t n_paths = 400000;
    std::vector<std::vector<double>> calls(n_strikes, std::vector<double>(n_paths));
    std::vector<std::vector<double>> puts = calls;
    for_each_path(s, n_paths, [&](std::uint32_t i, const DailyPath& p, const auto&) {
        for (int j = 0; j < n_strikes; ++j) {
            calls[j][i] = discount * std::max(p.spot[days] - strikes[j], 0.0);
            puts[j][i] = discount * std::max(strikes[j] - p.spot[days], 0.0);
        }
    });
    const AffineTransform model(risk_neutral_model(s));
    for (int j = 0; j < n_strikes; ++j) {
        for (OptionType type : {OptionType::call, OptionType::put}) {
            const Moments mc = moments(type == OptionType::call ? calls[j] : puts[j]);
            const double fourier =
                price_european(model, type, s.market.spot, strikes[j], tau, s.state.x0, s.state.y0).price;
            EXPECT_NEAR(fourier, mc.mean, 4 * mc.se_mean) << (type == OptionType::call ? "call " : "put ") << strikes[j]
                                                          << ": Monte Carlo " << mc.mean << " +- " << mc.se_mean;
        }
    }
}

// With sigma_x = 0 and no jumps the variance is deterministic,
// x(t) = theta + (x0 - theta) e^{-kappa t}, y(t) = y0 e^{-kappa_y t}, and the
// price is Black's with the integrated variance as total variance.
TEST(FourierPricer, DeterministicVarianceIsBlack) {
    const Scenario s = scenario({"model.sigma_x=0", "model.rho=0", "state.y0=0.09", "model.q.kappa_y=15.0",
                                 "market.rate=0.02", "market.dividend_yield=0.015"});
    const AffineTransform model(risk_neutral_model(s));
    const MeasureParams& q = s.model.q;
    for (double tau : {1 / 252.0, 0.1, 1.0}) {
        const double integrated = q.theta_x * tau +
                                  (s.state.x0 - q.theta_x) * -std::expm1(-q.kappa_x * tau) / q.kappa_x +
                                  s.state.y0 * -std::expm1(-q.kappa_y * tau) / q.kappa_y;
        const double forward = 100 * std::exp(0.005 * tau), discount = std::exp(-0.02 * tau);
        for (double strike : {80.0, 95.0, 100.0, 104.0, 125.0}) {
            const double black = discount * black_call(forward, strike, std::sqrt(integrated));
            const double ours = price_european(model, OptionType::call, 100, strike, tau, s.state.x0, 0.09).price;
            EXPECT_NEAR(ours, black, 1e-10 + 1e-9 * black) << "tau " << tau << " K " << strike;
        }
    }
}

// A small vol of variance is a small perturbation of sigma_x = 0 (linear
// Riccati): the quadratic solution must not lose its digits on the way there.
TEST(FourierPricer, SmallVolOfVarianceIsContinuousAtZero) {
    const auto prices = [](const char* sigma_x) {
        const Scenario s = scenario({std::string("model.sigma_x=") + sigma_x, "model.q.lambda=2.0", "model.q.mu_v=0.03",
                                     "model.phi=0.5", "state.y0=0.02"});
        const AffineTransform model(risk_neutral_model(s));
        return std::array<double, 3>{price_european(model, OptionType::call, 100, 100, 0.25, 0.04, 0.02).price,
                                     vix_future(model, 0.04, 0.02, 0.25),
                                     vix_call_undiscounted(model, 0.04, 0.02, 0.25, 22)};
    };
    const auto zero = prices("0");
    for (const char* sigma_x : {"1e-9", "1e-6", "1e-4"}) {
        const auto p = prices(sigma_x);
        for (int i = 0; i < 3; ++i)
            EXPECT_NEAR(p[i], zero[i], 1e-5 * zero[i]) << "sigma_x " << sigma_x << " price " << i;
    }
}

// Far from the money the series' noise (1e-12) must not cross the bounds.
TEST(FourierPricer, FarOutOfTheMoneyPricesStayWithinBounds) {
    const Scenario s = scenario({"model.q.lambda=2.0", "model.q.mu_v=0.05", "model.sigma_x=2.0", "model.rho=0.95"});
    const AffineTransform model(risk_neutral_model(s));
    for (double tau : {1e-6, 1 / 252.0})
        for (double strike : {60.0, 300.0}) {
            EXPECT_GE(price_european(model, OptionType::call, 100, strike, tau, 0, 0).price, 0.0)
                << tau << " " << strike;
            EXPECT_GE(price_european(model, OptionType::put, 100, strike, tau, 0, 0).price, 0.0)
                << tau << " " << strike;
        }
}

TEST(FourierPricer, PricesAreFreeOfStaticArbitrage) {
    const Scenario s = scenario(kTwoFactorQ);
    const AffineTransform model(risk_neutral_model(s));
    for (double tau : {1 / 252.0, 5 / 252.0, 0.25, 2.0}) {
        const double forward = 100 * std::exp(0.02 * tau), discount = std::exp(-0.03 * tau);
        // dC/dK lies in [-D, 0] and increases with K.
        double previous_call = price_european(model, OptionType::call, 100, 45, tau, 0.03, 0.05).price;
        double previous_slope = -discount;
        for (double strike = 50; strike <= 150; strike += 5) {
            const double call = price_european(model, OptionType::call, 100, strike, tau, 0.03, 0.05).price;
            const double put = price_european(model, OptionType::put, 100, strike, tau, 0.03, 0.05).price;
            SCOPED_TRACE(::testing::Message() << "tau " << tau << " K " << strike);
            EXPECT_GE(call, std::max(0.0, discount * (forward - strike)) - 1e-10);  // bounds
            EXPECT_LE(call, discount * forward);
            EXPECT_NEAR(call - put, discount * (forward - strike), 1e-9);  // parity
            const double slope = (call - previous_call) / 5;
            EXPECT_LE(slope, 1e-10);                   // decreasing in strike
            EXPECT_GE(slope, previous_slope - 1e-10);  // convex
            previous_call = call;
            previous_slope = slope;
        }
    }
}

// E_Q[VIX_T] from the Laplace transform against the path engine's own VIX at T
// under Q, for the full model (jumps split by phi, a spike in progress).
TEST(VixFuture, AgreesWithMonteCarloUnderQ) {
    for (const int days : {5, 42}) {
        std::vector<std::string> overrides = kTwoFactorQ;
        overrides.push_back("run.days=" + std::to_string(days));
        const Scenario s = scenario(overrides);
        std::vector<double> vix(200000);
        for_each_path(s, std::uint32_t(vix.size()),
                      [&](std::uint32_t i, const DailyPath& p, const auto&) { vix[i] = p.vix[days]; });
        const Moments mc = moments(vix);
        const double future =
            vix_future(AffineTransform(risk_neutral_model(s)), s.state.x0, s.state.y0, days / kTradingDaysPerYear);
        std::printf("%d days: future %.5f, Monte Carlo %.5f +- %.5f\n", days, future, mc.mean, mc.se_mean);
        EXPECT_NEAR(future, mc.mean, 4 * mc.se_mean)
            << days << " days: Monte Carlo " << mc.mean << " +- " << mc.se_mean;
    }
}

// With sigma_x = 0 and no jumps VIX_T is deterministic: the future is the VIX
// of the state carried forward, x_T = theta + (x0 - theta) e^{-kappa T}, y_T = y0 e^{-kappa_y T}.
TEST(VixFuture, DeterministicVarianceIsTheForwardVix) {
    const Scenario s = scenario({"model.sigma_x=0", "state.y0=0.09"});
    const MeasureParams& q = s.model.q;
    const VixCoefficients c = vix_coefficients(s.model.shared, q);
    for (double tau : {1 / 252.0, 0.25, 1.0}) {
        const double x = q.theta_x + (s.state.x0 - q.theta_x) * std::exp(-q.kappa_x * tau);
        const double y = 0.09 * std::exp(-q.kappa_y * tau);
        EXPECT_NEAR(vix_future(AffineTransform(risk_neutral_model(s)), s.state.x0, 0.09, tau),
                    100 * std::sqrt(c.a + c.b_x * x + c.b_y * y), 1e-8);
    }
}

TEST(ImpliedVol, RecoversTheVolatilityAcrossStrikesAndExpiries) {
    for (double tau : {1 / 252.0, 0.25, 2.0})
        for (double sigma : {0.05, 0.2, 0.8, 3.0})
            for (double strike : {40.0, 70.0, 99.0, 100.0, 101.0, 140.0, 250.0})
                for (OptionType type : {OptionType::call, OptionType::put}) {
                    const double forward = 100, discount = 0.97, s = sigma * std::sqrt(tau);
                    const double price = discount * (type == OptionType::call ? black_call(forward, strike, s)
                                                                              : black_put(forward, strike, s));
                    const ImpliedVol iv = implied_vol(type, price, forward, strike, tau, discount);
                    // Deep in the wings the price underflows or carries no information
                    // about sigma at double precision; those report a status instead.
                    const double vega = discount * black_vega_total(forward, strike, s);
                    if (vega < 1e-12 * forward) continue;
                    ASSERT_EQ(iv.status, ImpliedVolStatus::ok) << describe(iv.status);
                    EXPECT_NEAR(iv.vol, sigma, 1e-9 * sigma + 1e-15 * forward / (vega * std::sqrt(tau)))
                        << "tau " << tau << " K " << strike;
                }
}

// A starting guess (the SPX table passes the vol of the node before) changes
// where the search starts, not what it finds: good, poor and absurd guesses all
// return the root found from the at-the-money start, to the search's tolerance.
TEST(ImpliedVol, AnyStartingGuessFindsTheSameVolatility) {
    int compared = 0;
    for (double tau : {1 / 252.0, 0.25, 2.0})
        for (double sigma : {0.05, 0.2, 0.8, 3.0})
            for (double strike : {40.0, 70.0, 99.0, 100.0, 101.0, 140.0, 250.0}) {
                const double forward = 100, discount = 0.97, s = sigma * std::sqrt(tau);
                const double price = discount * black_put(forward, strike, s);
                if (discount * black_vega_total(forward, strike, s) < 1e-12 * forward) continue;
                const ImpliedVol plain = implied_vol(OptionType::put, price, forward, strike, tau, discount);
                ASSERT_EQ(plain.status, ImpliedVolStatus::ok);
                for (double guess : {sigma, 1.001 * sigma, 0.5 * sigma, 3 * sigma, 1e-6, 1e4}) {
                    const ImpliedVol iv = implied_vol(OptionType::put, price, forward, strike, tau, discount, guess);
                    ASSERT_EQ(iv.status, ImpliedVolStatus::ok) << "guess " << guess;
                    EXPECT_NEAR(iv.vol, plain.vol, 1e-12 * plain.vol)
                        << "tau " << tau << " sigma " << sigma << " K " << strike << " guess " << guess;
                    ++compared;
                }
            }
    EXPECT_GT(compared, 300);
}

TEST(ImpliedVol, ReportsWhereNoVolatilityExists) {
    const double forward = 100, discount = 0.99, tau = 0.5;
    EXPECT_EQ(implied_vol(OptionType::call, discount * 5, forward, 95, tau, discount).status,
              ImpliedVolStatus::below_intrinsic);  // exactly intrinsic
    EXPECT_EQ(implied_vol(OptionType::put, 0.0, forward, 95, tau, discount).status, ImpliedVolStatus::below_intrinsic);
    EXPECT_EQ(implied_vol(OptionType::call, discount * 100, forward, 95, tau, discount).status,
              ImpliedVolStatus::above_maximum);  // the forward itself
    const ImpliedVol none = implied_vol(OptionType::put, discount * 96, forward, 95, tau, discount);
    EXPECT_EQ(none.status, ImpliedVolStatus::above_maximum);
    EXPECT_TRUE(std::isnan(none.vol));
}

}  // namespace
}  // namespace condor::test
