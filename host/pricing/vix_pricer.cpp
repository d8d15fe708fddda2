// E[sqrt(V)] from the Laplace transform of V = VIX_T^2 / 100^2: the identity
//   sqrt(v) = 1 / (2 sqrt(pi)) int_0^inf (1 - e^{-s v}) s^{-3/2} ds
// (Schürger 2002; used for VIX futures by Lian & Zhu 2013) gives, with s = z^2,
//   E[sqrt(V)] = 1 / sqrt(pi) int_0^inf (1 - L(z^2)) / z^2 dz,  L(s) = E[e^{-s V}].
// V is affine in (x_T, y_T), so L(s) = e^{-s a} E[exp(-s b_x x_T - s b_y y_T)] is
// the model's affine transform at u = 0, w = (-s b_x, -s b_y).
#include "host/pricing/vix_pricer.h"

#include <cmath>

#include "host/pricing/complex_erfc.h"
#include "kernels/platform.h"
#include "kernels/vix_index.h"

namespace condor {

namespace {

constexpr double kPi = 3.14159265358979323846;

// A scale of V = VIX_T^2 / 100^2 over the horizon, for the quadratures' maps.
double typical_variance(const RiskNeutralModel& m, const VixCoefficients& c, double x0, double y0) {
    return std::max(c.a + c.b_x * std::max(x0, m.q.theta_x) + c.b_y * y0, 1e-6);
}

// int_0^inf f(z) dz for f bounded near 0 and O(1/z^2) at infinity: z = scale t / (1 - t)
// maps it to a bounded integrand on [0, 1), integrated by composite Gauss–Legendre.
template <class F>
double half_line_integral(F f, double scale, int pieces) {
    static const QuadratureRule rule = gauss_legendre(16);
    double integral = 0;
    for (int p = 0; p < pieces; ++p) {
        const double lo = double(p) / pieces, hi = double(p + 1) / pieces;
        for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
            const double t = lo + (hi - lo) * rule.nodes[i];
            integral += (hi - lo) * rule.weights[i] * f(scale * t / (1 - t)) * scale / ((1 - t) * (1 - t));
        }
    }
    return integral;
}

}  // namespace

VixFutureNodes::VixFutureNodes(const AffineTransform& transform, double tau, double scale) {
    const RiskNeutralModel& m = transform.model();
    const VixCoefficients c = vix_coefficients(m.shared, m.q, kVixTauYears);
    a_ = c.a;
    static const QuadratureRule rule = gauss_legendre(16);
    const int pieces = 64;
    for (int p = 0; p < pieces; ++p)
        for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
            const double t = (p + rule.nodes[i]) / pieces;
            const double z = scale * t / (1 - t);
            z_.push_back(z);
            // dz/dt, the 1/z^2 of the integrand and the 100/sqrt(pi) in front.
            weight_.push_back(rule.weights[i] / pieces * scale / ((1 - t) * (1 - t)) / (z * z) * 100 / std::sqrt(kPi));
            exponents_.push_back(transform.exponent(0.0, -z * z * c.b_x, -z * z * c.b_y, tau));
        }
}

double VixFutureNodes::future(double x0, double y0) const {
    double total = 0;
    for (std::size_t j = 0; j < z_.size(); ++j)  // 1 - L(z^2) as -expm1(ln L): its digits survive at small z
        total -= weight_[j] * std::expm1(-z_[j] * z_[j] * a_ + exponents_[j].log_value(x0, y0).real());
    return total;
}

double vix_future(const AffineTransform& transform, double x0, double y0, double tau) {
    const RiskNeutralModel& m = transform.model();
    const VixCoefficients c = vix_coefficients(m.shared, m.q, kVixTauYears);
    return VixFutureNodes(transform, tau, 1.0 / std::sqrt(typical_variance(m, c, x0, y0))).future(x0, y0);
}

// Frullani's integral ln v - ln v0 = int_0^inf (e^{-s v0} - e^{-s v}) / s ds gives
//   E[ln V] = ln v0 + int_0^inf (e^{-s v0} - L(s)) / s ds,
// with v0 a typical level of V so that both terms vary on one scale.
double vix_log_moment(const AffineTransform& transform, double x0, double y0, double tau) {
    const RiskNeutralModel& m = transform.model();
    const VixCoefficients c = vix_coefficients(m.shared, m.q, kVixTauYears);
    const double v0 = typical_variance(m, c, x0, y0);
    const auto integrand = [&](double s) {
        const AffineExponent e = transform.exponent(0.0, -s * c.b_x, -s * c.b_y, tau);
        return (std::exp(-s * v0) - std::exp(-s * c.a + e.log_value(x0, y0).real())) / s;
    };
    const double log_v = std::log(v0) + half_line_integral(integrand, 1 / v0, 64);
    return std::log(100.0) + 0.5 * log_v;
}

double vvix(const AffineTransform& transform, double x0, double y0) {
    const double tau = kVixTauYears;
    const double future = vix_future(transform, x0, y0, tau);
    return 100 * std::sqrt(std::max(0.0, 2 / tau * (std::log(future) - vix_log_moment(transform, x0, y0, tau))));
}

// ---- VIX options -------------------------------------------------------------
//
// E[(sqrt(V) - k)^+] by Bromwich inversion of the Laplace transform in v of the
// payoff, G(z) = int_{k^2}^inf (sqrt(v) - k) e^{-z v} dv = (sqrt(pi)/2) erfc(k sqrt(z)) z^{-3/2}
// (integrate by parts with v = w^2):
//   E[(sqrt(V) - k)^+] = 1/pi int_0^inf Re[M(c + iu) G(c + iu)] du,  M(z) = E[e^{z V}],
// for any c > 0 with M(c) finite (the form of Lian & Zhu 2013's VIX option formula).
//
// Why a reference law is subtracted: x_T has the CIR density ~ x^{p - 1} near 0,
// p = 2 kappa_x theta_x / sigma_x^2 (Feller 1951), so |M(c + iu)| decays only like
// u^{-p}; with p < 1 (Feller violated, as in fitted SVCJ models) the integral
// above converges too slowly to truncate. With u = 0 the x-Riccati is solvable:
// for w_x = z b_x,
//   exp(kappa_x theta_x int B_x) = (1 - w_x c_T)^{-p},  c_T = sigma_x^2 (1 - e^{-kappa_x T}) / (2 kappa_x),
//   B_x(T) = w_x e^{-kappa_x T} / (1 - w_x c_T)  ->  -e^{-kappa_x T} / c_T,
// and B_y(T) = w_y e^{-kappa_y T}, so as |u| -> inf
//   M(z) ~ M_ref(z) = W e^{z a'} (1 - z s)^{-p},  a' = a + b_y y0 e^{-kappa_y T},  s = b_x c_T,
// with W = exp(-x0 e^{-kappa_x T} / c_T + J_inf) and J_inf the limit of the jump
// term (below). M_ref is the transform of W times the law of a' + s Gamma(p, 1),
// whose option price is a smooth one-dimensional integral; M - M_ref decays like
// u^{-p-1} ln u, and the Bromwich integral of the difference converges.
namespace {

struct ReferenceLaw {
    double weight = 0;  // W
    double shift = 0;   // a'
    double scale = 0;   // s (0: a point mass at a', when sigma_x = 0)
    double shape = 0;   // p
};

// J_inf = lim lambda int_0^T (1 / (1 - w(s) mu_v) - 1) ds as |z| -> inf, w(s) = phi B_x(s) + (1 - phi) B_y(s).
// If phi < 1 or sigma_x = 0, w(s) -> inf for every s and every jump is "absorbed":
// J_inf = -lambda T. If phi = 1, B_x(s) -> -e^{-kappa s} / c_s, a finite limit for s > 0.
double jump_term_limit(const RiskNeutralModel& m, double tau) {
    const MeasureParams& q = m.q;
    if (q.lambda == 0 || q.mu_v == 0) return 0.0;
    const double gamma = 0.5 * m.shared.sigma_x * m.shared.sigma_x;
    if (m.shared.phi < 1 || gamma == 0) return -q.lambda * tau;
    static const QuadratureRule rule = gauss_legendre(16);
    const int pieces = 32;
    double integral = 0;
    for (int p = 0; p < pieces; ++p)
        for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
            const double s = tau * (p + rule.nodes[i]) / pieces;
            const double c_s = gamma * -std::expm1(-q.kappa_x * s) / q.kappa_x;
            integral += rule.weights[i] / pieces * (1 / (1 + q.mu_v * std::exp(-q.kappa_x * s) / c_s) - 1);
        }
    return q.lambda * tau * integral;
}

ReferenceLaw reference_law(const RiskNeutralModel& m, const VixCoefficients& coef, double x0, double y0, double tau) {
    const MeasureParams& q = m.q;
    const double gamma = 0.5 * m.shared.sigma_x * m.shared.sigma_x;
    ReferenceLaw r;
    r.shift = coef.a + coef.b_y * y0 * std::exp(-q.kappa_y * tau);
    const double j_inf = jump_term_limit(m, tau);
    if (gamma == 0) {  // x deterministic without jumps: x_T = theta + (x0 - theta) e^{-kappa T}
        r.shift += coef.b_x * (q.theta_x + (x0 - q.theta_x) * std::exp(-q.kappa_x * tau));
        r.weight = std::exp(j_inf);
        return r;
    }
    const double c_t = gamma * -std::expm1(-q.kappa_x * tau) / q.kappa_x;
    r.scale = coef.b_x * c_t;
    r.shape = q.kappa_x * q.theta_x / gamma;
    r.weight = std::exp(-x0 * std::exp(-q.kappa_x * tau) / c_t + j_inf);
    return r;
}

// E[(sqrt(a' + s G) - k)^+], G ~ Gamma(p, 1), by Gauss–Legendre over the gamma
// law; for p < 1 the density's singularity at 0 is removed by g = v^{1/p}
// (g^{p-1} dg = dv / p).
double reference_call(const ReferenceLaw& r, double k) {
    if (r.scale == 0) return std::max(std::sqrt(r.shift) - k, 0.0);
    const auto payoff = [&](double g) { return std::max(std::sqrt(r.shift + r.scale * g) - k, 0.0); };
    const double g_strike = std::max(0.0, (k * k - r.shift) / r.scale);  // payoff > 0 above it
    const double p = r.shape;
    const double log_norm = -std::lgamma(p);
    static const QuadratureRule rule = gauss_legendre(16);
    double total = 0;
    const auto integrate = [&](double lo, double hi, int pieces, auto f) {
        for (int j = 0; j < pieces; ++j) {
            const double a = lo + (hi - lo) * j / pieces, b = lo + (hi - lo) * (j + 1) / pieces;
            for (std::size_t i = 0; i < rule.nodes.size(); ++i)
                total += (b - a) * rule.weights[i] * f(a + (b - a) * rule.nodes[i]);
        }
    };
    // Beyond p + 40 sqrt(p) + 60 the gamma tail is below e^{-40}.
    // Gamma(p) lies within p -+ (40 sqrt(p) + 60) but for e^{-40}; for large p
    // (small vol of variance) that window is narrow and must be where the nodes are.
    const double g_end = p + 40 * std::sqrt(p) + 60;
    double g_start = std::max(g_strike, p - 40 * std::sqrt(p) - 60);
    if (p < 1 && g_strike < 1) {  // [g_strike, 1] in v = g^p, smooth there
        integrate(std::pow(g_strike, p), 1.0, 16, [&](double v) {
            const double g = std::pow(v, 1 / p);
            return payoff(g) * std::exp(-g + log_norm) / p;
        });
        g_start = 1;
    }
    if (g_start < g_end)
        integrate(g_start, g_end, 64,
                  [&](double g) { return payoff(g) * std::exp((p - 1) * std::log(g) - g + log_norm); });
    return total;
}

}  // namespace

double vix_call_undiscounted(const AffineTransform& transform, double x0, double y0, double tau, double strike) {
    const RiskNeutralModel& m = transform.model();
    const VixCoefficients coef = vix_coefficients(m.shared, m.q, kVixTauYears);
    const double k = strike / 100;
    const ReferenceLaw ref = reference_law(m, coef, x0, y0, tau);
    // V >= a' (x, y >= 0 and y only jumps up): below that strike the call is
    // exercised on every path.
    if (k * k <= ref.shift) return vix_future(transform, x0, y0, tau) - strike;
    // c about 1 / E[V], reduced until E[e^{2cV}] is finite (moments of V explode
    // at a finite c when the vol of variance is high or variance jumps are large).
    const double typical_v = typical_variance(m, coef, x0, y0);
    double c = 1 / typical_v;
    while (c > 1e-6 && !transform.real_log_transform(0, 2 * c * coef.b_x, 2 * c * coef.b_y, x0, y0, tau)) c /= 2;
    const auto integrand = [&](double u) {
        const Complex z(c, u);
        const AffineExponent e = transform.exponent(0.0, z * coef.b_x, z * coef.b_y, tau);
        const Complex log_m = z * coef.a + e.log_value(x0, y0);
        const Complex log_ref = std::log(ref.weight) + z * ref.shift - ref.shape * std::log(1.0 - z * ref.scale);
        const Complex laplace_of_payoff = 0.5 * std::sqrt(kPi) * erfc_sector(k * std::sqrt(z)) / (z * std::sqrt(z));
        return ((std::exp(log_m) - std::exp(log_ref)) * laplace_of_payoff).real();
    };
    // Pieces grow with u (the integrand varies on the scale c near 0 and more
    // slowly further out) up to one period of e^{iu v} at the top of V's bulk,
    // which resolves the oscillation. The integrand decays like u^{-p-3} (p may be
    // near 0), so the tail beyond u is at most about u times the mean |f| of the
    // last block: blocks continue until that bound falls below 1e-8 (3e-7 VIX points).
    const double v_high = std::max(k * k, 4 * typical_v);
    const double widest = 2 * kPi / v_high;
    static const QuadratureRule rule = gauss_legendre(16);
    double integral = 0, u = 0;
    int quiet_blocks = 0;
    for (int block = 0; block < 2000; ++block) {
        const double block_start = u, integral_before = integral;
        double magnitude = 0;
        for (int j = 0; j < 32; ++j) {
            const double width = std::min(widest, std::max(c, 0.25 * u));
            for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
                const double f = width * rule.weights[i] * integrand(u + width * rule.nodes[i]);
                integral += f;
                magnitude += std::fabs(f);
            }
            u += width;
        }
        if (magnitude / (u - block_start) * u < 1e-8) break;
        // Where |f| decays slowly but oscillates (jumps in y that decayed for
        // e^{kappa_y T} >> 1), the blocks' integrals converge well before the
        // bound above: three blocks of many full periods each adding < 1e-10 end it.
        const bool saturated = std::max(c, 0.25 * block_start) >= widest;
        quiet_blocks = saturated && std::fabs(integral - integral_before) < 1e-10 ? quiet_blocks + 1 : 0;
        if (quiet_blocks == 3) break;
    }
    return 100 * (ref.weight * reference_call(ref, k) + integral / kPi);
}

// Put–call parity on VIX_T: C - P = E[VIX_T] - K.
double vix_put_undiscounted(const AffineTransform& transform, double x0, double y0, double tau, double strike) {
    return vix_call_undiscounted(transform, x0, y0, tau, strike) - (vix_future(transform, x0, y0, tau) - strike);
}

}  // namespace condor
