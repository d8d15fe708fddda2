// The reference law of V near its lower bound; the derivation is below.
#include "host/pricing/vix_reference_law.h"

#include <cmath>

#include "host/pricing/gauss_legendre.h"
#include "kernels/lanes.h"
#include "kernels/special_functions.h"

namespace condor {

// Why a reference law: x_T has the CIR density ~ x^{p - 1} near 0,
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

}  // namespace

VixReferenceLaw vix_reference_law(const RiskNeutralModel& m, const VixCoefficients& coef, double x0, double y0,
                                  double tau) {
    const MeasureParams& q = m.q;
    const double gamma = 0.5 * m.shared.sigma_x * m.shared.sigma_x;
    VixReferenceLaw r;
    r.shift = vix_variance_floor(m.shared, q, y0, tau);
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
double reference_call(const VixReferenceLaw& r, double k) {
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

std::complex<double> VixReferenceLaw::log_transform(std::complex<double> z) const {
    return std::log(weight) + z * shift - shape * std::log(1.0 - z * scale);
}

namespace {

// Nodes g_i and weights w_i with sum_i w_i f(g_i) ~ int_lo^hi f(g) g^{p-1} e^{-g} / Gamma(p) dg:
// Gauss–Legendre in g, or in t = g^p where p < 1 and the interval reaches down
// to 0 (g^{p-1} dg = dt / p removes the density's singularity there).
// log_norm = -ln Gamma(p), passed in so that a sweep over cells computes it once.
struct GammaNodes {
    static constexpr int count = 8;
    double g[count] = {}, w[count] = {};
};

// g^{p-1} e^{-g} / Gamma(p) for g > 0, on a scalar or a lane vector (the same bits).
template <class T>
T gamma_density(T g, double p, double log_norm) {
    return exp_f64((p - 1) * log_positive(g) - g + log_norm);
}

GammaNodes gamma_nodes(double p, double log_norm, double lo, double hi) {
    static const QuadratureRule rule = gauss_legendre(GammaNodes::count);
    GammaNodes q;
    if (!(hi > lo)) return q;
    if (p < 1 && lo < 1e-3 * (hi - lo)) {
        const double t_lo = std::pow(lo, p), t_hi = std::pow(hi, p);
        for (int i = 0; i < GammaNodes::count; ++i) {
            q.g[i] = std::pow(t_lo + (t_hi - t_lo) * rule.nodes[i], 1 / p);
            q.w[i] = (t_hi - t_lo) * rule.weights[i] * std::exp(-q.g[i] + log_norm) / p;
        }
        return q;
    }
    for (int i = 0; i < GammaNodes::count; ++i) q.g[i] = lo + (hi - lo) * rule.nodes[i];
    // The density g^{p-1} e^{-g} / Gamma(p) at the nodes: with our own log and exp
    // (kernels/special_functions.h), several nodes per vector where the build has
    // lanes, each lane bit for bit the scalar result. This is most of the VIX
    // table's build time: a log and an exp per node, 8 nodes per cell.
    int i = 0;
#if defined(CONDOR_HAVE_LANES)
    using Vec = DoubleLanes::Vec;
    for (; i + DoubleLanes::width <= GammaNodes::count; i += DoubleLanes::width) {
        Vec g;
        for (int j = 0; j < DoubleLanes::width; ++j) g[j] = q.g[i + j];
        const Vec density = gamma_density(g, p, log_norm);
        for (int j = 0; j < DoubleLanes::width; ++j) q.w[i + j] = (hi - lo) * rule.weights[i + j] * density[j];
    }
#endif
    for (; i < GammaNodes::count; ++i) q.w[i] = (hi - lo) * rule.weights[i] * gamma_density(q.g[i], p, log_norm);
    return q;
}

}  // namespace

double gamma_mass(double p, double lo, double hi) {
    const GammaNodes q = gamma_nodes(p, -std::lgamma(p), lo, hi);
    double mass = 0;
    for (int i = 0; i < GammaNodes::count; ++i) mass += q.w[i];
    return mass;
}

// Cell m of w = sqrt(V_ref), [w_m, w_{m+1}], is g in [g_m, g_{m+1}], g(w) = (w^2 - a') / s:
//   int_{w_m}^{w_{m+1}} P(G > g(w)) dw = h P(G > g_{m+1}) + E[(sqrt(a' + s G) - w_m); g_m < G <= g_{m+1}],
// both exact to the quadrature; summed from the top, where the gamma's mass ends.
std::vector<double> reference_cell_integrals(const VixReferenceLaw& r, double w_first, double w_step, int cells) {
    std::vector<double> out(cells, 0.0);
    const double p = r.shape;
    const double g_end = p + 40 * std::sqrt(p) + 60;  // beyond it the mass is below e^{-40}
    const auto g_of = [&](int m) {
        const double w = w_first + m * w_step;
        return std::max(0.0, (w * w - r.shift) / r.scale);
    };
    const double log_norm = -std::lgamma(p);
    double above = 0;  // P(G > g_{m+1})
    for (int m = cells - 1; m >= 0; --m) {
        const double lo = g_of(m);
        if (lo >= g_end) continue;
        const GammaNodes q = gamma_nodes(p, log_norm, lo, std::min(g_of(m + 1), g_end));
        const double w_m = w_first + m * w_step;
        double excess = 0, mass = 0;
        for (int i = 0; i < GammaNodes::count; ++i) {
            excess += q.w[i] * (std::sqrt(r.shift + r.scale * q.g[i]) - w_m);
            mass += q.w[i];
        }
        out[m] = w_step * above + excess;
        above += mass;
    }
    return out;
}

}  // namespace condor
