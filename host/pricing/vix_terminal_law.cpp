// COS inversion of the law of V = VIX_T^2 / 100^2 (DESIGN §4: VIX_T^2 = a + b_x x_T + b_y y_T).
//
// The transform phi_V(omega) = E[e^{i omega V}] = exp(i omega a + A + B_x x0 + B_y y0)
// is the model's affine transform at u = 0, w = i omega (b_x, b_y). Near its
// lower bound a' the law of V is singular (vix_reference_law.h): the series is
// taken of the signed measure mu = P_V - W P_ref, whose density vanishes at a'
// like (v - a')^p instead of blowing up like (v - a')^{p - 1}, so its cosine
// coefficients decay one order faster; W P_ref is added back exactly.
//
// On [a', b'], b' = a' + L, the COS density expansion (Fang & Oosterlee 2008, eq. 11)
//   f_mu(v) ~ sum'_k F_k cos(omega_k (v - a')),  F_k = (2 / L) Re[phi_mu(omega_k) e^{-i omega_k a'}],
//   omega_k = k pi / L, integrates to the survival function
//   S_mu(v) = F_0 (b' - v) / 2 - sum_{k>=1} (F_k / omega_k) sin(omega_k (v - a')),
// which on the grid v_m = a' + m L / P is a discrete sine transform (one FFT).
// Every VIX payoff is then an integral of S = S_mu + W S_ref:
//   E[(sqrt V - k)^+] = int_{k^2}^inf S(v) / (2 sqrt v) dv,
//   E[(k - sqrt V)^+] = int_{a'}^{k^2} (1 - S(v)) / (2 sqrt v) dv,
//   E[sqrt V] = sqrt(a') + int_{a'}^inf S(v) / (2 sqrt v) dv,
// (integration by parts), accumulated once per state on the grid.
#include "host/pricing/vix_terminal_law.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "host/pricing/fft.h"
#include "host/pricing/pricing_lanes.h"
#include "kernels/table_grid.h"

namespace condor {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

VixExpiryTransforms::VixExpiryTransforms(const AffineTransform& transform, double tau,
                                         const std::vector<std::pair<double, double>>& spanning_states, double margin,
                                         const VixLawSettings& settings)
    : transform_(transform),
      coef_(vix_coefficients(transform.model().shared, transform.model().q)),
      tau_(tau),
      settings_(settings) {
    // ln E[e^{h (b_x x_T + b_y y_T)}] is affine in (x0, y0): three evaluations give
    // its exponents. h doubles every second step from 1 (V is O(0.01 - 1)) until
    // the moment explodes.
    for (int j = 0; j <= 60; ++j) {
        const double h = std::pow(2.0, 0.5 * j);
        const auto at = [&](double x0, double y0) {
            return transform.real_log_transform(0, h * coef_.b_x, h * coef_.b_y, x0, y0, tau);
        };
        const auto base = at(0, 0), unit_x = at(1, 0), unit_y = at(0, 1);
        if (!base || !unit_x || !unit_y) break;
        h_.push_back(h);
        real_exp_.push_back({*base, *unit_x - *base, *unit_y - *base});
    }
    if (h_.empty()) throw std::runtime_error("VIX law: V has no finite exponential moment; cannot bound its tail");
    blocks_per_level_ = (std::max(settings.max_terms, 1) + kBlockTerms - 1) / kBlockTerms;
    blocks_ = std::make_unique<ExponentBlock[]>(std::size_t(kMaxLevel + 1) * blocks_per_level_);
    ffts_ = std::make_unique<FftSlot[]>(kMaxLog2FftSize + 1);
    for (const auto& [x0, y0] : spanning_states) {
        const double lower = vix_reference_law(transform.model(), coef_, x0, y0, tau).shift;
        widest_range_ = std::max(widest_range_, margin * (upper_bound(x0, y0) - lower));
    }
}

double VixExpiryTransforms::upper_bound(double x0, double y0) const {
    const double log_eps = std::log(settings_.tail_mass);
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < h_.size(); ++j)
        best = std::min(best, coef_.a + (real_exp_[j].log_value(x0, y0).real() - log_eps) / h_[j]);
    return best;
}

const AffineExponent& VixExpiryTransforms::exponent(int level, int k) const {
    if (level < 0 || level > kMaxLevel || k < 0 || k >= blocks_per_level_ * kBlockTerms)
        throw std::logic_error("VIX law: exponent (level, k) outside the expiry's grid");
    ExponentBlock& block = blocks_[level * blocks_per_level_ + k / kBlockTerms];
    const AffineExponent* values = block.ready.load(std::memory_order_acquire);
    if (!values) {
        std::call_once(block.once, [&] {
            block.values = compute_block(level, k / kBlockTerms);
            block.ready.store(block.values.get(), std::memory_order_release);
        });
        values = block.ready.load(std::memory_order_acquire);
    }
    return values[k % kBlockTerms];
}

std::unique_ptr<AffineExponent[]> VixExpiryTransforms::compute_block(int level, int block) const {
    auto values = std::make_unique<AffineExponent[]>(kBlockTerms);
    const double scale = std::ldexp(kPi, level) / widest_range_;
    for (int j = 0; j < kBlockTerms; ++j) {
        const Complex w(0, double(block * kBlockTerms + j) * scale);
        values[j] = transform_.exponent(0.0, w * coef_.b_x, w * coef_.b_y, tau_);
    }
    return values;
}

const RealFft& VixExpiryTransforms::real_fft(int log2_n) const {
    if (log2_n < 2 || log2_n > kMaxLog2FftSize) throw std::logic_error("VIX law: FFT size outside 2^2..2^40");
    FftSlot& slot = ffts_[log2_n];
    const RealFft* fft = slot.ready.load(std::memory_order_acquire);
    if (!fft) {
        std::call_once(slot.once, [&] {
            slot.fft = std::make_unique<RealFft>(std::size_t(1) << log2_n, +1);
            slot.ready.store(slot.fft.get(), std::memory_order_release);
        });
        fft = slot.ready.load(std::memory_order_acquire);
    }
    return *fft;
}

namespace {

// One cell's share of a cumulative integral of g on a uniform grid (spacing h).
// Interior cells use the four-point rule h (-g_{m-1} + 13 g_m + 13 g_{m+1} - g_{m+2}) / 24
// (the integral of the cubic through those points), the end cells the three-point
// rule h (5 g_0 + 8 g_1 - g_2) / 12; both are fourth/third order.
double cell_integral(const std::vector<double>& g, std::size_t m, double h) {
    const std::size_t last = g.size() - 1;
    if (m == 0) return h * (5 * g[0] + 8 * g[1] - g[2]) / 12;
    if (m + 1 == last) return h * (5 * g[last] + 8 * g[last - 1] - g[last - 2]) / 12;
    return h * (-g[m - 1] + 13 * g[m] + 13 * g[m + 1] - g[m + 2]) / 24;
}

// Cubic Lagrange interpolation of values[] at fractional index t, by the tables'
// stencil (kernels/table_grid.h; clamped to the grid).
double cubic_at(const std::vector<double>& values, double t) {
    const Stencil st = cubic_stencil(TableAxis{0.0, 1.0, int(values.size())}, t);
    const double* v = &values[st.first];
    return st.weight[0] * v[0] + st.weight[1] * v[1] + st.weight[2] * v[2] + st.weight[3] * v[3];
}

// out[m] = cubic_at(values, ((w_first + m w_step)^2 - a) / step), m < count: the
// same operations in the same order, written out so that the loop vectorises
// (gathers for the four values; 10% of the VIX table's build as calls).
void cubic_at_squares(const std::vector<double>& values, double a, double step, double w_first, double w_step,
                      double* __restrict out, int count) {
    const double* __restrict v = values.data();
    const int nodes = int(values.size());
    const double last = double(nodes - 1);
    for (int m = 0; m < count; ++m) {
        const double w = w_first + m * w_step;
        double t = ((w * w - a) / step - 0.0) / 1.0;  // clamped_offset on the axis {0, 1, nodes}
        t = t < 0 ? 0 : (t > last ? last : t);
        int first = int(t) - 1;
        first = first < 0 ? 0 : first;
        first = first > nodes - 4 ? nodes - 4 : first;
        const double s = t - first;
        const double w0 = -(s - 1) * (s - 2) * (s - 3) / 6, w1 = s * (s - 2) * (s - 3) / 2;
        const double w2 = -s * (s - 1) * (s - 3) / 2, w3 = s * (s - 1) * (s - 2) / 6;
        out[m] = w0 * v[first] + w1 * v[first + 1] + w2 * v[first + 2] + w3 * v[first + 3];
    }
}

// The sine series of S_mu on [a', a' + range]: F_0 and d_k = -F_k / omega_k
// (k >= 1; d[0] unused), until |phi_mu| stays below tolerance or max_terms.
struct SineSeries {
    double f0 = 0;
    std::vector<double> d{0.0};
    bool converged = true;
};

// phi_mu(omega_k) e^{-i omega_k a'} for the terms k = first .. first + count - 1
// (count <= kSeriesBatch), into re[j] + i im[j]. Both transforms times e^{-i omega a'}
// (which leaves |phi_mu| unchanged): phi_V e^{-i omega a'} = exp(i omega (a - a') +
// A + B_x x0 + B_y y0), and the reference law's W (1 - i omega s)^{-p} =
// W (1 + omega^2 s^2)^{-p/2} e^{i p atan(omega s)}. The exponentials, logs, sines
// and arctangents on lanes (pricing_lanes.h): they were a quarter of the VIX table's build.
constexpr int kSeriesBatch = 8;

void mu_transforms(const VixExpiryTransforms& expiry, const VixReferenceLaw& ref, double x0, double y0, int level,
                   double range, int first, int count, double* re, double* im) {
    const double a = expiry.coefficients().a;
    double exponent_re[kSeriesBatch] = {}, exponent_im[kSeriesBatch] = {}, ws[kSeriesBatch] = {};
    for (int j = 0; j < count; ++j) {
        const double omega = (first + j) * kPi / range;
        const Complex exponent =
            Complex(0, omega * (a - ref.shift)) + expiry.exponent(level, first + j).log_value(x0, y0);
        exponent_re[j] = exponent.real(), exponent_im[j] = exponent.imag();
        ws[j] = omega * ref.scale;
    }
    for_each_lane_block(count, [&](int i, auto lanes) {
        using T = decltype(lanes);
        T phi_re, phi_im;
        complex_exp(load_lanes<T>(exponent_re, i), load_lanes<T>(exponent_im, i), phi_re, phi_im);
        if (ref.weight > 0) {
            const T w = load_lanes<T>(ws, i);
            const T magnitude = ref.weight * exp_f64(-0.5 * ref.shape * log_positive(1.0 + w * w));
            T s, c;
            sincos_radians(ref.shape * atan_f64(w), s, c);
            phi_re -= magnitude * c, phi_im -= magnitude * s;
        }
        store_lanes(phi_re, re, i);
        store_lanes(phi_im, im, i);
    });
}

SineSeries survival_series(const VixExpiryTransforms& expiry, const VixReferenceLaw& ref, double x0, double y0,
                           int level, double range) {
    const VixLawSettings& settings = expiry.settings();
    SineSeries series;
    int quiet = 0;
    double re[kSeriesBatch], im[kSeriesBatch];
    // A batch of terms at a time; the terms computed past the end are dropped.
    for (int first = 0;; first += kSeriesBatch) {
        const int count = std::min(kSeriesBatch, settings.max_terms - first);
        if (count <= 0) {
            series.converged = false;
            return series;
        }
        mu_transforms(expiry, ref, x0, y0, level, range, first, count, re, im);
        for (int j = 0; j < count; ++j) {
            const int k = first + j;
            const double omega = k * kPi / range;
            const double f = 2 / range * re[j];
            if (k == 0)
                series.f0 = f;
            else
                series.d.push_back(-f / omega);
            const double norm = re[j] * re[j] + im[j] * im[j];
            quiet = norm < settings.cf_tolerance * settings.cf_tolerance ? quiet + 1 : 0;
            if (k + 1 >= settings.min_terms && quiet >= 16) return series;
        }
    }
}

// S_mu(v_m), v_m = a' + m range / points, m = 0..points: F_0 (b' - v_m) / 2 plus
// Im sum_k d_k e^{i pi k m / points}, a real-input FFT of size 2 points.
std::vector<double> survival_on_grid(const VixExpiryTransforms& expiry, const SineSeries& series, double range,
                                     int log2_points) {
    const int points = 1 << log2_points;
    std::vector<double> d = series.d;
    d[0] = 0;
    const std::vector<double> sum = expiry.real_fft(log2_points + 1).imaginary_parts(d);
    std::vector<double> survival(points + 1);
    for (int m = 0; m <= points; ++m) survival[m] = 0.5 * series.f0 * range * (1 - double(m) / points) + sum[m];
    return survival;
}

}  // namespace

VixTerminalLaw::VixTerminalLaw(const VixExpiryTransforms& expiry, double x0, double y0) {
    VixReferenceLaw ref = vix_reference_law(expiry.transform().model(), expiry.coefficients(), x0, y0, expiry.tau());
    if (ref.weight < 1e-15) ref.weight = 0;  // no singular part worth carrying
    a_ = ref.shift;

    // The range: L = widest / 2^level, the smallest such at least b - a'.
    const double needed = std::max(expiry.upper_bound(x0, y0) - a_, 1e-12 * std::max(a_, 1e-6));
    if (needed > expiry.widest_range() * (1 + 1e-12))
        throw std::logic_error("VIX law: state outside the range its expiry data were built for");
    // The widest state's own range is exactly widest / margin, so with margin 2 its
    // test at level 1 is a tie, which the last bit of its Chernoff bound would
    // break either way (level 0 or 1: 146 or 81 terms, and a quantile that moves
    // by 5e-3 in D at x = x_max, 0.12 years). Ties go to the tighter range; the
    // 1e-12 it may fall short of the bound's range is tail mass far below it.
    int level = 0;
    while (std::ldexp(expiry.widest_range(), -(level + 1)) >= needed * (1 - 1e-12) &&
           level < VixExpiryTransforms::kMaxLevel)
        ++level;
    const double range = std::ldexp(expiry.widest_range(), -level);

    const SineSeries series = survival_series(expiry, ref, x0, y0, level, range);
    terms_ = int(series.d.size());
    converged_ = series.converged;
    int log2_points = 6;
    while ((1 << log2_points) < expiry.settings().grid_points_per_term * terms_) ++log2_points;
    const int points = 1 << log2_points;
    const std::vector<double> survival = survival_on_grid(expiry, series, range, log2_points);
    const double step = range / points;

    // Integrate in w = sqrt(v), where the payoffs are E[(sqrt V - k)^+] = int_k^inf S(w^2) dw
    // and E[(k - sqrt V)^+] = int_{sqrt a'}^k (1 - S(w^2)) dw: the integrands are as
    // smooth as S, while 1 / (2 sqrt v) in v varies within a cell wherever a' is
    // below a few grid steps (VIX near its floor). S_mu comes to the uniform w grid
    // by cubic interpolation from the uniform v grid (where the series resolves it).
    w_first_ = std::sqrt(a_);
    w_step_ = (std::sqrt(a_ + range) - w_first_) / points;
    std::vector<double> s_mu(points + 1);
    cubic_at_squares(survival, a_, step, w_first_, w_step_, s_mu.data(), points + 1);
    // Each cell's int S(w^2) dw: S_mu by the cell rule; the reference part, whose
    // survival has a cusp (w - w_0)^p at a', exactly per cell (reference_cell_integrals).
    std::vector<double> cell(points);
    for (int m = 0; m < points; ++m) cell[m] = cell_integral(s_mu, m, w_step_);
    if (ref.weight > 0 && ref.scale > 0) {
        const std::vector<double> reference = reference_cell_integrals(ref, w_first_, w_step_, points);
        for (int m = 0; m < points; ++m) cell[m] += ref.weight * reference[m];
    }
    above_.assign(points + 1, 0.0);
    below_.assign(points + 1, 0.0);
    for (int m = points - 1; m >= 0; --m) above_[m] = above_[m + 1] + std::clamp(cell[m], 0.0, w_step_);
    for (int m = 1; m <= points; ++m) below_[m] = below_[m - 1] + std::clamp(w_step_ - cell[m - 1], 0.0, w_step_);
    mean_sqrt_ = w_first_ + above_[0];
}

double VixTerminalLaw::interpolate(const std::vector<double>& values, double w) const {
    return cubic_at(values, (w - w_first_) / w_step_);
}

double VixTerminalLaw::call(double strike_points) const {
    const double k = strike_points / 100;
    if (k <= w_first_) return future() - strike_points;  // exercised on every path
    if (k >= w_first_ + w_step_ * (above_.size() - 1)) return 0.0;
    return 100 * std::max(0.0, interpolate(above_, k));
}

double VixTerminalLaw::put(double strike_points) const {
    const double k = strike_points / 100;
    if (k <= w_first_) return 0.0;  // VIX_T >= 100 sqrt(a') on every path
    if (k >= w_first_ + w_step_ * (below_.size() - 1)) return strike_points - future();
    return 100 * std::max(0.0, interpolate(below_, k));
}

VixTerminalLaw vix_terminal_law(const AffineTransform& transform, double x0, double y0, double tau,
                                const VixLawSettings& settings) {
    VixExpiryTransforms expiry(transform, tau, {{x0, y0}}, 1.0, settings);
    return VixTerminalLaw(expiry, x0, y0);
}

}  // namespace condor
