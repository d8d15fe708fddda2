// The VIX option table (kernels/vix_option_table.h), built on the host from the
// COS law of VIX_T (vix_terminal_law.h) once per run, threaded over expiries.
#pragma once

#include <cstddef>
#include <vector>

#include "host/pricing/vix_future_table.h"
#include "host/pricing/vix_terminal_law.h"
#include "kernels/vix_option_table.h"

namespace condor {

// The region the table covers; lookups outside it are clamped to its edges.
struct VixOptionTableDomain {
    VixFutureTableDomain states;  // expiry and state axes, shared with the futures table
    // Strikes in at-the-money standard deviations (kernels/vix_option_table.h): the
    // VIX smile is right-skewed, and jumps carry its right wing far out.
    double z_min = -8, z_max = 64, z_scale = 2;
    int z_nodes = 61;
    int max_terms = 2048;  // COS terms per state (vix_terminal_law.h); docs/pricing.md has the error it costs
};

class VixOptionTable {
public:
    VixOptionTable(const AffineTransform& transform, const VixOptionTableDomain& domain, int threads = 0);

    VixOptionTableView view() const;
    const VixOptionTableDomain& domain() const { return domain_; }
    const VixFutureTable& futures() const { return futures_; }
    std::size_t bytes() const { return (atm_vol_.size() + ratio_.size()) * sizeof(float) + futures_.bytes(); }
    double build_seconds() const { return build_seconds_; }
    // Nodes without an implied vol (a price below the COS law's accuracy, deep in
    // a wing): they take the ratio of the nearest valid node in z.
    long long filled_nodes() const { return filled_nodes_; }
    // States whose COS series reached max_terms before |phi| fell below tolerance.
    long long capped_states() const { return capped_states_; }

private:
    int fill_row(const VixTerminalLaw& law, double y, double tau, float* atm_vol, float* row) const;

    VixOptionTableDomain domain_;
    TableAxis axes_[4];
    VixFutureTable futures_;
    std::vector<float> atm_vol_, ratio_;
    double build_seconds_ = 0;
    long long filled_nodes_ = 0, capped_states_ = 0;
};

}  // namespace condor
