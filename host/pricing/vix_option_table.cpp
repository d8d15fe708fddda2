#include "host/pricing/vix_option_table.h"

#include <omp.h>

#include <chrono>
#include <cmath>

#include "host/pricing/implied_vol.h"
#include "host/pricing/table_fill.h"

namespace condor {

// Each expiry's transforms are shared by all its states (VixExpiryTransforms);
// expiries are independent, so threads take whole expiries.
VixOptionTable::VixOptionTable(const AffineTransform& transform, const VixOptionTableDomain& d, int threads)
    : domain_(d), futures_(transform, d.states, threads) {
    const auto start = std::chrono::steady_clock::now();
    const VixFutureTableDomain& s = d.states;
    expiry_state_axes(s.tau_min_years, s.tau_max_years, s.tau_nodes, s.x_max, s.x_nodes, s.y_max, s.y_nodes, axes_);
    axes_[3] = TableAxis::uniform(vix_strike_coordinate(d.z_min, d.z_scale), vix_strike_coordinate(d.z_max, d.z_scale),
                                  d.z_nodes);
    const std::size_t states = std::size_t(s.x_nodes) * s.y_nodes;
    atm_vol_.assign(s.tau_nodes * states, 0.0f);
    ratio_.assign(s.tau_nodes * states * d.z_nodes, 1.0f);
    // The widest range any state needs is at a corner of the state box (V grows
    // with x and y); twice it leaves room for states in between.
    const std::vector<std::pair<double, double>> corners = {{0, 0}, {s.x_max, 0}, {0, s.y_max}, {s.x_max, s.y_max}};
    VixLawSettings settings;
    settings.max_terms = d.max_terms;
    const int n_threads = threads > 0 ? threads : omp_get_num_procs();
    long long filled = 0, capped = 0;
#pragma omp parallel for schedule(dynamic) reduction(+ : filled, capped) num_threads(n_threads)
    for (int i_tau = 0; i_tau < s.tau_nodes; ++i_tau) {
        const double tau = std::exp(axes_[0].node(i_tau));
        VixExpiryTransforms expiry(transform, tau, corners, 2.0, settings);
        for (std::size_t state = 0; state < states; ++state) {
            const double x = variance_at_node(axes_[1], int(state / s.y_nodes));
            const double y = variance_at_node(axes_[2], int(state % s.y_nodes));
            const VixTerminalLaw law(expiry, x, y);
            capped += !law.converged();
            const std::size_t index = i_tau * states + state;
            filled += fill_row(law, y, tau, &atm_vol_[index], &ratio_[index * d.z_nodes]);
        }
    }
    filled_nodes_ = filled;
    capped_states_ = capped;
    build_seconds_ =
        futures_.build_seconds() + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The at-the-money vol and the ratios sigma_imp / sigma_atm at the z nodes of one
// (tau, x, y), shifted Black vols on VIX_T - f (kernels/vix_option_table.h), each
// from the out-of-the-money option; returns the number of nodes filled from a
// neighbour: prices under 1e-7 of the future, below the COS law's accuracy.
int VixOptionTable::fill_row(const VixTerminalLaw& law, double y, double tau, float* atm_vol, float* row) const {
    const double future = law.future();
    const double floor = vix_floor(futures_.view().shared, futures_.view().q, y, tau);
    const double shifted_future = future - floor;
    const ImpliedVol atm = implied_vol(OptionType::call, law.call(future), shifted_future, shifted_future, tau, 1.0);
    // A degenerate law (no vol of variance, no jumps) has no smile: a small vol
    // keeps the strike coordinate finite.
    const double sigma_atm = atm.status == ImpliedVolStatus::ok ? std::max(atm.vol, 1e-4) : 1e-4;
    *atm_vol = float(sigma_atm);
    const int nodes = axes_[3].nodes;
    std::vector<bool> valid(nodes);
    for (int i = 0; i < nodes; ++i) {
        const double z = vix_strike_from_coordinate(axes_[3].node(i), domain_.z_scale);
        const double shifted_strike = shifted_future * std::exp(z * sigma_atm * std::sqrt(tau));
        const double strike = floor + shifted_strike;
        const OptionType type = strike < future ? OptionType::put : OptionType::call;
        const double price = type == OptionType::put ? law.put(strike) : law.call(strike);
        const ImpliedVol iv = implied_vol(type, price, shifted_future, shifted_strike, tau, 1.0);
        valid[i] = iv.status == ImpliedVolStatus::ok && price > 1e-7 * future;
        if (valid[i]) row[i] = float(iv.vol / sigma_atm);
    }
    return fill_from_nearest_valid(row, valid);
}

VixOptionTableView VixOptionTable::view() const {
    VixOptionTableView v;
    v.future = futures_.view();
    for (int d = 0; d < 4; ++d) v.axes[d] = axes_[d];
    v.z_scale = domain_.z_scale;
    v.atm_vol = atm_vol_.data();
    v.vol_ratio = ratio_.data();
    return v;
}

}  // namespace condor
