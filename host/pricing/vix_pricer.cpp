// E[sqrt(V)] from the Laplace transform of V = VIX_T^2 / 100^2: the identity
//   sqrt(v) = 1 / (2 sqrt(pi)) int_0^inf (1 - e^{-s v}) s^{-3/2} ds
// (Schürger 2002; used for VIX futures by Lian & Zhu 2013) gives, with s = z^2,
//   E[sqrt(V)] = 1 / sqrt(pi) int_0^inf (1 - L(z^2)) / z^2 dz,  L(s) = E[e^{-s V}].
// V is affine in (x_T, y_T), so L(s) = e^{-s a} E[exp(-s b_x x_T - s b_y y_T)] is
// the model's affine transform at u = 0, w = (-s b_x, -s b_y).
#include "host/pricing/vix_pricer.h"

#include <cmath>

#include "host/pricing/complex_erfc.h"
#include "host/pricing/vix_reference_law.h"
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
// The reference law (vix_reference_law.h) subtracted here removes the slow
// u^{-p} decay that the CIR density's singularity at x_T = 0 gives |M(c + iu)|.
double vix_call_undiscounted(const AffineTransform& transform, double x0, double y0, double tau, double strike) {
    const RiskNeutralModel& m = transform.model();
    const VixCoefficients coef = vix_coefficients(m.shared, m.q, kVixTauYears);
    const double k = strike / 100;
    const VixReferenceLaw ref = vix_reference_law(m, coef, x0, y0, tau);
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
        const Complex log_ref = ref.log_transform(z);
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
