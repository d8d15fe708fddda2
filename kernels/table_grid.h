// Tensor-product tables and their interpolation, shared by host and device:
// each axis is uniform in a transformed coordinate (sqrt x, ln tau, ...), and a
// value is interpolated by cubic Lagrange polynomials through the four nearest
// nodes in every dimension (the stencil is shifted inwards at the edges, and
// coordinates beyond the ends are clamped to them).
#pragma once

#include <cmath>

#include "kernels/platform.h"

namespace condor {

struct TableAxis {
    double first = 0;  // coordinate of node 0
    double step = 1;   // coordinate spacing
    int nodes = 1;

    // `nodes` nodes from `first` to `last` inclusive.
    static TableAxis uniform(double first, double last, int nodes) {
        return {first, (last - first) / (nodes - 1), nodes};
    }

    CONDOR_HD double node(int i) const { return first + step * i; }
    CONDOR_HD double last() const { return node(nodes - 1); }
};

// The expiry and variance-state axes every pricing table shares: ln tau and the
// cube roots of x and y, which put nodes near x = y = 0, where the smile and the
// law of the VIX change fastest (docs/pricing.md).
CONDOR_HD inline void expiry_state_coordinates(double tau_years, double x, double y, double* out) {
    out[0] = log(tau_years);
    out[1] = cbrt(x > 0 ? x : 0.0);
    out[2] = cbrt(y > 0 ? y : 0.0);
}

inline void expiry_state_axes(double tau_min_years, double tau_max_years, int tau_nodes, double x_max, int x_nodes,
                              double y_max, int y_nodes, TableAxis* axes) {
    axes[0] = TableAxis::uniform(log(tau_min_years), log(tau_max_years), tau_nodes);
    axes[1] = TableAxis::uniform(0, cbrt(x_max), x_nodes);
    axes[2] = TableAxis::uniform(0, cbrt(y_max), y_nodes);
}

// The variance (x or y) at node i of its cube-root axis.
CONDOR_HD inline double variance_at_node(const TableAxis& axis, int i) {
    const double c = axis.node(i);
    return c * c * c;
}

// The four-node stencil around `coordinate`: index of its first node and the
// Lagrange weights l_j(t) = prod_{m != j} (t - m) / (j - m) at t = coordinate offset.
struct Stencil {
    int first;
    double weight[4];
};

// The coordinate's offset from node 0 in steps, clamped to the axis.
CONDOR_HD inline double clamped_offset(const TableAxis& axis, double coordinate) {
    const double t = (coordinate - axis.first) / axis.step, last = double(axis.nodes - 1);
    return t < 0 ? 0 : (t > last ? last : t);
}

CONDOR_HD inline Stencil cubic_stencil(const TableAxis& axis, double coordinate) {
    const double t = clamped_offset(axis, coordinate);
    int first = int(t) - 1;
    if (first < 0) first = 0;
    if (first > axis.nodes - 4) first = axis.nodes - 4;
    const double s = t - first;  // in [0, 3]
    Stencil st;
    st.first = first;
    st.weight[0] = -(s - 1) * (s - 2) * (s - 3) / 6;
    st.weight[1] = s * (s - 2) * (s - 3) / 2;
    st.weight[2] = -s * (s - 1) * (s - 3) / 2;
    st.weight[3] = s * (s - 1) * (s - 2) / 6;
    return st;
}

// The two-node stencil around `coordinate`: linear interpolation, whose weights
// are never negative (clamped to the axis like cubic_stencil).
struct LinearStencil {
    int first;
    double weight[2];
};

CONDOR_HD inline LinearStencil linear_stencil(const TableAxis& axis, double coordinate) {
    const double t = clamped_offset(axis, coordinate);
    int first = int(t);
    if (first > axis.nodes - 2) first = axis.nodes - 2;
    const double s = t - first;  // in [0, 1]
    return {first, {1 - s, s}};
}

// values[(i0 * n1 + i1) * n2 + i2] on axes with at least 4 nodes each.
template <class Value>
CONDOR_HD CONDOR_OUTLINE double interpolate3(const Value* values, const TableAxis* axes, const double* coordinates) {
    Stencil s[3];
    for (int d = 0; d < 3; ++d) s[d] = cubic_stencil(axes[d], coordinates[d]);
    const int n1 = axes[1].nodes, n2 = axes[2].nodes;
    double total = 0;
    CONDOR_GPU_ROLLED
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b) {
            const Value* row = values + (long long)((s[0].first + a) * n1 + s[1].first + b) * n2 + s[2].first;
            total += s[0].weight[a] * s[1].weight[b] *
                     (s[2].weight[0] * double(row[0]) + s[2].weight[1] * double(row[1]) +
                      s[2].weight[2] * double(row[2]) + s[2].weight[3] * double(row[3]));
        }
    return total;
}

// Blocks of four columns of a 4-D lookup with its first three dimensions
// contracted: out[k][j] = sum over the 4 x 4 x 4 stencil (a, b, c) of
// w_a w_b w_c values[i0 + a][i1 + b][i2 + c][firsts[k] + j], j < 4, k < kBlocks, on
// values[((i0 * n1 + i1) * n2 + i2) * n3 + i3] (axes with at least 4 nodes each;
// coordinates[3] is not read). The blocks share the outer stencils and their
// weights: the four legs of a condor at one state, or a smile's row, read the
// same rows at different columns. Each a has its own running sums, added at the
// end: four chains of 16 additions instead of one of 64, whose latency bound the
// marks. Every block's sums run in the same order whatever kBlocks is, so a
// column gets the same bits alone or with others: a single lookup, a condor's
// four legs and the whole row of a delta search's smile (kernels/spx_vol_table.h)
// agree bit for bit.
template <int kBlocks, class Value>
CONDOR_HD inline void contract_outer3_blocks(const Value* values, const TableAxis* axes, const double* coordinates,
                                             const int* firsts, double (*out)[4]) {
    Stencil s[3];
    for (int d = 0; d < 3; ++d) s[d] = cubic_stencil(axes[d], coordinates[d]);
    const int n1 = axes[1].nodes, n2 = axes[2].nodes, n3 = axes[3].nodes;
    double sums[4][kBlocks][4];
    for (int a = 0; a < 4; ++a) {
        for (int k = 0; k < kBlocks; ++k)
            for (int j = 0; j < 4; ++j) sums[a][k][j] = 0;
        for (int b = 0; b < 4; ++b) {
            const double wab = s[0].weight[a] * s[1].weight[b];
            for (int c = 0; c < 4; ++c) {
                const Value* row =
                    values + ((long long)((s[0].first + a) * n1 + s[1].first + b) * n2 + s[2].first + c) * n3;
                const double wabc = wab * s[2].weight[c];
                for (int k = 0; k < kBlocks; ++k)
                    for (int j = 0; j < 4; ++j) sums[a][k][j] += wabc * double(row[firsts[k] + j]);
            }
        }
    }
    for (int k = 0; k < kBlocks; ++k)
        for (int j = 0; j < 4; ++j) out[k][j] = (sums[0][k][j] + sums[1][k][j]) + (sums[2][k][j] + sums[3][k][j]);
}

// The last dimension's interpolation: the stencil's weights on the 4 values
// from its first node (the contracted columns of contract_outer3_blocks).
CONDOR_HD inline double apply_stencil(const Stencil& s, const double* values) {
    return s.weight[0] * values[0] + s.weight[1] * values[1] + s.weight[2] * values[2] + s.weight[3] * values[3];
}

}  // namespace condor
