#include "host/pricing/spx_vol_table.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "host/pricing/cos_pricer.h"
#include "host/pricing/implied_vol.h"
#include "host/pricing/pricing_lanes.h"
#include "host/pricing/table_fill.h"

namespace condor {

// The characteristic function is exp(A + B_x x + B_y y) with A, B independent of
// the state: per expiry the builder evaluates them once on a COS grid wide enough
// for every state of the table (the union of the corner states' ranges, with the
// terms the narrowest state needs), then each state costs N complex exponentials.
SpxVolTable::SpxVolTable(const AffineTransform& transform, const SpxVolTableDomain& d, int threads)
    : domain_(d), model_(transform.model()) {
    const auto start = std::chrono::steady_clock::now();
    expiry_state_axes(d.tau_min_years, d.tau_max_years, d.tau_nodes, d.x_max, d.x_nodes, d.y_max, d.y_nodes, axes_);
    if (d.z_nodes < 4 || d.z_nodes > kMaxSpxStrikeNodes)
        throw std::invalid_argument("SPX vol table: z_nodes must be in [4, " + std::to_string(kMaxSpxStrikeNodes) +
                                    "] (kernels/spx_vol_table.h, SpxSmile)");
    axes_[3] = TableAxis::uniform(d.z_min, d.z_max, d.z_nodes);
    ratio_.assign(std::size_t(d.tau_nodes) * d.x_nodes * d.y_nodes * d.z_nodes, 1.0f);
    const int n_threads = threads > 0 ? threads : omp_get_num_procs();
    const CosSettings settings;
    const double carry = model_.rate - model_.dividend_yield;
    long long filled = 0;
    for (int i_tau = 0; i_tau < d.tau_nodes; ++i_tau) {
        const double tau = std::exp(axes_[0].node(i_tau));
        const double corners[4][2] = {{0, 0}, {d.x_max, 0}, {0, d.y_max}, {d.x_max, d.y_max}};
        CosRange range{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
        for (const auto& c : corners) {
            const CosRange r = cos_truncation_range(transform, c[0], c[1], tau, settings.tail_mass);
            range = {std::min(range.a, r.a), std::max(range.b, r.b)};
        }
        int terms = 0;
        for (const auto& c : corners)
            terms = std::max(terms, cos_terms_needed(transform, c[0], c[1], tau, range, settings));
        const double scale = 3.14159265358979323846 / (range.b - range.a);
        std::vector<AffineExponent> exponents(terms);
#pragma omp parallel for schedule(static) num_threads(n_threads)
        for (int n = 0; n < terms; ++n) {
            exponents[n] = transform.exponent(Complex(0, n * scale), 0.0, 0.0, tau);
            // Fold in ln F = ln S + (r - q) tau and the COS shift e^{-i omega a}.
            exponents[n].a -= Complex(0, n * scale) * (carry * tau + range.a);
        }
#pragma omp parallel for schedule(dynamic) reduction(+ : filled) num_threads(n_threads)
        for (int state = 0; state < d.x_nodes * d.y_nodes; ++state) {
            const double x = variance_at_node(axes_[1], state / d.y_nodes);
            const double y = variance_at_node(axes_[2], state % d.y_nodes);
            // States with more variance need fewer terms than the narrowest one: the
            // first n (by bisection; |phi| decays in n) where |phi| < cf_tolerance.
            const double log_tolerance = std::log(settings.cf_tolerance);
            int own_terms = terms;
            for (int lo = settings.min_terms; lo < own_terms;) {
                const int mid = (lo + own_terms) / 2;
                if (exponents[mid].log_value(x, y).real() < log_tolerance)
                    own_terms = mid;
                else
                    lo = mid + 1;
            }
            // Re e^z = e^{Re z} cos(Im z), on lanes (pricing_lanes.h).
            std::vector<double> coefficients(own_terms), log_re(own_terms), log_im(own_terms);
            for (int n = 0; n < own_terms; ++n) {
                const Complex z = exponents[n].log_value(x, y);
                log_re[n] = z.real(), log_im[n] = z.imag();
            }
            for_each_lane_block(own_terms, [&](int n, auto lanes) {
                using T = decltype(lanes);
                T sin_im, cos_im;
                sincos_radians(load_lanes<T>(log_im.data(), n), sin_im, cos_im);
                store_lanes(exp_f64(load_lanes<T>(log_re.data(), n)) * cos_im, coefficients.data(), n);
            });
            const CosExpiry expiry(range, std::move(coefficients));
            float* row = &ratio_[(std::size_t(i_tau) * d.x_nodes * d.y_nodes + state) * d.z_nodes];
            filled += fill_row(expiry, reference_vol(model_.shared, model_.q, x, y, tau), tau, row);
        }
    }
    filled_nodes_ = filled;
    build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Ratios sigma_imp / sigma_ref at the z nodes of one (tau, x, y); returns the
// number of deep-wing nodes without a vol, which take their nearest valid
// neighbour's ratio.
int SpxVolTable::fill_row(const CosExpiry& expiry, double sigma_ref, double tau, float* row) const {
    const int nodes = axes_[3].nodes;
    std::vector<bool> valid(nodes);
    std::vector<double> k(nodes), put(nodes);
    for (int i = 0; i < nodes; ++i) k[i] = axes_[3].node(i) * sigma_ref * std::sqrt(tau);
    // Prices per unit forward (F = 1, no discounting): only the shape matters.
    expiry.put_over_forward(k.data(), put.data(), nodes);
    // The ratio is near 1 and smooth in z: each search starts from the vol of
    // the node before (sigma_ref at the first), which takes a few Newton steps
    // where the at-the-money start took many.
    double guess = sigma_ref;
    for (int i = 0; i < nodes; ++i) {
        const ImpliedVol iv = implied_vol(OptionType::put, put[i], 1.0, std::exp(k[i]), tau, 1.0, guess);
        valid[i] = iv.status == ImpliedVolStatus::ok;
        if (valid[i]) {
            row[i] = float(iv.vol / sigma_ref);
            guess = iv.vol;
        }
    }
    return fill_from_nearest_valid(row, valid);
}

SpxVolTableView SpxVolTable::view() const {
    SpxVolTableView v;
    for (int d = 0; d < 4; ++d) v.axes[d] = axes_[d];
    v.ratio = ratio_.data();
    v.shared = model_.shared;
    v.q = model_.q;
    return v;
}

}  // namespace condor
