// VIX futures and options under Q: exact against the scaled non-central
// chi-square law of x_T in the Heston case (Boost.Math, an independent route),
// and against the path engine's VIX under Q for the full two-factor model.
#include <gtest/gtest.h>

#include <boost/math/distributions/non_central_chi_squared.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <cmath>

#include "host/pricing/vix_pricer.h"
#include "kernels/vix_index.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

struct HestonCase {
    double kappa, theta, sigma, x0, tau;
};

// E[f(x_T)] for the CIR x_T = c X, X ~ chi'^2(4 kappa theta / sigma^2, 4 kappa e^{-kappa T} x0 / (sigma^2 (1 -
// e^{-kappa T}))), c = sigma^2 (1 - e^{-kappa T}) / (4 kappa) (Cox, Ingersoll & Ross 1985), integrated from x_low.
template <class F>
double cir_expectation(const HestonCase& h, double x_low, F f) {
    const double decay = std::exp(-h.kappa * h.tau);
    const double c = h.sigma * h.sigma * (1 - decay) / (4 * h.kappa);
    const boost::math::non_central_chi_squared law(4 * h.kappa * h.theta / (h.sigma * h.sigma),
                                                   4 * h.kappa * decay * h.x0 / (h.sigma * h.sigma * (1 - decay)));
    const auto integrand = [&](double x) { return f(c * x) * boost::math::pdf(law, x); };
    // The density behaves like x^{d/2 - 1} at 0 (d the degrees of freedom);
    // x = t^{2/d} makes the integrand smooth there for tanh-sinh. exp-sinh takes the tail.
    const double split = x_low / c + boost::math::mean(law);
    const double power = 2 / law.degrees_of_freedom();
    const double body = boost::math::quadrature::tanh_sinh<double>().integrate(
        [&](double t) { return integrand(std::pow(t, power)) * power * std::pow(t, power - 1); },
        std::pow(x_low / c, 1 / power), std::pow(split, 1 / power), 1e-13);
    const double tail = boost::math::quadrature::exp_sinh<double>().integrate(
        [&](double t) { return integrand(split + t); }, 0.0, std::numeric_limits<double>::infinity(), 1e-13);
    return body + tail;
}

TEST(VixOptions, HestonMatchesNoncentralChiSquare) {
    const HestonCase cases[] = {
        {3.0, 0.04, 0.3, 0.02, 0.1},         // Feller holds
        {1.5, 0.05, 1.2, 0.01, 21 / 252.0},  // violated: p = 0.10
        {1.5, 0.05, 1.2, 0.09, 1.0},
        {6.0, 0.03, 0.8, 0.05, 5 / 252.0},
    };
    for (const HestonCase& h : cases) {
        const Scenario s =
            scenario({"model.q.kappa_x=" + std::to_string(h.kappa), "model.q.theta_x=" + std::to_string(h.theta),
                      "model.sigma_x=" + std::to_string(h.sigma)});
        const AffineTransform model(risk_neutral_model(s));
        const VixCoefficients c = vix_coefficients(s.model.shared, s.model.q);
        const auto vix = [&](double x) { return 100 * std::sqrt(c.a + c.b_x * x); };
        SCOPED_TRACE(::testing::Message() << "kappa " << h.kappa << " theta " << h.theta << " sigma " << h.sigma
                                          << " x0 " << h.x0 << " tau " << h.tau);
        const double future = cir_expectation(h, 0, vix);
        EXPECT_NEAR(vix_future(model, h.x0, 0, h.tau), future, 1e-6);
        EXPECT_NEAR(vix_log_moment(model, h.x0, 0, h.tau),
                    cir_expectation(h, 0, [&](double x) { return std::log(vix(x)); }), 1e-8);
        for (double strike : {0.6, 0.9, 1.0, 1.2, 1.6, 2.5}) {
            const double k = strike * future;
            const double x_strike = std::max(0.0, ((k / 100) * (k / 100) - c.a) / c.b_x);
            const double call = cir_expectation(h, x_strike, [&](double x) { return std::max(vix(x) - k, 0.0); });
            EXPECT_NEAR(vix_call_undiscounted(model, h.x0, 0, h.tau, k), call, 1e-6) << "K " << k;
        }
    }
}

TEST(VixOptions, FullModelAgreesWithMonteCarloUnderQ) {
    const Scenario s =
        scenario({"run.measure=Q", "run.days=21", "run.substeps_per_day=4", "model.phi=0.4", "model.q.lambda=3.0",
                  "model.q.mu_v=0.05", "model.q.mu_s=-0.04", "model.sigma_s=0.05", "model.rho_j=-0.5",
                  "model.q.kappa_y=20.0", "model.sigma_x=1.0", "state.x0=0.03", "state.y0=0.05"});
    const int days = s.run.days;
    std::vector<double> vix(200000);
    for_each_path(s, std::uint32_t(vix.size()),
                  [&](std::uint32_t i, const DailyPath& p, const auto&) { vix[i] = p.vix[days]; });
    const AffineTransform model(risk_neutral_model(s));
    const double tau = days / kTradingDaysPerYear;
    for (double strike : {20.0, 24.0, 28.0, 35.0, 50.0}) {
        std::vector<double> calls(vix.size()), puts(vix.size());
        for (std::size_t i = 0; i < vix.size(); ++i) {
            calls[i] = std::max(vix[i] - strike, 0.0);
            puts[i] = std::max(strike - vix[i], 0.0);
        }
        const Moments call = moments(calls), put = moments(puts);
        EXPECT_NEAR(vix_call_undiscounted(model, 0.03, 0.05, tau, strike), call.mean, 4 * call.se_mean) << strike;
        EXPECT_NEAR(vix_put_undiscounted(model, 0.03, 0.05, tau, strike), put.mean, 4 * put.se_mean) << strike;
    }
}

// E[ln VIX_T], the VVIX log contract's expectation, against the path engine under Q.
TEST(VixOptions, LogMomentAgreesWithMonteCarlo) {
    const Scenario s =
        scenario({"run.measure=Q", "run.days=21", "run.substeps_per_day=4", "model.phi=0.4", "model.q.lambda=3.0",
                  "model.q.mu_v=0.05", "model.sigma_x=1.0", "state.x0=0.03", "state.y0=0.05"});
    std::vector<double> log_vix(200000);
    for_each_path(s, std::uint32_t(log_vix.size()),
                  [&](std::uint32_t i, const DailyPath& p, const auto&) { log_vix[i] = std::log(p.vix[21]); });
    const Moments mc = moments(log_vix);
    const AffineTransform model(risk_neutral_model(s));
    EXPECT_NEAR(vix_log_moment(model, 0.03, 0.05, 21 / kTradingDaysPerYear), mc.mean, 4 * mc.se_mean);
}

TEST(VixOptions, CallsAreDecreasingConvexAndAboveIntrinsic) {
    const Scenario s =
        scenario({"model.phi=0.5", "model.q.lambda=2.0", "model.q.mu_v=0.06", "model.sigma_x=0.9", "state.y0=0.04"});
    const AffineTransform model(risk_neutral_model(s));
    const double strikes[] = {14, 18, 22, 26, 30, 40, 55};
    for (double tau : {5 / 252.0, 0.25}) {
        const double future = vix_future(model, 0.04, 0.04, tau);
        double previous_strike = 10, previous = vix_call_undiscounted(model, 0.04, 0.04, tau, 10);
        double previous_slope = -1;  // dC/dK lies in [-1, 0] and increases with K
        for (double strike : strikes) {
            const double call = vix_call_undiscounted(model, 0.04, 0.04, tau, strike);
            const double slope = (call - previous) / (strike - previous_strike);
            EXPECT_GE(call, std::max(future - strike, 0.0) - 1e-7) << strike;
            EXPECT_LE(slope, 1e-7) << strike;
            EXPECT_GE(slope, previous_slope - 1e-7) << strike;
            previous_strike = strike;
            previous = call;
            previous_slope = slope;
        }
    }
}

}  // namespace
}  // namespace condor::test
