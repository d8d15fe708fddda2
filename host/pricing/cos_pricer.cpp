#include "host/pricing/cos_pricer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "kernels/lanes.h"

namespace condor {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Truncation range [a, b] of Y = ln(S_T/F) holding all but `tail_mass` on each
// side, from the Chernoff bounds P(Y < a) <= E[e^{-hY}] e^{h a} and
// P(Y > b) <= E[e^{hY}] e^{-h b} (any h > 0), each taken at the best h on a
// geometric grid within the range where the moment is finite. A rigorous bound
// sizes the range to the model's true tails: fat ones (jumps, high vol of
// variance) widen it, where a rule of thumb on the cumulants (Fang & Oosterlee
// 2008, eq. 49) can cut off mass that a far out-of-the-money put still sees.
}  // namespace

CosRange cos_truncation_range(const AffineTransform& t, double x0, double y0, double tau, double tail_mass) {
    const double log_eps = std::log(tail_mass);
    double best_a = -std::numeric_limits<double>::infinity(), best_b = std::numeric_limits<double>::infinity();
    for (int side = -1; side <= 1; side += 2) {
        for (double h = 1.0 / 1024; h <= 65536; h *= 2) {
            const std::optional<double> k = t.log_moneyness_mgf(side * h, x0, y0, tau);
            if (!k) break;  // the moments are finite on an interval around 0
            if (side < 0)
                best_a = std::max(best_a, (log_eps - *k) / h);
            else
                best_b = std::min(best_b, (*k - log_eps) / h);
        }
    }
    if (!std::isfinite(best_a) || !std::isfinite(best_b))
        throw std::runtime_error("COS pricer: no finite exponential moment of ln S_T; cannot bound its tails");
    return {best_a, best_b};
}

namespace {
Complex cos_coefficient(const AffineTransform& transform, double x0, double y0, double tau, const CosRange& range,
                        int n) {
    const double omega = n * kPi / (range.b - range.a);
    return transform.log_moneyness_transform(Complex(0, omega), x0, y0, tau) * std::exp(Complex(0, -omega * range.a));
}
}  // namespace

int cos_terms_needed(const AffineTransform& transform, double x0, double y0, double tau, const CosRange& range,
                     const CosSettings& settings) {
    int n_terms = settings.min_terms;
    while (n_terms < settings.max_terms &&
           std::abs(cos_coefficient(transform, x0, y0, tau, range, n_terms)) > settings.cf_tolerance)
        n_terms *= 2;
    return n_terms;
}

CosExpiry::CosExpiry(const AffineTransform& transform, double x0, double y0, double tau, const CosSettings& settings) {
    if (!(tau > 0)) throw std::invalid_argument("COS pricer: time to expiry must be positive");
    const CosRange range = cos_truncation_range(transform, x0, y0, tau, settings.tail_mass);
    a_ = range.a;
    b_ = range.b;
    const int n_terms = cos_terms_needed(transform, x0, y0, tau, range, settings);
    converged_ = n_terms < settings.max_terms ||
                 std::abs(cos_coefficient(transform, x0, y0, tau, range, n_terms)) <= settings.cf_tolerance;
    re_.resize(n_terms);
    for (int n = 0; n < n_terms; ++n) re_[n] = cos_coefficient(transform, x0, y0, tau, range, n).real();
    precompute();
}

CosExpiry::CosExpiry(const CosRange& range, std::vector<double> coefficients)
    : a_(range.a), b_(range.b), re_(std::move(coefficients)) {
    precompute();
}

void CosExpiry::precompute() {
    const double scale = kPi / (b_ - a_);
    inv_omega_.resize(re_.size());
    inv_one_plus_omega2_.resize(re_.size());
    for (std::size_t n = 1; n < re_.size(); ++n) {
        const double omega = double(n) * scale;
        inv_omega_[n] = 1 / omega;
        inv_one_plus_omega2_[n] = 1 / (1 + omega * omega);
    }
}

// Payoff (e^k - e^y)^+ is non-zero on [a, min(k, b)]; its cosine coefficients are
// V_n = 2/(b - a) (e^k psi_n - chi_n) with (Fang & Oosterlee 2008, eqs. 22-23)
//   chi_n = int_a^k e^y cos(omega_n (y - a)) dy = (e^k (cos n theta + omega_n sin n theta) - e^a) / (1 + omega_n^2),
//   psi_n = int_a^k cos(omega_n (y - a)) dy = sin(n theta) / omega_n  (k - a for n = 0),
// theta = pi (k - a) / (b - a), and E[.] = sum'_n Re(phi(omega_n) e^{-i omega_n a}) V_n
// (eqs. 9 and 29; the first term is halved). cos and sin of n theta come from
// rotating e^{i theta} n times, which is exact enough (error ~ n eps) and cheap.
double CosExpiry::put_over_forward(double k) const {
    if (k <= a_) return 0.0;  // below the truncated support: no mass under the strike
    // Above the support the put is exercised on every path: E[e^k - e^Y] = e^k - 1.
    if (k >= b_) return std::exp(k) - 1.0;
    const double theta = kPi / (b_ - a_) * (k - a_);
    return std::max(0.0, series(k, std::exp(k), std::cos(theta), std::sin(theta)));
}

// The COS series of the put for a strike inside (a, b), given e^k and the cosine
// and sine of theta = pi (k - a) / (b - a); T is double, or a vector with one
// strike per lane (the same operations in the same order, so each lane is bit
// for bit the scalar result).
template <class T>
T CosExpiry::series(T k, T ek, T c1, T s1) const {
    const double scale = kPi / (b_ - a_);
    const double ea = std::exp(a_);
    T cn = T{} + 1.0, sn = T{};  // cos(n theta), sin(n theta)
    T sum = 0.5 * re_[0] * (ek * (k - a_) - (ek - ea));
    for (int n = 1; n < int(re_.size()); ++n) {
        const T c = cn * c1 - sn * s1;
        sn = sn * c1 + cn * s1;
        cn = c;
        const double omega = n * scale;
        const T chi = (ek * (cn + omega * sn) - ea) * inv_one_plus_omega2_[n];
        sum += re_[n] * (ek * sn * inv_omega_[n] - chi);
    }
    return 2.0 / (b_ - a_) * sum;
}

void CosExpiry::put_over_forward(const double* k, double* out, int count) const {
    int done = 0;
#if defined(CONDOR_HAVE_LANES)
    using Vec = DoubleLanes::Vec;
    constexpr int width = DoubleLanes::width;
    for (; done + width <= count; done += width) {
        bool inside = true;
        for (int i = 0; i < width; ++i) inside = inside && k[done + i] > a_ && k[done + i] < b_;
        if (!inside) {
            for (int i = 0; i < width; ++i) out[done + i] = put_over_forward(k[done + i]);
            continue;
        }
        Vec kv, ek, c1, s1;
        for (int i = 0; i < width; ++i) {
            kv[i] = k[done + i];
            ek[i] = std::exp(kv[i]);
            const double theta = kPi / (b_ - a_) * (kv[i] - a_);
            c1[i] = std::cos(theta);
            s1[i] = std::sin(theta);
        }
        const Vec value = series(kv, ek, c1, s1);
        for (int i = 0; i < width; ++i) out[done + i] = std::max(0.0, value[i]);
    }
#endif
    for (; done < count; ++done) out[done] = put_over_forward(k[done]);
}

OptionPrice price_european(const CosExpiry& expiry, const RiskNeutralModel& m, OptionType type, double spot,
                           double strike, double tau) {
    OptionPrice out;
    out.forward = spot * std::exp((m.rate - m.dividend_yield) * tau);
    out.discount = std::exp(-m.rate * tau);
    out.terms = expiry.terms();
    out.converged = expiry.converged();
    // Puts are priced directly and calls by parity (C - P = D (F - K)): the put's
    // payoff is bounded, so the truncation does not amplify errors (F&O 2008, §3.3).
    // Clamped to the no-arbitrage bounds D max(K - F, 0) <= P <= D K, which also
    // keeps the call from parity at or above D max(F - K, 0) (series noise of
    // order 1e-12 can cross them far from the money).
    const double put = std::clamp(out.discount * out.forward * expiry.put_over_forward(std::log(strike / out.forward)),
                                  out.discount * std::max(strike - out.forward, 0.0), out.discount * strike);
    out.price = type == OptionType::put ? put : put + out.discount * (out.forward - strike);
    return out;
}

OptionPrice price_european(const AffineTransform& transform, OptionType type, double spot, double strike, double tau,
                           double x0, double y0, const CosSettings& settings) {
    return price_european(CosExpiry(transform, x0, y0, tau, settings), transform.model(), type, spot, strike, tau);
}

}  // namespace condor
