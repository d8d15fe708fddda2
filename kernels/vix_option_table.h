// European VIX options from precomputed tables (DESIGN §4), for the kernels.
//
// VIX_T has a hard floor: V = VIX_T^2 / 100^2 >= a + b_y y e^{-kappa_y tau} on every
// path (x_T >= 0; y only decays between upward jumps), so VIX_T >= f, and near x = 0
// the floor is close to the money: puts below it are worth exactly 0, which no
// lognormal smile reproduces. The table therefore quotes shifted Black (1976)
// implied vols (displaced diffusion, Rubinstein 1983) on VIX_T - f: call =
// Black(F - f, K - f, sigma), F the VIX future (the futures table). At each
// (ln tau, x^{1/3}, y^{1/3}) it holds the at-the-money vol sigma_atm, and over the
// strike coordinate z = ln((K - f) / (F - f)) / (sigma_atm sqrt(tau)) the ratio
// sigma_imp / sigma_atm, smooth and near 1 across the VIX smile's right skew.
//
// The z axis is uniform in c = asinh(z / z_scale): steps of about 0.2 near the money,
// widening far out. At short expiries the right wing is set by variance jumps, not
// by the diffusive at-the-money vol, and reaches z of 20-50; a table that ended
// sooner and held its last vol beyond made call prices concave where it ended.
#pragma once

#include <cmath>

#include "kernels/black_scholes.h"
#include "kernels/table_grid.h"
#include "kernels/vix_future_table.h"

namespace condor {

struct VixOptionTableView {
    VixFutureTableView future;
    TableAxis axes[4];  // ln tau (years), cube roots of x and y, asinh(z / z_scale)
    double z_scale;
    const float* atm_vol;    // sigma_atm per sqrt(year), [tau][x][y]
    const float* vol_ratio;  // sigma_imp / sigma_atm, [tau][x][y][c]
};

CONDOR_HD inline double vix_strike_coordinate(double z, double z_scale) { return asinh(z / z_scale); }
CONDOR_HD inline double vix_strike_from_coordinate(double c, double z_scale) { return z_scale * sinh(c); }

struct VixOptionMark {
    double future;       // VIX future, points
    double floor;        // f: VIX_T >= f on every path, points
    double implied_vol;  // shifted Black vol on F - f, per sqrt(year) (0 at or below the floor)
    double call, put;    // undiscounted prices, VIX points
};

// f = 100 sqrt(vix_variance_floor), VIX points.
CONDOR_HD inline double vix_floor(const SharedParams& shared, const MeasureParams& q, double y, double tau_years) {
    return 100 * sqrt(vix_variance_floor(shared, q, y, tau_years));
}

CONDOR_HD inline VixOptionMark table_vix_option(const VixOptionTableView& t, double x, double y, double tau_years,
                                                double strike_points) {
    double coordinates[4];
    expiry_state_coordinates(tau_years, x, y, coordinates);
    VixOptionMark mark;
    mark.future = table_vix_future(t.future, x, y, tau_years);
    mark.floor = vix_floor(t.future.shared, t.future.q, y, tau_years);
    if (strike_points <= mark.floor) {  // exercised on every path
        mark.implied_vol = 0;
        mark.call = mark.future - strike_points;
        mark.put = 0;
        return mark;
    }
    const double atm = interpolate3(t.atm_vol, t.axes, coordinates);
    const double root_tau = sqrt(tau_years);
    const double shifted_future = mark.future - mark.floor, shifted_strike = strike_points - mark.floor;
    coordinates[3] = vix_strike_coordinate(log(shifted_strike / shifted_future) / (atm * root_tau), t.z_scale);
    mark.implied_vol = atm * interpolate4(t.vol_ratio, t.axes, coordinates);
    const double total_vol = mark.implied_vol * root_tau;
    mark.call = black_call(shifted_future, shifted_strike, total_vol);
    mark.put = black_put(shifted_future, shifted_strike, total_vol);
    return mark;
}

}  // namespace condor
