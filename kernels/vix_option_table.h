// European VIX options from precomputed tables (DESIGN §4), for the kernels.
//
// Every mark is a price under a genuine probability law of VIX_T whose mean is
// the VIX future, so the marks of one state are free of static arbitrage by
// construction, whatever the interpolation error: put-call parity, calls
// decreasing and convex in the strike, max(F - K, 0) <= C <= F. (Interpolating
// implied vols, or prices with cubic weights, some negative, does not keep
// convexity: the smile table this replaced had butterflies of -2e-3 points.)
//
// At each node i of the (ln tau, x^{1/3}, y^{1/3}) grid the table holds the
// quantile function Q_i(u) of the standardised VIX, Y_i = (VIX_T - F_i) / D_i,
// where F_i is the node's future and D_i = E[(VIX_T - F_i)^+] its at-the-money
// call, at levels u_j: u = 0 (the floor), u = 1 (the top of the law) and between
// them u = 1 / (1 + e^{-l}) with l uniform in [-l_max, l_max]. Between levels Q is
// linear in l (exact for exponential tails, which jump sizes give), and in u in
// the two end cells. A state between nodes takes the quantile average
//     Q(u) = sum_i w_i Q_i(u)
// over the surrounding nodes, with weights linear in x^{1/3} and y^{1/3} (w_i >= 0)
// and in ln tau cubic (accuracy: the law changes fastest with the expiry), blended
// with linear ones as far as the host needs to prove that the average stays
// non-decreasing in u on the whole cell. So Q is non-decreasing, the quantile function of a law
// (displacement interpolation, which moves the floor and the tails with the
// state where a mixture of laws would leave bumps). Each Q_i has mean exactly 0
// (the host shifts it), so Q has too.
// The marks are then VIX_T = F(s) + D(s) Y, F(s) from the futures table, ln D(s)
// by cubics:
//     C(K) = D(s) E[(Y - k)^+],  k = (K - F(s)) / D(s),   P(K) = C(K) - (F(s) - K),
// with E[(Y - k)^+] = int_{u*}^1 (Q(u) - k) du, u* where Q crosses k, in closed
// form from the tail integrals T_j = int_{u_j}^1 Q(u) du stored with each level.
#pragma once

#include <cmath>

#include "kernels/table_grid.h"
#include "kernels/vix_future_table.h"

namespace condor {

struct VixOptionTableView {
    VixFutureTableView future;
    TableAxis axes[3];          // ln tau (years), cube roots of x and y
    int levels;                 // quantile levels: u_0 = 0, u_j = logistic(l_j) for 0 < j < levels - 1, u_last = 1
    double logit_first;         // l_1
    double logit_step;          // l_{j+1} - l_j
    const float* log_width;     // ln D_i, D_i in VIX points, [tau][x][y]
    const double* quantiles;    // (Q_i(u_j), T_ij) for each level j, [tau][x][y][j][2]
    const float* cubic_weight;  // theta per [tau cell][x][y]: ln tau weights theta cubic + (1 - theta) linear
};

// ln(1 + e^l) = max(l, 0) + ln(1 + e^{-|l|}), without overflow. One exp and one
// log1p whatever the sign (adding 0 when l <= 0 is exact), out of line on the
// GPU: inlined with both branches at three call sites, it was 14% of vix_call's
// machine code.
CONDOR_HD CONDOR_OUTLINE double softplus(double l) {
    const bool positive = l > 0;
    return (positive ? l : 0.0) + log1p(exp(positive ? -l : l));
}

// u(l) = 1 / (1 + e^{-l}), the level at logit l; 1 - u(l) = u(-l) exactly.
CONDOR_HD CONDOR_OUTLINE double level_at_logit(double l) { return 1 / (1 + exp(-l)); }

// int_{l0}^{l1} (l - l0) du(l), u = 1 / (1 + e^{-l}): by parts (l1 - l0) u(l1) -
// [ln(1 + e^l)]_{l0}^{l1}; for l1 > 0 the same written with 1 - u(l1) and
// ln(1 + e^{-l}), which keeps its precision where u is near 1.
CONDOR_HD inline double logit_cell_moment(double l0, double l1) {
    if (l1 > 0) {
        const double upper_mass = level_at_logit(-l1);  // 1 - u(l1)
        // ln(1 + e^{-l0}) and ln(1 + e^{-l1}) (softplus(-l) is log1p(e^{-l}) for l > 0,
        // and -l + log1p(e^l) otherwise, bit for bit what they were written as).
        const double l0_tail = softplus(-l0);
        return -(l1 - l0) * upper_mass + l0_tail - softplus(-l1);
    }
    return (l1 - l0) / (1 + exp(-l1)) - (softplus(l1) - softplus(l0));
}

// The quantile grid's levels, for host and device alike.
CONDOR_HD inline double vix_level_logit(const VixOptionTableView& t, int j) {
    return t.logit_first + (j - 1) * t.logit_step;
}
CONDOR_HD inline double vix_level(const VixOptionTableView& t, int j) {
    return j == 0 ? 0.0 : (j == t.levels - 1 ? 1.0 : level_at_logit(vix_level_logit(t, j)));
}
CONDOR_HD inline double vix_level_upper_mass(const VixOptionTableView& t, int j) {  // 1 - u_j
    return j == 0 ? 1.0 : (j == t.levels - 1 ? 0.0 : level_at_logit(-vix_level_logit(t, j)));
}

// E[(Y - k)^+] for the law whose quantile function is Q(u_j) = q_j (j = lo, hi =
// lo + 1, q_lo <= k < q_hi) and above u_hi has tail integral tail_hi.
CONDOR_HD inline double quantile_cell_call(const VixOptionTableView& t, int lo, double q_lo, double q_hi,
                                           double tail_hi, double k) {
    const int hi = lo + 1;
    const double fraction = (k - q_lo) / (q_hi - q_lo);
    double inside;  // int_{u*}^{u_hi} (Q(u) - k) du
    if (lo == 0 || hi == t.levels - 1) {
        // End cells: Q linear in u, a triangle.
        const double u_lo = vix_level(t, lo), u_hi = vix_level(t, hi);
        inside = 0.5 * (q_hi - k) * (1 - fraction) * (u_hi - u_lo);
    } else {
        // Q(u) - k = (q_hi - q_lo) (l(u) - l*) / dl.
        const double l_star = vix_level_logit(t, lo) + fraction * t.logit_step;
        const double l_hi = vix_level_logit(t, hi);
        inside = (q_hi - q_lo) / t.logit_step * logit_cell_moment(l_star, l_hi);
    }
    return tail_hi - k * vix_level_upper_mass(t, hi) + inside;
}

// The state's quantile average: the 8 surrounding nodes and their weights.
struct VixQuantileAverage {
    const double* node[16];
    double weight[16];
    int count;

    CONDOR_HD double quantile(int j) const {
        double q = 0;
        CONDOR_GPU_ROLLED
        for (int i = 0; i < count; ++i) q += weight[i] * node[i][2 * j];
        return q;
    }
    CONDOR_HD double tail(int j) const {
        double total = 0;
        CONDOR_GPU_ROLLED
        for (int i = 0; i < count; ++i) total += weight[i] * node[i][2 * j + 1];
        return total;
    }
};

// Weights: linear in x^{1/3} and y^{1/3}; in ln tau theta * cubic + (1 - theta) *
// linear, with the largest theta in [0, 1] for which the host proved the average
// non-decreasing in u on this expiry cell at that (x, y) node. Each (x, y)
// corner's tau average is then a quantile function of mean 0, and so is their
// bilinear average.
CONDOR_HD inline VixQuantileAverage vix_quantile_average(const VixOptionTableView& t, const double* coordinates) {
    const Stencil cubic = cubic_stencil(t.axes[0], coordinates[0]);
    const LinearStencil linear = linear_stencil(t.axes[0], coordinates[0]);
    const int cell_offset = linear.first - cubic.first;  // the cell's first node within the cubic stencil
    LinearStencil s[3];
    for (int d = 1; d < 3; ++d) s[d] = linear_stencil(t.axes[d], coordinates[d]);
    const int n1 = t.axes[1].nodes, n2 = t.axes[2].nodes;
    VixQuantileAverage average;
    average.count = 0;
    for (int b = 0; b < 2; ++b)
        for (int c = 0; c < 2; ++c) {
            const double w_state = s[1].weight[b] * s[2].weight[c];
            if (w_state == 0) continue;
            const int ix = s[1].first + b, iy = s[2].first + c;
            const double theta = t.cubic_weight[((long long)linear.first * n1 + ix) * n2 + iy];
            CONDOR_GPU_ROLLED
            for (int a = 0; a < 4; ++a) {
                double w_tau = theta * cubic.weight[a];
                if (a == cell_offset) w_tau += (1 - theta) * linear.weight[0];
                if (a == cell_offset + 1) w_tau += (1 - theta) * linear.weight[1];
                const double w = w_state * w_tau;
                if (w == 0) continue;
                const long long node = ((long long)(cubic.first + a) * n1 + ix) * n2 + iy;
                average.node[average.count] = t.quantiles + 2LL * t.levels * node;
                average.weight[average.count++] = w;
            }
        }
    return average;
}

// E[(Y - k)^+] under the quantile average: bisection for the level cell, then
// the cell in closed form.
CONDOR_HD inline double vix_standardised_call(const VixOptionTableView& t, const VixQuantileAverage& law, double k) {
    int lo = 0, hi = t.levels - 1;
    if (k <= law.quantile(lo)) return law.tail(0) - k;  // exercised on every path (T_0 = E[Y] = 0)
    if (k >= law.quantile(hi)) return 0.0;
    while (hi - lo > 1) {  // law.quantile(lo) < k < law.quantile(hi)
        const int mid = (lo + hi) / 2;
        if (law.quantile(mid) <= k)
            lo = mid;
        else
            hi = mid;
    }
    return quantile_cell_call(t, lo, law.quantile(lo), law.quantile(hi), law.tail(hi), k);
}

struct VixOptionMark {
    double future;     // VIX future F, points
    double floor;      // f: VIX_T >= f on every path, points (the table's law may reach slightly below it)
    double width;      // D = E[(VIX_T - F)^+], the at-the-money call, points
    double call, put;  // undiscounted prices, VIX points
};

// f = 100 sqrt(vix_variance_floor), VIX points.
CONDOR_HD inline double vix_floor(const SharedParams& shared, const MeasureParams& q, double y, double tau_years) {
    return 100 * sqrt(vix_variance_floor(shared, q, y, tau_years));
}

CONDOR_HD inline VixOptionMark table_vix_option(const VixOptionTableView& t, double x, double y, double tau_years,
                                                double strike_points) {
    double coordinates[3];
    expiry_state_coordinates(tau_years, x, y, coordinates);
    VixOptionMark mark;
    mark.future = table_vix_future(t.future, x, y, tau_years);
    mark.floor = vix_floor(t.future.shared, t.future.q, y, tau_years);
    mark.width = exp(interpolate3(t.log_width, t.axes, coordinates));
    const double k = (strike_points - mark.future) / mark.width;
    const double standardised_call = vix_standardised_call(t, vix_quantile_average(t, coordinates), k);
    mark.call = mark.width * standardised_call;
    // P = D (E[(Y - k)^+] + k), never below 0 but for rounding.
    const double put = mark.width * (standardised_call + k);
    mark.put = put > 0 ? put : 0.0;
    return mark;
}

}  // namespace condor
