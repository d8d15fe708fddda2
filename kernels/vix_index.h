// The VIX index as an affine function of the state (DESIGN §4).
//
// CBOE's VIX replicates the log contract over tau = 30/365 years:
//   VIX^2 = (2/tau) E_Q[ int_0^tau dS/S - d ln S ].
// With dS/S = (r - q - lambda mbar) dt + sqrt(x) dW_1 + sqrt(y) dW_2 + (e^J - 1) dN and
// d ln S = (r - q - lambda mbar - v/2) dt + sqrt(x) dW_1 + sqrt(y) dW_2 + J dN, their
// difference is (v/2) dt + (e^J - 1 - J) dN, so
//   VIX^2 = (1/tau) int_0^tau E_Q[x_t + y_t] dt + 2 lambda E_Q[e^J - 1 - J].
// Under Q, E[x_t] solves dE/dt = kappa_x (theta_x - E) + phi lambda mu_v, i.e. it reverts
// to theta_x* = theta_x + phi lambda mu_v / kappa_x; likewise E[y_t] reverts to
// theta_y* = (1 - phi) lambda mu_v / kappa_y at speed kappa_y. Averaging
// theta* + (x - theta*) e^{-kappa t} over [0, tau] gives
//   b_x = (1 - e^{-kappa_x tau}) / (kappa_x tau),   b_y = (1 - e^{-kappa_y tau}) / (kappa_y tau),
//   a   = theta_x* (1 - b_x) + theta_y* (1 - b_y) + 2 lambda (mbar - mu_s - rho_j mu_v),
// using E[e^J] = e^{mu_s + sigma_s^2/2} / (1 - rho_j mu_v) (J_v ~ Exp(mu_v)) and
// E[J] = mu_s + rho_j mu_v. Heston (lambda = 0, y = 0) gives Zhu & Lian (2012)'s
// theta + (v - theta)(1 - e^{-kappa tau})/(kappa tau); their SVCJ terms are the jump terms above.
#pragma once

#include <cmath>

#include "kernels/model_params.h"
#include "kernels/platform.h"
#include "kernels/special_functions.h"

namespace condor {

// VIX^2 / 100^2 = a + b_x x + b_y y (annual variance units).
struct VixCoefficients {
    double a = 0;
    double b_x = 0;
    double b_y = 0;
};

// E_Q[exp(J_S)] - 1 for J_S | J_v ~ N(mu_s + rho_j J_v, sigma_s^2), J_v ~ Exp(mu_v):
// the jump compensator (requires rho_j mu_v < 1, checked by validation).
CONDOR_HD inline double mean_price_jump(const SharedParams& shared, const MeasureParams& m) {
    return exp(m.mu_s + 0.5 * shared.sigma_s * shared.sigma_s) / (1.0 - shared.rho_j * m.mu_v) - 1.0;
}

// Out of line on the GPU: every SPX and VIX mark calls it (one copy of its
// expm1 and exp).
CONDOR_HD CONDOR_OUTLINE VixCoefficients vix_coefficients(const SharedParams& shared, const MeasureParams& q,
                                                          double tau_years = kVixTauYears) {
    VixCoefficients c;
    c.b_x = mean_decay_factor(q.kappa_x, tau_years);
    c.b_y = mean_decay_factor(q.kappa_y, tau_years);
    const double jump_variance_rate = q.lambda * q.mu_v;  // variance added by jumps per year
    const double theta_x_star = q.theta_x + shared.phi * jump_variance_rate / q.kappa_x;
    const double theta_y_star = (1.0 - shared.phi) * jump_variance_rate / q.kappa_y;
    const double log_contract_jump_term =
        2.0 * q.lambda * (mean_price_jump(shared, q) - q.mu_s - shared.rho_j * q.mu_v);
    c.a = theta_x_star * (1.0 - c.b_x) + theta_y_star * (1.0 - c.b_y) + log_contract_jump_term;
    return c;
}

// The floor of VIX_T^2 / 100^2 over an expiry tau: a + b_y y e^{-kappa_y tau}, its
// value at x_T = 0 with y only decayed (x_T >= 0, and y moves only by upward jumps
// between which it decays), so VIX_T >= 100 sqrt(floor) on every path under Q.
CONDOR_HD inline double vix_variance_floor(const SharedParams& shared, const MeasureParams& q, double y,
                                           double tau_years) {
    const VixCoefficients c = vix_coefficients(shared, q);
    return c.a + c.b_y * (y > 0 ? y : 0.0) * exp(-q.kappa_y * tau_years);
}

// VIX in index points. Negative x (possible only under the Euler reference
// scheme) counts as zero variance.
template <class Real>
CONDOR_HD CONDOR_INLINE Real vix_from_state(Real a, Real b_x, Real b_y, Real x, Real y) {
    const Real xp = x > Real(0) ? x : Real(0);
    const Real vix_squared = a + b_x * xp + b_y * y;
    return Real(100) * std::sqrt(vix_squared > Real(0) ? vix_squared : Real(0));
}

}  // namespace condor
