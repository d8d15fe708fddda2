// The VIX option table (kernels/vix_option_table.h), built on the host from the
// COS law of VIX_T (vix_terminal_law.h) once per run, threaded over expiries.
#pragma once

#include <cstddef>
#include <vector>

#include "host/pricing/vix_future_table.h"
#include "host/pricing/vix_terminal_law.h"
#include "kernels/vix_option_table.h"

namespace condor {

// The region the table covers; states outside it are clamped to its edges.
struct VixOptionTableDomain {
    VixFutureTableDomain states;  // expiry and state axes, shared with the futures table
    // Quantile levels of the standardised VIX (kernels/vix_option_table.h): the
    // floor, the top, and logit(u) uniform in [-logit_max, logit_max] with this step.
    double logit_max = 16, logit_step = 0.25;
    int max_terms = 2048;  // COS terms per state (vix_terminal_law.h); docs/pricing.md has the error it costs
};

class VixOptionTable {
public:
    VixOptionTable(const AffineTransform& transform, const VixOptionTableDomain& domain, int threads = 0);
    // A table saved by write() (the table cache, host/table_cache.h): its
    // futures table first, then its own fields.
    explicit VixOptionTable(TableArchiveReader& in) : futures_(in) { transfer(*this, in); }
    void write(TableArchiveWriter& out) const {
        futures_.write(out);
        transfer(*this, out);
    }

    VixOptionTableView view() const;
    const VixOptionTableDomain& domain() const { return domain_; }
    const VixFutureTable& futures() const { return futures_; }
    std::size_t bytes() const {
        return log_width_.size() * sizeof(float) + quantiles_.size() * sizeof(double) +
               cubic_weight_.size() * sizeof(float) + futures_.bytes();
    }
    double build_seconds() const { return build_seconds_; }
    // The largest shift, in D, that gave a node's quantile function mean 0: how far
    // the piecewise representation's mean was from the COS law's future.
    double largest_mean_shift() const { return largest_mean_shift_; }
    // The share of (expiry cell, x, y) whose quantiles are averaged with fully
    // cubic weights in ln tau (the rest blend in linear ones, kernels/vix_option_table.h).
    double cubic_share() const;
    // States whose COS series reached max_terms before |phi| fell below tolerance.
    long long capped_states() const { return capped_states_; }

private:
    // Every field but the futures table and the build time.
    template <class Self, class Io>
    static void transfer(Self& t, Io& io) {
        io(t.domain_);
        io(t.levels_);
        io(t.log_width_);
        io(t.quantiles_);
        io(t.cubic_weight_);
        io(t.largest_mean_shift_);
        io(t.capped_states_);
    }

    VixOptionTableDomain domain_;
    VixOptionTableView levels_;  // the axes and quantile levels, without data
    VixFutureTable futures_;
    std::vector<float> log_width_;
    std::vector<double> quantiles_;
    std::vector<float> cubic_weight_;
    double build_seconds_ = 0, largest_mean_shift_ = 0;
    long long capped_states_ = 0;
};

}  // namespace condor
