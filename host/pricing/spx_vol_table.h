// The SPX implied-vol table (kernels/spx_vol_table.h), built on the host from
// exact COS prices once per run.
#pragma once

#include <cstddef>
#include <vector>

#include "host/pricing/cos_pricer.h"
#include "host/pricing/table_archive.h"
#include "kernels/spx_vol_table.h"

namespace condor {

// The region the table covers; lookups outside it are clamped to its edges.
struct SpxVolTableDomain {
    double tau_min_years = 1.0 / 252;
    double tau_max_years = 0.5;
    double x_max = 0.5;  // annual variance
    double y_max = 1.0;
    double z_min = -6, z_max = 4;  // strikes in reference standard deviations
    // Node counts: measured to keep the interpolation error under 5e-4 in vol
    // (docs/pricing.md); the state axes need most nodes near 0, where jumps and
    // mean reversion, not diffusion, shape the smile.
    int tau_nodes = 16, x_nodes = 32, y_nodes = 32, z_nodes = 61;
};

class SpxVolTable {
public:
    // Builds with `threads` OpenMP threads (0: all cores).
    SpxVolTable(const AffineTransform& transform, const SpxVolTableDomain& domain, int threads = 0);
    // A table saved by write() (the table cache, host/table_cache.h).
    explicit SpxVolTable(TableArchiveReader& in) { transfer(*this, in); }
    void write(TableArchiveWriter& out) const { transfer(*this, out); }

    SpxVolTableView view() const;
    const SpxVolTableDomain& domain() const { return domain_; }
    std::size_t bytes() const { return ratio_.size() * sizeof(float); }
    double build_seconds() const { return build_seconds_; }
    // Nodes where no implied vol exists at double precision (deep wings); they
    // take the value of the nearest valid node in z.
    long long filled_nodes() const { return filled_nodes_; }

private:
    // Every field but the build time, for write() and the reading constructor.
    template <class Self, class Io>
    static void transfer(Self& t, Io& io) {
        io(t.domain_);
        io(t.axes_);
        io(t.model_);
        io(t.ratio_);
        io(t.filled_nodes_);
    }
    int fill_row(const CosExpiry& expiry, double sigma_ref, double tau, float* row) const;

    SpxVolTableDomain domain_;
    TableAxis axes_[4];
    RiskNeutralModel model_;
    std::vector<float> ratio_;
    double build_seconds_ = 0;
    long long filled_nodes_ = 0;
};

}  // namespace condor
