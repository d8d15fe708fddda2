// E[sqrt(V)] from the Laplace transform of V = VIX_T^2 / 100^2: the identity
//   sqrt(v) = 1 / (2 sqrt(pi)) int_0^inf (1 - e^{-s v}) s^{-3/2} ds
// (Schürger 2002; used for VIX futures by Lian & Zhu 2013) gives, with s = z^2,
//   E[sqrt(V)] = 1 / sqrt(pi) int_0^inf (1 - L(z^2)) / z^2 dz,  L(s) = E[e^{-s V}].
// V is affine in (x_T, y_T), so L(s) = e^{-s a} E[exp(-s b_x x_T - s b_y y_T)] is
// the model's affine transform at u = 0, w = (-s b_x, -s b_y).
#include "host/pricing/vix_pricer.h"

#include <cmath>

#include "kernels/platform.h"
#include "kernels/vix_index.h"

namespace condor {

double vix_future(const AffineTransform& transform, double x0, double y0, double tau) {
    const RiskNeutralModel& m = transform.model();
    const VixCoefficients c = vix_coefficients(m.shared, m.q, kVixTauYears);
    // 1 - L(z^2), computed as -expm1(ln L) to keep its digits at small z.
    const auto one_minus_laplace = [&](double z) {
        const double s = z * z;
        const AffineExponent e = transform.exponent(0.0, -s * c.b_x, -s * c.b_y, tau);
        return -std::expm1(-s * c.a + e.log_value(x0, y0).real());
    };
    // z = scale t / (1 - t) maps [0, inf) onto [0, 1) with a bounded integrand
    // (about (1 - L) / (scale t^2) near t = 1); scale ~ 1 / sqrt(V) puts the
    // transition of L near t = 1/2.
    const double typical_v = c.a + c.b_x * std::max(x0, m.q.theta_x) + c.b_y * y0;
    const double scale = 1.0 / std::sqrt(std::max(typical_v, 1e-6));
    static const QuadratureRule rule = gauss_legendre(16);
    const int pieces = 32;
    double integral = 0;
    for (int p = 0; p < pieces; ++p) {
        const double lo = double(p) / pieces, hi = double(p + 1) / pieces;
        for (std::size_t i = 0; i < rule.nodes.size(); ++i) {
            const double t = lo + (hi - lo) * rule.nodes[i];
            const double z = scale * t / (1 - t);
            const double dz_dt = scale / ((1 - t) * (1 - t));
            integral += (hi - lo) * rule.weights[i] * one_minus_laplace(z) / (z * z) * dz_dt;
        }
    }
    return 100.0 * integral / std::sqrt(3.14159265358979323846);
}

}  // namespace condor
