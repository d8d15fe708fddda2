// Whole-run statistics merged from chunk results in a fixed order, so that they
// are bit-identical for any thread count and chunk size (kernels/chunk.h).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/chunk_runner.h"
#include "kernels/compensated_sum.h"

namespace condor {

class RunStatistics {
public:
    explicit RunStatistics(const StatsLayout& layout);

    // Adds a chunk; chunks must come in path order.
    void add_chunk(const ChunkTotals& totals, std::uint32_t paths);

    std::uint64_t paths() const { return paths_; }
    double mean(int row) const;
    double sd(int row) const;  // sample standard deviation (n - 1)
    unsigned long long jumps() const { return jumps_; }
    unsigned long long events() const { return events_; }
    unsigned long long shocks_capped() const { return shocks_capped_; }

private:
    int rows_;
    std::uint64_t paths_ = 0;
    std::vector<CompensatedSum> sum_, sum_sq_;
    unsigned long long jumps_ = 0, events_ = 0, shocks_capped_ = 0;
};

// Quantile of the law binned in `counts` (bins + 2 entries: underflow, interior,
// overflow), by linear interpolation of the CDF inside the bin on the log scale.
// Exact to within one bin width in ln(value); NaN where the quantile falls in
// the underflow or overflow bin.
double histogram_quantile(const unsigned long long* counts, const LogBinning& bins, double level);

// Left edges of the interior bins in value units, plus the last right edge.
std::vector<double> histogram_edges(const LogBinning& bins);

inline const std::vector<double>& quantile_levels() {
    static const std::vector<double> levels = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    return levels;
}

}  // namespace condor
