// SPX implied volatility from a precomputed table (DESIGN §4), for the kernels.
//
// The table holds r = sigma_imp / sigma_ref over (ln tau, x^{1/3}, y^{1/3}, z), with
//   sigma_ref^2 = a(tau) + b_x(tau) x + b_y(tau) y  (the model's expected variance
//   over [0, tau] under Q, the VIX formula with horizon tau: vix_index.h), and
//   z = ln(K/F) / (sigma_ref sqrt(tau)), the strike in standard deviations.
// In these coordinates r is close to 1 and smooth, and the strikes that matter
// (|delta| >= 0.02) fill a fixed z range at every expiry and state.
#pragma once

#include <cmath>

#include "kernels/table_grid.h"
#include "kernels/vix_index.h"

namespace condor {

struct SpxVolTableView {
    TableAxis axes[4];    // ln tau (years), cube roots of x and y, z
    const float* ratio;   // sigma_imp / sigma_ref, [tau][x][y][z]
    SharedParams shared;  // for sigma_ref
    MeasureParams q;
};

CONDOR_HD inline double reference_vol(const SharedParams& shared, const MeasureParams& q, double x, double y,
                                      double tau_years) {
    const VixCoefficients c = vix_coefficients(shared, q, tau_years);
    const double variance = c.a + c.b_x * x + c.b_y * y;
    return sqrt(variance > 1e-12 ? variance : 1e-12);
}

// Black implied vol (per sqrt year) of the European option with log-moneyness
// k = ln(K/F) and expiry tau in state (x, y).
// What every strike of one expiry shares in one state: sigma_ref, sqrt(tau)
// and the table coordinates (ln tau, x^{1/3}, y^{1/3}). Marking the four legs of
// a condor computes them once.
struct SpxExpiryState {
    double sigma_ref;
    double sqrt_tau;
    double coordinates[3];
};

CONDOR_HD inline SpxExpiryState spx_expiry_state(const SpxVolTableView& t, double x, double y, double tau_years) {
    SpxExpiryState e;
    e.sigma_ref = reference_vol(t.shared, t.q, x, y, tau_years);
    e.sqrt_tau = sqrt(tau_years);
    expiry_state_coordinates(tau_years, x, y, e.coordinates);
    return e;
}

// The stencil on the table's z axis of a strike: z = ln(K/F) / (sigma_ref sqrt(tau)).
CONDOR_HD inline Stencil strike_stencil(const SpxVolTableView& t, const SpxExpiryState& e, double log_moneyness) {
    return cubic_stencil(t.axes[3], log_moneyness / (e.sigma_ref * e.sqrt_tau));
}

// Implied vols of kStrikes strikes of one expiry in one state, from their
// log-moneyness. The strikes share the outer stencils, so one contraction
// serves them all (contract_outer3_blocks), and each strike gets the same
// bits whatever kStrikes is.
template <int kStrikes>
CONDOR_HD inline void table_implied_vols(const SpxVolTableView& t, const SpxExpiryState& e, const double* log_moneyness,
                                         double* vols) {
    Stencil last[kStrikes];
    int firsts[kStrikes];
    CONDOR_GPU_ROLLED
    for (int k = 0; k < kStrikes; ++k) {
        last[k] = strike_stencil(t, e, log_moneyness[k]);
        firsts[k] = last[k].first;
    }
    double columns[kStrikes][4];
    contract_outer3_blocks<kStrikes>(t.ratio, t.axes, e.coordinates, firsts, columns);
    CONDOR_GPU_ROLLED
    for (int k = 0; k < kStrikes; ++k) vols[k] = e.sigma_ref * apply_stencil(last[k], columns[k]);
}

CONDOR_HD inline double table_implied_vol(const SpxVolTableView& t, const SpxExpiryState& e, double log_moneyness) {
    double vol;
    table_implied_vols<1>(t, e, &log_moneyness, &vol);
    return vol;
}

// The table's smile at one expiry state: the ratio at every z node, its first
// three dimensions contracted (contract_outer3_blocks). A delta search tries a dozen
// strikes per short and wing at one state; with the smile each costs a 4-node
// interpolation instead of 64 table rows, and gives table_implied_vol's bits.
inline constexpr int kMaxSpxStrikeNodes = 64;  // z nodes a smile holds (the table's z axis: 61)

struct SpxSmile {
    double ratio[kMaxSpxStrikeNodes];
};

CONDOR_HD CONDOR_OUTLINE void spx_smile(const SpxVolTableView& t, const SpxExpiryState& e, SpxSmile& out) {
    // Sixteen columns at a time, in blocks of four; a block past the row's end
    // is shifted to end there (its overlap is recomputed with the same bits).
    const int nodes = t.axes[3].nodes;
    for (int first = 0; first < nodes; first += 16) {
        int firsts[4];
        for (int k = 0; k < 4; ++k) firsts[k] = first + 4 * k + 4 <= nodes ? first + 4 * k : nodes - 4;
        double columns[4][4];
        contract_outer3_blocks<4>(t.ratio, t.axes, e.coordinates, firsts, columns);
        for (int k = 0; k < 4; ++k)
            for (int j = 0; j < 4; ++j) out.ratio[firsts[k] + j] = columns[k][j];
    }
}

CONDOR_HD inline double smile_implied_vol(const SpxVolTableView& t, const SpxExpiryState& e, const SpxSmile& smile,
                                          double log_moneyness) {
    const Stencil s = strike_stencil(t, e, log_moneyness);
    return e.sigma_ref * apply_stencil(s, smile.ratio + s.first);
}

CONDOR_HD inline double table_implied_vol(const SpxVolTableView& t, double x, double y, double tau_years,
                                          double log_moneyness) {
    return table_implied_vol(t, spx_expiry_state(t, x, y, tau_years), log_moneyness);
}

}  // namespace condor
