#include "host/pricing/vix_future_table.h"

#include <omp.h>

#include <chrono>
#include <cmath>

#include "host/pricing/vix_pricer.h"

namespace condor {

// One set of Laplace nodes per expiry serves every state (VixFutureNodes), with
// the node scale of a middle state: states whose VIX is 10x away still resolve
// (checked by tests/test_vix_tables.cpp).
VixFutureTable::VixFutureTable(const AffineTransform& transform, const VixFutureTableDomain& d, int threads)
    : domain_(d), model_(transform.model()) {
    const auto start = std::chrono::steady_clock::now();
    expiry_state_axes(d.tau_min_years, d.tau_max_years, d.tau_nodes, d.x_max, d.x_nodes, d.y_max, d.y_nodes, axes_);
    ratio_.assign(std::size_t(d.tau_nodes) * d.x_nodes * d.y_nodes, 1.0f);
    const VixCoefficients c = vix_coefficients(model_.shared, model_.q);
    const double middle_variance = c.a + c.b_x * std::max(model_.q.theta_x, 0.04);
    const int n_threads = threads > 0 ? threads : omp_get_num_procs();
#pragma omp parallel for schedule(dynamic) num_threads(n_threads)
    for (int i_tau = 0; i_tau < d.tau_nodes; ++i_tau) {
        const double tau = std::exp(axes_[0].node(i_tau));
        const VixFutureNodes nodes(transform, tau, 1 / std::sqrt(middle_variance));
        for (int i_x = 0; i_x < d.x_nodes; ++i_x)
            for (int i_y = 0; i_y < d.y_nodes; ++i_y) {
                const double x = variance_at_node(axes_[1], i_x), y = variance_at_node(axes_[2], i_y);
                ratio_[(std::size_t(i_tau) * d.x_nodes + i_x) * d.y_nodes + i_y] =
                    float(nodes.future(x, y) / reference_vix_future(model_.shared, model_.q, x, y, tau));
            }
    }
    build_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

VixFutureTableView VixFutureTable::view() const {
    VixFutureTableView v;
    for (int d = 0; d < 3; ++d) v.axes[d] = axes_[d];
    v.ratio = ratio_.data();
    v.shared = model_.shared;
    v.q = model_.q;
    return v;
}

}  // namespace condor
