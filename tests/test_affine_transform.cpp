// The affine transform's exponents (host/pricing/affine_transform.cpp) against
// an independent solution of the same Riccati equations: classical fourth-order
// Runge-Kutta on A, B_x, B_y together, with the jump transform evaluated at each
// stage. The closed forms, the graded Gauss-Legendre jump integral and its
// squared decays must all agree with it.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>

#include "host/pricing/affine_transform.h"
#include "kernels/vix_index.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

struct Exponents {
    Complex a, b_x, b_y;
};

// The right-hand sides of the equations in affine_transform.cpp's header:
//   B_x' = alpha + beta B_x + gamma B_x^2,  B_y' = alpha - kappa_y B_y,
//   A'   = u (r - q - lambda mbar) + kappa_x theta_x B_x + lambda (Psi(u, phi B_x + (1 - phi) B_y) - 1).
Exponents derivative(const RiskNeutralModel& m, Complex u, const Exponents& e) {
    const SharedParams& sh = m.shared;
    const MeasureParams& q = m.q;
    const Complex alpha = 0.5 * (u * u - u);
    const Complex beta = sh.rho * sh.sigma_x * u - q.kappa_x;
    const double gamma = 0.5 * sh.sigma_x * sh.sigma_x;
    const Complex w = sh.phi * e.b_x + (1 - sh.phi) * e.b_y;
    const Complex psi =
        std::exp(u * q.mu_s + 0.5 * u * u * sh.sigma_s * sh.sigma_s) / (1.0 - (w + u * sh.rho_j) * q.mu_v);
    const double drift = m.rate - m.dividend_yield - q.lambda * mean_price_jump(sh, q);
    return {u * drift + q.kappa_x * q.theta_x * e.b_x + q.lambda * (psi - 1.0),
            alpha + beta * e.b_x + gamma * e.b_x * e.b_x, alpha - q.kappa_y * e.b_y};
}

Exponents runge_kutta(const RiskNeutralModel& m, Complex u, Complex w_x, Complex w_y, double tau, int steps) {
    Exponents e{0.0, w_x, w_y};
    const double h = tau / steps;
    const auto plus = [](const Exponents& e, const Exponents& d, double f) {
        return Exponents{e.a + f * d.a, e.b_x + f * d.b_x, e.b_y + f * d.b_y};
    };
    for (int i = 0; i < steps; ++i) {
        const Exponents k1 = derivative(m, u, e);
        const Exponents k2 = derivative(m, u, plus(e, k1, h / 2));
        const Exponents k3 = derivative(m, u, plus(e, k2, h / 2));
        const Exponents k4 = derivative(m, u, plus(e, k3, h));
        e = plus(e,
                 Exponents{k1.a + 2.0 * k2.a + 2.0 * k3.a + k4.a, k1.b_x + 2.0 * k2.b_x + 2.0 * k3.b_x + k4.b_x,
                           k1.b_y + 2.0 * k2.b_y + 2.0 * k3.b_y + k4.b_y},
                 h / 6);
    }
    return e;
}

// One case: the transform's exponents against RK4 with n and 2n steps. RK4's
// error falls 16-fold from n to 2n steps, so |RK4(2n) - RK4(n)| bounds its own
// error at 2n steps with room to spare; the bound adds 1e-11 relative for rounding.
void expect_solves_riccati(const RiskNeutralModel& m, Complex u, Complex w_x, Complex w_y, double tau) {
    const AffineExponent ours = AffineTransform(m).exponent(u, w_x, w_y, tau);
    // Steps resolving the fastest rate: |d| ~ sigma_x |u| and the relaxation of a large w_x.
    const double fastest = std::max({std::abs(u) * m.shared.sigma_x + m.q.kappa_x, m.q.kappa_y,
                                     std::abs(w_x) * m.shared.sigma_x * m.shared.sigma_x, 1.0 / tau});
    const int steps = int(std::ceil(tau * fastest * 40)) + 200;
    const Exponents coarse = runge_kutta(m, u, w_x, w_y, tau, steps);
    const Exponents fine = runge_kutta(m, u, w_x, w_y, tau, 2 * steps);
    const auto check = [&](const char* name, Complex got, Complex reference, Complex coarser) {
        const double bound = 2 * std::abs(reference - coarser) + 1e-11 * (1 + std::abs(reference));
        EXPECT_LE(std::abs(got - reference), bound)
            << name << " at u = " << u << ", w_x = " << w_x << ", w_y = " << w_y << ", tau = " << tau << ": ours "
            << got << ", Runge-Kutta " << reference;
    };
    check("A", ours.a, fine.a, coarse.a);
    check("B_x", ours.b_x, fine.b_x, coarse.b_x);
    check("B_y", ours.b_y, fine.b_y, coarse.b_y);
}

// The calibrated default's Q (scenarios/default.toml: rho at -0.99, variance jumps
// mostly into x) and a model with every term large (test_pricing.cpp's kTwoFactorQ).
const std::vector<std::vector<std::string>> kModels = {
    {"model.sigma_x=0.395706", "model.rho=-0.99", "model.phi=0.0404033", "model.sigma_s=0.001", "model.rho_j=-0.32746",
     "model.q.kappa_x=0.209682", "model.q.theta_x=0.3", "model.q.kappa_y=5.00024", "model.q.lambda=1.60805",
     "model.q.mu_v=0.0710405", "model.q.mu_s=-0.0265239", "market.rate=0.04", "market.dividend_yield=0.013"},
    {"market.rate=0.03", "market.dividend_yield=0.01", "model.phi=0.4", "model.q.lambda=3.0", "model.q.mu_v=0.05",
     "model.q.mu_s=-0.04", "model.sigma_s=0.05", "model.rho_j=-0.5", "model.q.kappa_y=20.0", "model.sigma_x=0.8"}};

// u = i omega: the SPX characteristic function, up to the COS series' largest
// frequencies (the SPX table's 65536 terms reach omega ~ 1e5 at short expiries).
TEST(AffineTransform, CharacteristicExponentsSolveTheRiccatiEquations) {
    for (const auto& overrides : kModels) {
        const RiskNeutralModel m = risk_neutral_model(scenario(overrides));
        for (double tau : {1 / 252.0, 0.1, 0.5})
            for (double omega : {0.5, 30.0, 2000.0, 1e5}) {
                if (tau * omega > 2e3) continue;  // keeps the reference's step count small
                expect_solves_riccati(m, Complex(0, omega), 0.0, 0.0, tau);
            }
    }
}

// u = 0 with terminal exponents on the state: the VIX transforms (vix_pricer.cpp,
// vix_terminal_law.cpp) at real and complex w, including a large w_x.
TEST(AffineTransform, VarianceTransformsSolveTheRiccatiEquations) {
    for (const auto& overrides : kModels) {
        const RiskNeutralModel m = risk_neutral_model(scenario(overrides));
        for (double tau : {1 / 252.0, 30 / 365.0, 0.5})
            for (Complex z : {Complex(-1, 0), Complex(-40, 15), Complex(-400, -300), Complex(2, 0)}) {
                expect_solves_riccati(m, 0.0, z * 0.9, z * 0.7, tau);
            }
    }
}

}  // namespace
}  // namespace condor::test
