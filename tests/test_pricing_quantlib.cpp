// SPX option prices against QuantLib's analytic Heston and Bates engines on a
// randomised grid: Feller-violating sets, |rho| up to 0.95, strikes 0.5-1.5 x
// spot, expiries from 1 day to 2 years.
#include <gtest/gtest.h>

#include <ql/exercise.hpp>
#include <ql/instruments/payoffs.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/models/equity/batesmodel.hpp>
#include <ql/models/equity/hestonmodel.hpp>
#include <ql/pricingengines/vanilla/analytichestonengine.hpp>
#include <ql/pricingengines/vanilla/batesengine.hpp>
#include <ql/processes/batesprocess.hpp>
#include <ql/processes/hestonprocess.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <random>

#include "host/pricing/cos_pricer.h"

namespace condor::test {
namespace {

namespace ql = QuantLib;

struct HestonBatesCase {
    double spot, rate, dividend;
    double v0, kappa, theta, sigma, rho;
    double lambda, jump_mean, jump_sd;  // log price jumps N(jump_mean, jump_sd^2)
    int days;                           // expiry, Actual/365
};

// Present value from QuantLib (adaptive Gauss-Lobatto, relative tolerance 1e-12).
double quantlib_price(const HestonBatesCase& c, ql::Option::Type type, double strike) {
    const ql::Date today(2, ql::January, 2026);
    ql::Settings::instance().evaluationDate() = today;
    const ql::DayCounter dc = ql::Actual365Fixed();
    const ql::Handle<ql::YieldTermStructure> rate(ql::ext::make_shared<ql::FlatForward>(today, c.rate, dc));
    const ql::Handle<ql::YieldTermStructure> dividend(ql::ext::make_shared<ql::FlatForward>(today, c.dividend, dc));
    const ql::Handle<ql::Quote> spot(ql::ext::make_shared<ql::SimpleQuote>(c.spot));
    ql::VanillaOption option(ql::ext::make_shared<ql::PlainVanillaPayoff>(type, strike),
                             ql::ext::make_shared<ql::EuropeanExercise>(today + c.days));
    if (c.lambda > 0) {
        const auto process = ql::ext::make_shared<ql::BatesProcess>(rate, dividend, spot, c.v0, c.kappa, c.theta,
                                                                    c.sigma, c.rho, c.lambda, c.jump_mean, c.jump_sd);
        option.setPricingEngine(
            ql::ext::make_shared<ql::BatesEngine>(ql::ext::make_shared<ql::BatesModel>(process), 1e-12, 1000000));
    } else {
        const auto process =
            ql::ext::make_shared<ql::HestonProcess>(rate, dividend, spot, c.v0, c.kappa, c.theta, c.sigma, c.rho);
        option.setPricingEngine(ql::ext::make_shared<ql::AnalyticHestonEngine>(
            ql::ext::make_shared<ql::HestonModel>(process), 1e-12, 1000000));
    }
    return option.NPV();
}

// The same model in condorsim's terms: x is Heston's v, no spike factor, no
// variance jumps (mu_v = 0 makes the two-factor model Bates).
AffineTransform condor_model(const HestonBatesCase& c) {
    RiskNeutralModel m;
    m.rate = c.rate;
    m.dividend_yield = c.dividend;
    m.shared.sigma_x = c.sigma;
    m.shared.rho = c.rho;
    m.shared.phi = 1;
    m.shared.sigma_s = c.jump_sd;
    m.q.kappa_x = c.kappa;
    m.q.theta_x = c.theta;
    m.q.kappa_y = 10;
    m.q.lambda = c.lambda;
    m.q.mu_s = c.jump_mean;
    return AffineTransform(m);
}

TEST(QuantLibReference, HestonAndBatesPricesAgree) {
    std::mt19937_64 rng(20261126);
    const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    const int kSets = 600;
    int feller_violations = 0, compared = 0;
    double worst_relative = 0;
    for (int i = 0; i < kSets; ++i) {
        HestonBatesCase c;
        c.spot = 100;
        c.rate = uniform(-0.01, 0.06);
        c.dividend = uniform(0, 0.03);
        c.v0 = uniform(0.005, 0.3);
        c.kappa = std::exp(uniform(std::log(0.3), std::log(10.0)));
        c.theta = uniform(0.01, 0.2);
        c.sigma = uniform(0.1, 1.5);
        c.rho = uniform(-0.95, 0.95);
        const bool bates = i % 2 == 1;
        c.lambda = bates ? uniform(0.1, 3) : 0;
        c.jump_mean = bates ? uniform(-0.3, 0.1) : 0;
        c.jump_sd = bates ? uniform(0.01, 0.3) : 0;
        // Expiries log-uniform in [1, 730] days, with the ends always covered.
        c.days = i < 4 ? (i < 2 ? 1 : 730) : int(std::lround(std::exp(uniform(0, std::log(730.0)))));
        if (2 * c.kappa * c.theta < c.sigma * c.sigma) ++feller_violations;
        const double tau = c.days / 365.0;
        const AffineTransform model = condor_model(c);
        for (int j = 0; j < 3; ++j) {
            const double strike = std::round(uniform(50, 150) * 100) / 100;
            for (OptionType type : {OptionType::call, OptionType::put}) {
                const double ours = price_european(model, type, c.spot, strike, tau, c.v0, 0).price;
                const double theirs =
                    quantlib_price(c, type == OptionType::call ? ql::Option::Call : ql::Option::Put, strike);
                SCOPED_TRACE(::testing::Message()
                             << (bates ? "Bates" : "Heston") << " set " << i << ": v0=" << c.v0 << " kappa=" << c.kappa
                             << " theta=" << c.theta << " sigma=" << c.sigma << " rho=" << c.rho
                             << " lambda=" << c.lambda << " nu=" << c.jump_mean << " delta=" << c.jump_sd
                             << " days=" << c.days << " K=" << strike << (type == OptionType::call ? " call" : " put"));
                const double tolerance = theirs < 1e-2 ? 1e-8 : 1e-6 * theirs;
                EXPECT_NEAR(ours, theirs, tolerance);
                if (theirs >= 1e-2) worst_relative = std::max(worst_relative, std::fabs(ours / theirs - 1));
                ++compared;
            }
        }
    }
    std::printf("compared %d prices on %d parameter sets (%d violate Feller); worst relative error %.2e\n", compared,
                kSets, feller_violations, worst_relative);
    EXPECT_GT(feller_violations, kSets / 4);  // the grid must exercise x reaching zero
}

}  // namespace
}  // namespace condor::test
