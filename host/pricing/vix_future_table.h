// The VIX futures table (kernels/vix_future_table.h), built on the host from the
// exact Laplace-transform price (vix_pricer.h).
#pragma once

#include <vector>

#include "host/pricing/affine_transform.h"
#include "host/pricing/table_archive.h"
#include "kernels/vix_future_table.h"

namespace condor {

struct VixFutureTableDomain {
    double tau_min_years = 1.0 / 252;
    double tau_max_years = 0.5;
    double x_max = 0.5, y_max = 1.0;  // annual variance
    int tau_nodes = 28, x_nodes = 24, y_nodes = 24;
};

class VixFutureTable {
public:
    VixFutureTable(const AffineTransform& transform, const VixFutureTableDomain& domain, int threads = 0);
    // A table saved by write() (the table cache, host/table_cache.h).
    explicit VixFutureTable(TableArchiveReader& in) { transfer(*this, in); }
    void write(TableArchiveWriter& out) const { transfer(*this, out); }

    VixFutureTableView view() const;
    const VixFutureTableDomain& domain() const { return domain_; }
    std::size_t bytes() const { return ratio_.size() * sizeof(float); }
    double build_seconds() const { return build_seconds_; }

private:
    // Every field but the build time, for write() and the reading constructor.
    template <class Self, class Io>
    static void transfer(Self& t, Io& io) {
        io(t.domain_);
        io(t.axes_);
        io(t.model_);
        io(t.ratio_);
    }

    VixFutureTableDomain domain_;
    TableAxis axes_[3];
    RiskNeutralModel model_;
    std::vector<float> ratio_;
    double build_seconds_ = 0;
};

}  // namespace condor
