// Riccati equations of the affine transform, in time to expiry t (DESIGN §3):
// applying the generator to exp(u ln S + B_x x + B_y y) and collecting terms gives
//   B_x' = alpha + beta B_x + gamma B_x^2,   alpha = (u^2 - u)/2,
//          beta = rho sigma_x u - kappa_x,  gamma = sigma_x^2 / 2,
//   B_y' = alpha - kappa_y B_y            (y moves the price but has no diffusion),
//   A'   = u (r - q - lambda mbar) + kappa_x theta_x B_x
//          + lambda (Psi(u, phi B_x + (1 - phi) B_y) - 1),
// with B_x(0) = w_x, B_y(0) = w_y, A(0) = 0 and the jump transform
//   Psi(u, w) = E[exp(u J_S + w J_v)] = exp(u mu_s + u^2 sigma_s^2 / 2) / (1 - (w + u rho_j) mu_v)
// (J_v ~ Exp(mu_v), J_S | J_v ~ N(mu_s + rho_j J_v, sigma_s^2); Eraker, Johannes &
// Polson 2003, eq. 2). B_x is Heston's Riccati solved in closed form in the "little
// trap" form (Albrecher, Mayer, Schoutens & Tistaert 2007), which keeps the complex
// logarithm on its principal branch; B_y is linear. The jump term of A has a closed
// form only when the jump transform does not depend on B (mu_v = 0: Bates 1996);
// otherwise it is integrated numerically (jump_integral).
#include "host/pricing/affine_transform.h"

#include <algorithm>
#include <cmath>

#include "host/pricing/pricing_lanes.h"
#include "kernels/vix_index.h"

namespace condor {
namespace {

// B(t) and its integral over [0, t] for B' = alpha + beta B + gamma B^2, B(0) = w.
struct RiccatiSolution {
    Complex value, integral;
};

// ln(1 + z) keeping its relative accuracy for small |z|: with small vol of
// variance G is tiny, and ln(1 - G e^{-dt}) - ln(1 - G) would lose every digit.
Complex log1p(Complex z) {
    const double re = 0.5 * std::log1p(2 * z.real() + std::norm(z));
    return {re, std::atan2(z.imag(), 1 + z.real())};
}

// The roots (m -+ d) / (2 gamma) of gamma r^2 - m r + alpha = 0 (m = -beta) without
// cancellation: the root with the larger numerator directly, the other from the
// product of the roots, alpha / gamma (Press et al., Numerical Recipes, §5.6).
// With small gamma the textbook form of the smaller root loses all its digits.
template <class T>
void roots(T m, T d, T alpha, double gamma, T& r_minus, T& r_plus) {
    if (std::abs(m + d) >= std::abs(m - d)) {
        r_plus = (m + d) / (2.0 * gamma);
        r_minus = 2.0 * alpha / (m + d);
    } else {
        r_minus = (m - d) / (2.0 * gamma);
        r_plus = 2.0 * alpha / (m - d);
    }
}

// The decays at the quadrature nodes s_i of one piece of the jump integral:
// e^{c s_i} of the x-Riccati (QuadraticRiccati::decay_rate) and e^{-kappa_y s_i} of
// B_y, as separate real and imaginary arrays so that the loops over the nodes
// vectorise.
struct NodeDecays {
    static constexpr int kCapacity = 16;
    int count = 0;
    double x_re[kCapacity] = {}, x_im[kCapacity] = {};
    double y[kCapacity] = {};

    void set(int i, Complex x, double y_decay) {
        x_re[i] = x.real();
        x_im[i] = x.imag();
        y[i] = y_decay;
    }
    // The decays at twice the times: e^{-2 d s} = (e^{-d s})^2.
    void to_doubled_times() {
        for (int i = 0; i < count; ++i) {
            const double re = x_re[i] * x_re[i] - x_im[i] * x_im[i];
            x_im[i] = 2 * x_re[i] * x_im[i];
            x_re[i] = re;
            y[i] = y[i] * y[i];
        }
    }
};

// With gamma > 0: the roots r-+ = (-beta -+ d) / (2 gamma), d = sqrt(beta^2 - 4 alpha gamma)
// with Re d >= 0, and G = (w - r-) / (w - r+) give
//   B(t) = (r- - r+ G e^{-d t}) / (1 - G e^{-d t}),
//   int_0^t B = r- t - ln((1 - G e^{-d t}) / (1 - G)) / gamma.
// For w = 0, G = r- / r+ is the little trap's g.
class QuadraticRiccati {
public:
    QuadraticRiccati(Complex alpha, Complex beta, double gamma, Complex w)
        : alpha_(alpha), beta_(beta), gamma_(gamma), w_(w) {
        if (gamma_ > 0) {
            d_ = std::sqrt(beta * beta - 4.0 * alpha * gamma);
            if (d_.real() < 0) d_ = -d_;
            roots(-beta, d_, alpha, gamma, r_minus_, r_plus_);
            g_ = (w - r_minus_) / (w - r_plus_);
        }
    }

    Complex value(double t) const {
        if (gamma_ == 0) return linear(t).value;
        const Complex e = g_ * std::exp(-d_ * t);
        return (r_minus_ - r_plus_ * e) / (1.0 - e);
    }

    RiccatiSolution solve(double t) const {
        if (gamma_ == 0) return linear(t);
        const Complex e = g_ * std::exp(-d_ * t);
        return {(r_minus_ - r_plus_ * e) / (1.0 - e), r_minus_ * t - (log1p(-e) - log1p(-g_)) / gamma_};
    }

    // The decay rate of B towards its limit r-: sets the quadrature's grading.
    double rate() const { return gamma_ > 0 ? std::abs(d_) : std::abs(beta_); }

    // What B(t) depends on t through: e^{c t}, c = -d, or beta when gamma = 0.
    Complex decay_rate() const { return gamma_ > 0 ? -d_ : beta_; }

    // B at the nodes of `decays` (value(t) from e^{c t}, c = decay_rate()), into re[i] + i im[i].
    // The complex arithmetic is written out so that the loops vectorise; the
    // quotients are the textbook ones, as |1 - G e^{-dt}| stays far from the
    // overflow and underflow thresholds where Smith's method would matter.
    void values_at(const NodeDecays& decays, double* re, double* im) const {
        if (gamma_ == 0) {  // B = w e + alpha (e - 1) / beta, e = e^{beta t}
            const Complex a_over_b = alpha_ / beta_;
            for (int i = 0; i < decays.count; ++i) {
                const double er = decays.x_re[i], ei = decays.x_im[i];
                re[i] = w_.real() * er - w_.imag() * ei + a_over_b.real() * (er - 1) - a_over_b.imag() * ei;
                im[i] = w_.real() * ei + w_.imag() * er + a_over_b.real() * ei + a_over_b.imag() * (er - 1);
            }
            return;
        }
        for (int i = 0; i < decays.count; ++i) {  // B = (r- - r+ G e) / (1 - G e)
            const double ge_re = g_.real() * decays.x_re[i] - g_.imag() * decays.x_im[i];
            const double ge_im = g_.real() * decays.x_im[i] + g_.imag() * decays.x_re[i];
            const double num_re = r_minus_.real() - (r_plus_.real() * ge_re - r_plus_.imag() * ge_im);
            const double num_im = r_minus_.imag() - (r_plus_.real() * ge_im + r_plus_.imag() * ge_re);
            const double den_re = 1 - ge_re, den_im = -ge_im;
            const double norm = den_re * den_re + den_im * den_im;
            re[i] = (num_re * den_re + num_im * den_im) / norm;
            im[i] = (num_im * den_re - num_re * den_im) / norm;
        }
    }

private:
    // sigma_x = 0: B' = alpha + beta B, beta = -kappa_x < 0.
    RiccatiSolution linear(double t) const {
        const Complex growth = std::exp(beta_ * t);
        const Complex ramp = (growth - 1.0) / beta_;  // int_0^t e^{beta s} ds
        return {w_ * growth + alpha_ * ramp, w_ * ramp + alpha_ / beta_ * (ramp - t)};
    }

    Complex alpha_, beta_;
    double gamma_;
    Complex w_;
    Complex d_, r_minus_, r_plus_, g_;
};

// The decays at the nodes s_i = lo + (hi - lo) t_i of a piece: e^{c s_i} of B_x
// and e^{-kappa_y s_i} of B_y, on lanes (pricing_lanes.h). With libm's complex
// exponential they were a third of the SPX table's build.
void fresh_decays(Complex rate, double kappa_y, double lo, double hi, const double* nodes, NodeDecays& decays) {
    double s[NodeDecays::kCapacity];
    for (int i = 0; i < decays.count; ++i) s[i] = lo + (hi - lo) * nodes[i];
    for_each_lane_block(decays.count, [&](int i, auto lanes) {
        using T = decltype(lanes);
        const T t = load_lanes<T>(s, i);
        T re, im;
        complex_exp(rate.real() * t, rate.imag() * t, re, im);
        store_lanes(re, decays.x_re, i);
        store_lanes(im, decays.x_im, i);
        store_lanes(exp_f64(-kappa_y * t), decays.y, i);
    });
}

// B_y(t) = w e^{-k t} + (alpha / k)(1 - e^{-k t}) for B' = alpha - k B, B(0) = w.
RiccatiSolution linear_decay(Complex alpha, double kappa, Complex w, double t) {
    const double decay = std::exp(-kappa * t);
    const double mean_factor = -std::expm1(-kappa * t) / kappa;  // int_0^t e^{-k s} ds
    return {w * decay + alpha / kappa * (1.0 - decay), w * mean_factor + alpha / kappa * (t - mean_factor)};
}

// The jump term's integrand lambda^{-1} (Psi(u, w(s)) - 1), w = phi B_x + (1 - phi) B_y,
// summed with the quadrature weights over one piece's nodes.
struct JumpIntegrand {
    const QuadraticRiccati& bx;
    Complex w_y, alpha_over_kappa_y;  // B_y(s) = w_y e^{-kappa_y s} + (alpha / kappa_y)(1 - e^{-kappa_y s})
    double phi;
    Complex u_rho_j;  // u rho_j
    double mu_v;
    Complex price_part;  // exp(u mu_s + u^2 sigma_s^2 / 2)

    Complex weighted_sum(const NodeDecays& decays, const double* weights) const {
        double bx_re[NodeDecays::kCapacity], bx_im[NodeDecays::kCapacity];
        bx.values_at(decays, bx_re, bx_im);
        double sum_re = 0, sum_im = 0;
        for (int i = 0; i < decays.count; ++i) {
            const double by_re = w_y.real() * decays.y[i] + alpha_over_kappa_y.real() * (1 - decays.y[i]);
            const double by_im = w_y.imag() * decays.y[i] + alpha_over_kappa_y.imag() * (1 - decays.y[i]);
            const double w_re = phi * bx_re[i] + (1 - phi) * by_re, w_im = phi * bx_im[i] + (1 - phi) * by_im;
            // price_part / (1 - (w + u rho_j) mu_v) - 1
            const double den_re = 1 - (w_re + u_rho_j.real()) * mu_v, den_im = -(w_im + u_rho_j.imag()) * mu_v;
            const double norm = den_re * den_re + den_im * den_im;
            sum_re += weights[i] * ((price_part.real() * den_re + price_part.imag() * den_im) / norm - 1);
            sum_im += weights[i] * ((price_part.imag() * den_re - price_part.real() * den_im) / norm);
        }
        return {sum_re, sum_im};
    }
};

// A fresh exponential every this many pieces of the jump integral (the rest square).
constexpr int kFreshEvery = 4;

// The real solution of B' = alpha + beta B + gamma B^2, B(0) = w, for real
// alpha, beta, w and gamma >= 0, with its integral; empty if B explodes before t.
// With D = beta^2 - 4 alpha gamma and z = B + beta / (2 gamma):
//   D >= 0: the little-trap form above with real roots; B is finite while
//           1 - G e^{-d s} keeps its sign on [0, t] (it is monotone in s);
//   D < 0:  z' = gamma z^2 + delta^2 / (4 gamma), delta = sqrt(-D), so
//           z = delta / (2 gamma) tan(delta s / 2 + c), c = arctan(2 gamma z(0) / delta),
//           finite while delta s / 2 + c < pi / 2, and
//           int_0^t B = -beta t / (2 gamma) - ln(cos(delta t / 2 + c) / cos c) / gamma.
struct RealRiccati {
    double value, integral;
};

std::optional<RealRiccati> real_riccati(double alpha, double beta, double gamma, double w, double t) {
    if (gamma == 0) {  // linear, beta = -kappa_x < 0
        const double ramp = std::expm1(beta * t) / beta;
        return RealRiccati{w * (1 + beta * ramp) + alpha * ramp, w * ramp + alpha / beta * (ramp - t)};
    }
    const double discriminant = beta * beta - 4 * alpha * gamma;
    if (discriminant >= 0) {
        const double d = std::sqrt(discriminant);
        double r_minus = 0, r_plus = 0;
        roots(-beta, d, alpha, gamma, r_minus, r_plus);
        if (w == r_plus) return RealRiccati{w, w * t};  // at a fixed point
        const double g = (w - r_minus) / (w - r_plus);
        const double f0 = 1 - g;
        const double ft = 1 - g * std::exp(-d * t);
        if (!(f0 * ft > 0)) return std::nullopt;
        // ln(ft / f0) with ft / f0 = 1 - g (e^{-d t} - 1) / (1 - g) > 0: one log1p stays
        // defined for g > 1 (w beyond the fixed point r_plus but short of exploding),
        // where ln(1 - g e^{-dt}) and ln(1 - g) are each undefined.
        return RealRiccati{(r_minus - r_plus * g * std::exp(-d * t)) / ft,
                           r_minus * t - std::log1p(-g * std::expm1(-d * t) / f0) / gamma};
    }
    const double delta = std::sqrt(-discriminant);
    const double c = std::atan((2 * gamma * w + beta) / delta);
    const double angle = 0.5 * delta * t + c;
    if (angle >= 0.5 * 3.14159265358979323846 * (1 - 1e-12)) return std::nullopt;
    const double z = delta / (2 * gamma) * std::tan(angle);
    return RealRiccati{z - beta / (2 * gamma),
                       -beta * t / (2 * gamma) - std::log(std::cos(angle) / std::cos(c)) / gamma};
}

}  // namespace

RiskNeutralModel risk_neutral_model(const Scenario& s) {
    return {s.model.shared, s.model.q, s.market.rate, s.market.dividend_yield};
}

AffineTransform::AffineTransform(const RiskNeutralModel& model)
    : model_(model),
      mean_price_jump_(mean_price_jump(model.shared, model.q)),
      rule_(gauss_legendre(NodeDecays::kCapacity)) {}

// int_0^tau lambda (Psi(u, phi B_x(s) + (1 - phi) B_y(s)) - 1) ds.
Complex AffineTransform::jump_integral(Complex u, Complex w_x, Complex w_y, double tau) const {
    const SharedParams& sh = model_.shared;
    const MeasureParams& q = model_.q;
    if (q.lambda == 0) return 0.0;
    const Complex price_part = std::exp(u * q.mu_s + 0.5 * u * u * sh.sigma_s * sh.sigma_s);
    if (q.mu_v == 0) return q.lambda * tau * (price_part - 1.0);

    const Complex alpha = 0.5 * (u * u - u);
    const QuadraticRiccati bx(alpha, sh.rho * sh.sigma_x * u - q.kappa_x, 0.5 * sh.sigma_x * sh.sigma_x, w_x);
    // B moves fastest near s = 0 (on a time scale 1/|d| for x, 1/kappa_y for y) and
    // settles after: composite Gauss–Legendre on pieces [tau/2^{j+1}, tau/2^j] that
    // shrink geometrically towards 0 resolves that layer at any |u|.
    // A large terminal exponent w_x (VIX transforms at large |z|) relaxes on the
    // time scale 1 / (|w_x| gamma): that layer is resolved too.
    const double fastest =
        std::max({bx.rate(), std::abs(w_x) * 0.5 * sh.sigma_x * sh.sigma_x, q.kappa_y, q.kappa_x, 1.0 / tau});
    const int pieces = std::clamp(int(std::ceil(std::log2(tau * fastest))) + 2, 1, 60);

    const JumpIntegrand integrand{bx, w_y, alpha / q.kappa_y, sh.phi, u * sh.rho_j, q.mu_v, price_part};
    NodeDecays decays;
    decays.count = int(rule_.nodes.size());
    Complex total = 0.0;
    // From the innermost piece [0, tau/2^{P-1}] outwards. Every other piece's
    // nodes are twice those of the piece inside it, so their decays are the
    // squares of that piece's (NodeDecays::to_doubled_times), a complex multiply instead
    // of a complex exponential; a fresh exponential every kFreshEvery pieces
    // keeps the rounding error, which each squaring doubles, within 2^kFreshEvery ulps.
    for (int j = pieces - 1; j >= 0; --j) {
        const double lo = j + 1 == pieces ? 0.0 : tau / std::ldexp(1.0, j + 1);
        const double hi = tau / std::ldexp(1.0, j);
        const bool doubled = j + 2 < pieces && (pieces - 2 - j) % kFreshEvery != 0;
        if (doubled) {
            decays.to_doubled_times();
        } else {
            fresh_decays(bx.decay_rate(), q.kappa_y, lo, hi, rule_.nodes.data(), decays);
        }
        total += (hi - lo) * integrand.weighted_sum(decays, rule_.weights.data());
    }
    return q.lambda * total;
}

AffineExponent AffineTransform::exponent(Complex u, Complex w_x, Complex w_y, double tau) const {
    const SharedParams& sh = model_.shared;
    const MeasureParams& q = model_.q;
    const Complex alpha = 0.5 * (u * u - u);
    const RiccatiSolution bx =
        QuadraticRiccati(alpha, sh.rho * sh.sigma_x * u - q.kappa_x, 0.5 * sh.sigma_x * sh.sigma_x, w_x).solve(tau);
    const RiccatiSolution by = linear_decay(alpha, q.kappa_y, w_y, tau);
    const double drift = model_.rate - model_.dividend_yield - q.lambda * mean_price_jump_;
    const Complex a = u * drift * tau + q.kappa_x * q.theta_x * bx.integral + jump_integral(u, w_x, w_y, tau);
    return {a, bx.value, by.value};
}

Complex AffineTransform::log_moneyness_transform(Complex u, double x0, double y0, double tau) const {
    const Complex log_value = exponent(u, 0.0, 0.0, tau).log_value(x0, y0);
    return std::exp(log_value - u * (model_.rate - model_.dividend_yield) * tau);
}

}  // namespace condor

namespace condor {

std::optional<double> AffineTransform::real_log_transform(double u, double w_x, double w_y, double x0, double y0,
                                                          double tau) const {
    const SharedParams& sh = model_.shared;
    const MeasureParams& q = model_.q;
    const double alpha = 0.5 * (u * u - u);
    const auto bx = real_riccati(alpha, sh.rho * sh.sigma_x * u - q.kappa_x, 0.5 * sh.sigma_x * sh.sigma_x, w_x, tau);
    if (!bx) return std::nullopt;
    const double by = linear_decay(alpha, q.kappa_y, w_y, tau).value.real();

    double jumps = 0;
    if (q.lambda > 0) {
        // B_x and B_y are monotone in s, and where it matters (B increasing
        // towards a pole) both are convex, so their weighted sum w(s) is too and
        // the jump transform's denominator 1 - (w + u rho_j) mu_v is extreme at
        // s = 0 or s = tau.
        const auto denominator = [&](double bx_s, double by_s) {
            return 1 - (sh.phi * bx_s + (1 - sh.phi) * by_s + u * sh.rho_j) * q.mu_v;
        };
        if (q.mu_v > 0 && (denominator(w_x, w_y) <= 0 || denominator(bx->value, by) <= 0)) return std::nullopt;
        jumps = jump_integral(Complex(u, 0), w_x, w_y, tau).real();
    }
    const double drift = model_.rate - model_.dividend_yield - q.lambda * mean_price_jump_;
    const double value = u * drift * tau + q.kappa_x * q.theta_x * bx->integral + jumps + bx->value * x0 + by * y0;
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

std::optional<double> AffineTransform::log_moneyness_mgf(double h, double x0, double y0, double tau) const {
    const std::optional<double> value = real_log_transform(h, 0, 0, x0, y0, tau);
    if (!value) return std::nullopt;
    return *value - h * (model_.rate - model_.dividend_yield) * tau;
}

}  // namespace condor
