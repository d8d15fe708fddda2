#include "host/pricing/vix_option_table.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

namespace condor {
namespace {

// Replaces values[j] at abscissae x[j] (increasing) by their greatest convex
// minorant (the lower convex hull, Andrew's monotone chain), keeping both ends.
void lower_convex_hull(const std::vector<double>& x, std::vector<double>& values) {
    std::vector<int> hull;
    for (int j = 0; j < int(x.size()); ++j) {
        while (hull.size() >= 2) {
            const int a = hull[hull.size() - 2], b = hull.back();
            // b on or above the chord from a to j: not on the hull.
            if ((values[b] - values[a]) * (x[j] - x[a]) >= (values[j] - values[a]) * (x[b] - x[a]))
                hull.pop_back();
            else
                break;
        }
        hull.push_back(j);
    }
    for (std::size_t h = 0; h + 1 < hull.size(); ++h) {
        const int a = hull[h], b = hull[h + 1];
        for (int j = a + 1; j < b; ++j) values[j] = values[a] + (values[b] - values[a]) * (x[j] - x[a]) / (x[b] - x[a]);
    }
}

// The quantiles of Y = (VIX_T - F) / D at survival levels 1 >= s_0 >= ... >= 0.
// The law's calls at standardised strikes uniform in asinh(k / 2) from its floor
// to its top (finer than the COS grid's cells, which can be as wide as D where
// VIX_T is nearly a point mass), made convex (their lower hull: the COS
// interpolant can wiggle there); minus their secant slopes are the survival
// function, taken at the cells' midpoints and linear between, inverted.
std::vector<double> standardised_quantiles(const VixTerminalLaw& law, double future, double width,
                                           const std::vector<double>& levels) {
    constexpr int points = 1024;
    const double c_low = std::asinh((law.floor_points() - future) / width / 2);
    const double c_high = std::asinh((law.top_points() - future) / width / 2);
    std::vector<double> k(points + 1), call(points + 1);
    for (int m = 0; m <= points; ++m) {
        k[m] = 2 * std::sinh(c_low + (c_high - c_low) * m / points);
        call[m] = law.call(future + width * k[m]) / width;
    }
    call[points] = 0;
    lower_convex_hull(k, call);
    // Survival at the nodes k_0, midpoints, k_P: 1, -secant_m, 0.
    std::vector<double> at(points + 2), survival(points + 2);
    at[0] = k[0], survival[0] = 1;
    for (int m = 0; m < points; ++m) {
        at[m + 1] = 0.5 * (k[m] + k[m + 1]);
        survival[m + 1] = std::clamp(-(call[m + 1] - call[m]) / (k[m + 1] - k[m]), 0.0, 1.0);
    }
    at[points + 1] = k[points], survival[points + 1] = 0;
    std::vector<double> out(levels.size());
    int m = 0;  // survival[m] >= level > survival[m + 1]
    const int last = points + 1;
    for (std::size_t j = 0; j < levels.size(); ++j) {
        const double level = levels[j];
        while (m < last - 1 && survival[m + 1] >= level) ++m;
        if (level >= 1)
            out[j] = at[0];
        else if (level <= 0)
            out[j] = at[last];
        else {
            const double drop = survival[m] - survival[m + 1];
            const double fraction = drop > 0 ? std::clamp((survival[m] - level) / drop, 0.0, 1.0) : 0.0;
            out[j] = at[m] + fraction * (at[m + 1] - at[m]);
        }
    }
    return out;
}

// One node: ln D and the standardised quantile function with its tail integrals
// (kernels/vix_option_table.h), shifted to mean exactly 0; returns the shift.
double fill_node(const VixTerminalLaw& law, const VixOptionTableView& t, float* log_width, double* node) {
    const double future = law.future();
    // A law without spread (no vol of variance, no jumps) keeps a tiny width so
    // that standardised strikes stay finite.
    const double width = std::max(law.call(future), 1e-9 * future);
    *log_width = float(std::log(width));
    const double rounded_width = std::exp(double(*log_width));  // what the kernels use at this node
    const int n = t.levels;
    std::vector<double> survival(n);
    for (int j = 0; j < n; ++j) survival[j] = vix_level_upper_mass(t, j);
    std::vector<double> q = standardised_quantiles(law, future, rounded_width, survival);
    for (int j = 1; j < n; ++j) q[j] = std::max(q[j], q[j - 1]);
    // The end cells carry 1.1e-7 of mass each (logit_max 16): their ends continue
    // the neighbouring steps, so that the end steps interpolate across nodes as
    // their neighbours do (cubic_weight_bound), rather than carrying the floor's
    // and the COS grid top's noise into it.
    q[0] = q[1] - (q[2] - q[1]);
    q[n - 1] = q[n - 2] + (q[n - 2] - q[n - 3]);
    // Tail integrals T_j = int_{u_j}^1 Q du, cell by cell from the top: linear in
    // the logit inside, in u in the two end cells.
    std::vector<double> tail(n, 0.0);
    for (int j = n - 2; j >= 0; --j) {
        const double mass = survival[j] - survival[j + 1];
        double cell;
        if (j == 0 || j + 1 == n - 1)
            cell = 0.5 * (q[j] + q[j + 1]) * mass;
        else
            cell = q[j] * mass + (q[j + 1] - q[j]) / t.logit_step *
                                     logit_cell_moment(vix_level_logit(t, j), vix_level_logit(t, j + 1));
        tail[j] = tail[j + 1] + cell;
    }
    const double mean = tail[0];
    for (int j = 0; j < n; ++j) {
        node[2 * j] = q[j] - mean;
        node[2 * j + 1] = tail[j] - mean * survival[j];
    }
    node[1] = 0;  // T_0 = E[Y]
    return std::fabs(mean);
}

// The largest theta in [0, 1] for which the ln tau weights theta * cubic +
// (1 - theta) * linear keep every quantile step Q(u_{j+1}) - Q(u_j) >= 0 on
// expiry cell `cell` at one (x, y) node; the average is then non-decreasing in u.
// The step's interpolant is a cubic in r in [0, 1] along the cell, and it is >= 0
// where its Bernstein coefficients are (a cubic on [0, 1] is a convex combination
// of them; Farouki & Rajan 1987). Those are linear in theta, and the linear
// interpolant's are >= 0, so each negative cubic coefficient bounds theta.
double cubic_weight_bound(const std::vector<double>& quantiles, const TableAxis* axes, int levels, int cell, int ix,
                          int iy) {
    const int n0 = axes[0].nodes, n1 = axes[1].nodes, n2 = axes[2].nodes;
    const int first = std::clamp(cell - 1, 0, n0 - 4);  // as cubic_stencil
    // Lagrange weights at r = 0, 1/3, 2/3, 1 along the cell.
    double weight[4][4];
    for (int m = 0; m < 4; ++m) {
        const double s = cell + m / 3.0 - first;
        weight[m][0] = -(s - 1) * (s - 2) * (s - 3) / 6;
        weight[m][1] = s * (s - 2) * (s - 3) / 2;
        weight[m][2] = -s * (s - 1) * (s - 3) / 2;
        weight[m][3] = s * (s - 1) * (s - 2) / 6;
    }
    const double* node[4];
    for (int a = 0; a < 4; ++a) node[a] = &quantiles[2LL * levels * (((long long)(first + a) * n1 + ix) * n2 + iy)];
    double theta = 1;
    for (int j = 0; j + 1 < levels; ++j) {
        double step[4], p[4];
        for (int a = 0; a < 4; ++a) step[a] = node[a][2 * j + 2] - node[a][2 * j];
        for (int m = 0; m < 4; ++m) {
            p[m] = 0;
            for (int a = 0; a < 4; ++a) p[m] += weight[m][a] * step[a];
        }
        const double cubic[4] = {p[0], (-5 * p[0] + 18 * p[1] - 9 * p[2] + 2 * p[3]) / 6,
                                 (2 * p[0] - 9 * p[1] + 18 * p[2] - 5 * p[3]) / 6, p[3]};
        const double left = step[cell - first], right = step[cell - first + 1];
        const double linear[4] = {left, (2 * left + right) / 3, (left + 2 * right) / 3, right};
        for (int m = 0; m < 4; ++m)
            if (cubic[m] < 0) theta = std::min(theta, linear[m] / (linear[m] - cubic[m]));
    }
    return std::max(theta, 0.0);
}

}  // namespace

double VixOptionTable::cubic_share() const {
    long long cubic = 0;
    for (float theta : cubic_weight_) cubic += theta == 1.0f;
    return cubic_weight_.empty() ? 0.0 : double(cubic) / cubic_weight_.size();
}

// A task is one block of states of one expiry, so the 28 x 576 laws spread over
// any number of threads instead of 28 whole expiries. The tasks of one expiry
// share its VixExpiryTransforms, which computes each exponent once whichever task
// asks first (with one per task, 12 tasks recomputed the same exponents: 5% of
// the build on one thread). Long expiries cost 3-4x the short ones (more COS
// terms), so tasks start from the longest. Every node's value is the same
// whichever task computes it: the shared exponents depend only on (level, k).
VixOptionTable::VixOptionTable(const AffineTransform& transform, const VixOptionTableDomain& d, int threads)
    : domain_(d), futures_(transform, d.states, threads) {
    const auto start = std::chrono::steady_clock::now();
    const VixFutureTableDomain& s = d.states;
    expiry_state_axes(s.tau_min_years, s.tau_max_years, s.tau_nodes, s.x_max, s.x_nodes, s.y_max, s.y_nodes,
                      levels_.axes);
    const int interior = int(std::lround(2 * d.logit_max / d.logit_step)) + 1;
    levels_.levels = interior + 2;
    levels_.logit_first = -d.logit_max;
    levels_.logit_step = 2 * d.logit_max / (interior - 1);
    const int n = levels_.levels;
    const std::size_t states = std::size_t(s.x_nodes) * s.y_nodes;
    log_width_.assign(s.tau_nodes * states, 0.0f);
    quantiles_.assign(s.tau_nodes * states * n * 2, 0.0);
    // The widest range any state needs is at a corner of the state box (V grows
    // with x and y); twice it leaves room for states in between.
    const std::vector<std::pair<double, double>> corners = {{0, 0}, {s.x_max, 0}, {0, s.y_max}, {s.x_max, s.y_max}};
    VixLawSettings settings;
    settings.max_terms = d.max_terms;
    const int n_threads = threads > 0 ? threads : omp_get_num_procs();
    long long capped = 0;
    double largest_shift = 0;
    constexpr std::size_t kStatesPerTask = 48;
    const std::size_t blocks = (states + kStatesPerTask - 1) / kStatesPerTask;
    const long long tasks = (long long)(s.tau_nodes * blocks);
    std::vector<std::unique_ptr<VixExpiryTransforms>> expiries(s.tau_nodes);
#pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads)
    for (int i_tau = 0; i_tau < s.tau_nodes; ++i_tau)
        expiries[i_tau] = std::make_unique<VixExpiryTransforms>(transform, std::exp(levels_.axes[0].node(i_tau)),
                                                                corners, 2.0, settings);
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : capped) reduction(max : largest_shift) num_threads(n_threads)
    for (long long task = 0; task < tasks; ++task) {
        const int i_tau = s.tau_nodes - 1 - int(task / blocks);
        const std::size_t first = std::size_t(task % blocks) * kStatesPerTask;
        const std::size_t last = std::min(states, first + kStatesPerTask);
        const VixExpiryTransforms& expiry = *expiries[i_tau];
        for (std::size_t state = first; state < last; ++state) {
            const double x = variance_at_node(levels_.axes[1], int(state / s.y_nodes));
            const double y = variance_at_node(levels_.axes[2], int(state % s.y_nodes));
            const VixTerminalLaw law(expiry, x, y);
            capped += !law.converged();
            const std::size_t index = i_tau * states + state;
            largest_shift =
                std::max(largest_shift, fill_node(law, levels_, &log_width_[index], &quantiles_[index * n * 2]));
        }
    }
    cubic_weight_.assign((s.tau_nodes - 1) * states, 0.0f);
#pragma omp parallel for num_threads(n_threads)
    for (int cell = 0; cell < s.tau_nodes - 1; ++cell)
        for (std::size_t state = 0; state < states; ++state) {
            const double theta =
                cubic_weight_bound(quantiles_, levels_.axes, n, cell, int(state / s.y_nodes), int(state % s.y_nodes));
            // Rounded down to a float, so the kernels never use more than proved safe.
            float rounded = float(theta);
            if (double(rounded) > theta) rounded = std::nextafter(rounded, 0.0f);
            cubic_weight_[cell * states + state] = rounded;
        }
    capped_states_ = capped;
    largest_mean_shift_ = largest_shift;
    build_seconds_ =
        futures_.build_seconds() + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

VixOptionTableView VixOptionTable::view() const {
    VixOptionTableView v = levels_;
    v.future = futures_.view();
    v.log_width = log_width_.data();
    v.quantiles = quantiles_.data();
    v.cubic_weight = cubic_weight_.data();
    return v;
}

}  // namespace condor
