// VIX futures from a precomputed table (DESIGN §4), for the kernels.
//
// The table holds r = F / F_ref over (ln tau, x^{1/3}, y^{1/3}), with
// F_ref = 100 sqrt(E_Q[VIX_T^2] / 100^2) = 100 sqrt(a + b_x E[x_T] + b_y E[y_T]),
// E[x_T] = theta* + (x - theta*) e^{-kappa_x T}, E[y_T] = theta_y* + (y - theta_y*) e^{-kappa_y T}
// (the Q means with jumps, vix_index.h). By Jensen r <= 1; it is smooth and near 1.
#pragma once

#include <cmath>

#include "kernels/table_grid.h"
#include "kernels/vix_index.h"

namespace condor {

struct VixFutureTableView {
    TableAxis axes[3];   // ln tau (years), cube roots of x and y
    const float* ratio;  // F / F_ref, [tau][x][y]
    SharedParams shared;
    MeasureParams q;
};

CONDOR_HD inline double reference_vix_future(const SharedParams& shared, const MeasureParams& q, double x, double y,
                                             double tau_years) {
    const VixCoefficients c = vix_coefficients(shared, q);
    const double jump_variance_rate = q.lambda * q.mu_v;
    const double theta_x = q.theta_x + shared.phi * jump_variance_rate / q.kappa_x;
    const double theta_y = (1.0 - shared.phi) * jump_variance_rate / q.kappa_y;
    const double mean_x = theta_x + (x - theta_x) * exp(-q.kappa_x * tau_years);
    const double mean_y = theta_y + (y - theta_y) * exp(-q.kappa_y * tau_years);
    const double v = c.a + c.b_x * mean_x + c.b_y * mean_y;
    return 100 * sqrt(v > 0 ? v : 0.0);
}

// Out of line on the GPU: vix_call and vix_future share one copy.
CONDOR_HD CONDOR_OUTLINE double table_vix_future(const VixFutureTableView& t, double x, double y, double tau_years) {
    double coordinates[3];
    expiry_state_coordinates(tau_years, x, y, coordinates);
    return reference_vix_future(t.shared, t.q, x, y, tau_years) * interpolate3(t.ratio, t.axes, coordinates);
}

}  // namespace condor
