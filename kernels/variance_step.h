// One diffusion step of (ln S, x, y) over h years with no jump inside it.
//
// x: Andersen (2008), "Simple and efficient simulation of the Heston stochastic
//    volatility model", J. Comp. Finance 11(3): the Quadratic-Exponential (QE)
//    scheme (sec. 3.2.4, psi_c = 1.5), which matches the conditional mean and
//    variance of x exactly, and the log-price step of his eq. (33) with
//    gamma_1 = gamma_2 = 1/2, with the martingale correction of sec. 4.2 (QE-M).
// y: between jumps y decays deterministically, y_{t+h} = y e^{-kappa_y h}, so
//    int y dt = y (1 - e^{-kappa_y h}) / kappa_y exactly and the W_2 part of ln S is
//    exactly Gaussian.
// Full-truncation Euler (Lord, Koekkoek & van Dijk 2010) is kept as a reference
// scheme for tests; it is not for production runs.
#pragma once

#include <cmath>

#include "kernels/platform.h"
#include "kernels/rng.h"
#include "kernels/sim_params.h"
#include "kernels/special_functions.h"

namespace condor {

template <class Real>
struct PathState {
    Real log_s;  // ln(S / S_0)
    Real x;      // slow variance factor, annual variance
    Real y;      // spike variance factor, annual variance
    int regime;  // 0 calm, 1 stressed
};

// Coefficients of a step of h years in one regime (Andersen 2008, eqs. (17)-(18), (33)).
template <class Real>
struct StepCoefficients {
    Real h;
    Real mean_const, mean_slope;  // E[x_h | x] = mean_const + mean_slope x
    Real var_const, var_slope;    // Var[x_h | x] = var_const + var_slope x
    Real k0, k1, k2, k3, k4;      // ln S_h - ln S = drift + K0 + K1 x + K2 x_h + sqrt(K3 x + K4 x_h) Z
    Real drift;                   // (r - q - lambda mbar) h
    Real eta;                     // equity premium per unit variance
    Real eta_half_h;              // eta h / 2: trapezoidal premium eta int x dt
    Real decay_y;                 // e^{-kappa_y h}
    Real y_integral_factor;       // (1 - e^{-kappa_y h}) / kappa_y
    bool deterministic_x;         // sigma_x = 0: x follows its mean
};

template <class Real>
CONDOR_HD inline StepCoefficients<Real> make_step_coefficients(const RegimeDynamics<Real>& d, Real h) {
    StepCoefficients<Real> c;
    const double kappa = d.kappa_x, theta = d.theta_x, sigma = d.sigma_x;
    const double decay = exp(-kappa * double(h));
    c.h = h;
    c.mean_const = Real(theta * (1 - decay));
    c.mean_slope = Real(decay);
    c.var_const = Real(theta * sigma * sigma * (1 - decay) * (1 - decay) / (2 * kappa));
    c.var_slope = Real(sigma * sigma * decay * (1 - decay) / kappa);
    c.deterministic_x = !(sigma > 0);
    // With sigma_x = 0 the price shock is all W_1 and rho plays no part.
    const double rho = c.deterministic_x ? 0.0 : double(d.rho);
    const double rho_over_sigma = c.deterministic_x ? 0.0 : rho / sigma;
    const double half_h = 0.5 * double(h);
    c.k0 = Real(-rho_over_sigma * kappa * theta * double(h));
    c.k1 = Real(half_h * (kappa * rho_over_sigma - 0.5) - rho_over_sigma);
    c.k2 = Real(half_h * (kappa * rho_over_sigma - 0.5) + rho_over_sigma);
    c.k3 = Real(half_h * (1 - rho * rho));
    c.k4 = Real(half_h * (1 - rho * rho));
    c.drift = Real(double(d.log_drift) * double(h));
    c.eta = d.eta;
    c.eta_half_h = Real(double(d.eta) * half_h);
    c.decay_y = Real(exp(-double(d.kappa_y) * double(h)));
    c.y_integral_factor = Real(double(h) * mean_decay_factor(d.kappa_y, h));
    return c;
}

// The QE draw of x_h given x: x_h, and ln E[exp(A x_h) | x], the moment
// generating function Andersen's martingale correction needs, with `mgf_ok`
// false where it does not exist (then the uncorrected K0 is used). T is Real,
// or a lane vector of Real on the CPU (kernels/path_lanes.h); Mask is bool or
// the lane mask.
template <class T>
struct QeDraw {
    using Mask = decltype(T{} < T{});
    T x_next;
    T log_mgf;
    Mask mgf_ok;
};

// Quadratic branch (psi <= psi_c): x_h = a (b + Z)^2, Z standard normal
// (Andersen eqs. (27)-(28)); the MGF is his eq. (32) with the log of its
// square-root factor.
template <class T>
CONDOR_HD CONDOR_INLINE QeDraw<T> qe_quadratic(T m, T psi, T z, T A) {
    using E = element_t<T>;
    const T two_over_psi = E(2) / psi;
    const T b2 = two_over_psi - E(1) + square_root(two_over_psi) * square_root(two_over_psi - E(1));
    const T a = m / (E(1) + b2);
    const T b = square_root(b2);
    const T one_minus_2Aa = E(1) - E(2) * A * a;
    QeDraw<T> d;
    d.mgf_ok = one_minus_2Aa > E(0);
    d.log_mgf = A * b2 * a / one_minus_2Aa - E(0.5) * log_positive(one_minus_2Aa);
    d.x_next = a * (b + z) * (b + z);
    return d;
}

// Exponential branch (psi > psi_c): mass p at zero, exponential tail of rate
// beta, drawn by inverting its CDF at the uniform u (eqs. (29)-(30)).
template <class T>
CONDOR_HD CONDOR_INLINE QeDraw<T> qe_exponential(T m, T psi, T u, T A) {
    using E = element_t<T>;
    const T p = (psi - E(1)) / (psi + E(1));
    const T beta = (E(1) - p) / m;
    QeDraw<T> d;
    d.mgf_ok = A < beta;
    d.log_mgf = log_positive(p + beta * (E(1) - p) / (beta - A));
    d.x_next = select(u <= p, T{}, log_positive((E(1) - p) / (E(1) - u)) / beta);
    return d;
}

// ln S over the step given x, x_h and the two price shocks z1 (W_1, correlated
// with x through K0..K4) and z2 (W_2, the spike factor); y decays.
template <class T>
CONDOR_HD CONDOR_INLINE void advance_log_price(const StepCoefficients<T>& c, T x, const QeDraw<T>& d, T z1, T z2,
                                               T& log_s, T& y) {
    using E = element_t<T>;
    // QE-M: choose K0 so that E[S_h / S | x] = exp(drift) exactly (Andersen sec. 4.2).
    const T k0 = select(d.mgf_ok, -d.log_mgf - (c.k1 + E(0.5) * c.k3) * x, c.k0);
    const T x_var = c.k3 * x + c.k4 * d.x_next;
    log_s += c.drift + k0 + c.k1 * x + c.k2 * d.x_next + square_root(select(x_var > E(0), x_var, T{})) * z1 +
             c.eta_half_h * (x + d.x_next);
    // Spike factor: exact, since y is deterministic between jumps.
    const T y_integral = y * c.y_integral_factor;
    log_s += (c.eta - E(0.5)) * y_integral + square_root(y_integral) * z2;
    y *= c.decay_y;
}

// QE draw of x_h given x and a uniform u (its inverse normal on the quadratic branch).
template <class Real>
CONDOR_HD CONDOR_INLINE QeDraw<Real> qe_variance_draw(const StepCoefficients<Real>& c, Real x, Real u, Real A) {
    const Real m = c.mean_const + c.mean_slope * x;
    if (c.deterministic_x) return QeDraw<Real>{m, A * m, true};
    const Real psi = (c.var_const + c.var_slope * x) / (m * m);
    if (psi <= Real(1.5)) return qe_quadratic(m, psi, inverse_normal_cdf(u), A);
    return qe_exponential(m, psi, u, A);
}

// Advances the state by one jump-free interval with the coefficients `c`,
// using the three uniforms of one diffusion draw.
template <class Real>
CONDOR_HD CONDOR_INLINE void diffuse_qe(const StepCoefficients<Real>& c, const Uniform4& bits, PathState<Real>& s) {
    Real z1, z2;
    box_muller(uniform_open<Real>(bits.u[1]), uniform_open<Real>(bits.u[2]), z1, z2);
    const Real A = c.k2 + Real(0.5) * c.k4;
    const Real x = s.x;
    const QeDraw<Real> d = qe_variance_draw(c, x, uniform_open<Real>(bits.u[0]), A);
    advance_log_price(c, x, d, z1, z2, s.log_s, s.y);
    s.x = d.x_next;
}

// Full-truncation Euler (reference only): x may go negative, max(x, 0) drives
// the dynamics. Same draws as QE so the two can be compared path by path.
template <class Real>
CONDOR_HD CONDOR_INLINE void diffuse_euler(const RegimeDynamics<Real>& d, const StepCoefficients<Real>& c,
                                           const Uniform4& bits, PathState<Real>& s) {
    using std::sqrt;
    const Real zv = inverse_normal_cdf(uniform_open<Real>(bits.u[0]));
    Real z1, z2;
    box_muller(uniform_open<Real>(bits.u[1]), uniform_open<Real>(bits.u[2]), z1, z2);
    const Real xp = s.x > Real(0) ? s.x : Real(0);
    const Real sd = sqrt(xp * c.h);
    s.log_s += c.drift + (d.eta - Real(0.5)) * xp * c.h + sd * (d.rho * zv + sqrt(Real(1) - d.rho * d.rho) * z1);
    s.x += d.kappa_x * (d.theta_x - xp) * c.h + d.sigma_x * sd * zv;

    const Real y_integral = s.y * c.y_integral_factor;
    s.log_s += (d.eta - Real(0.5)) * y_integral + sqrt(y_integral) * z2;
    s.y *= c.decay_y;
}

}  // namespace condor
