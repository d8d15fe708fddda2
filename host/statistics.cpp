#include "host/statistics.h"

#include <cmath>
#include <limits>

namespace condor {

RunStatistics::RunStatistics(const StatsLayout& layout)
    : rows_(layout.rows()), sum_(layout.rows()), sum_sq_(layout.rows()) {}

// Rows in parallel, each row's blocks in block order: the same bits with any
// thread count. A GPU chunk of the standard workload (4.6e6 paths, 930 rows x
// 4493 blocks) takes 0.025 s on one core of the development machine, 0.013 s on two.
void RunStatistics::add_chunk(const ChunkTotals& totals, std::uint32_t paths) {
#pragma omp parallel for schedule(static)
    for (int row = 0; row < rows_; ++row) {
        const BlockMoments* blocks = totals.moments.data() + std::size_t(row) * totals.blocks;
        for (std::uint32_t b = 0; b < totals.blocks; ++b) {
            sum_[row].add(blocks[b].sum);
            sum_sq_[row].add(blocks[b].sum_sq);
        }
    }
    paths_ += paths;
    jumps_ += totals.jumps;
    events_ += totals.events;
    shocks_capped_ += totals.shocks_capped;
}

double RunStatistics::mean(int row) const { return sum_[row].value() / double(paths_); }

double RunStatistics::sd(int row) const {
    if (paths_ < 2) return std::numeric_limits<double>::quiet_NaN();
    const double n = double(paths_), m = mean(row);
    const double var = (sum_sq_[row].value() - n * m * m) / (n - 1);
    return std::sqrt(var > 0 ? var : 0);
}

double histogram_quantile(const unsigned long long* counts, const LogBinning& bins, double level) {
    unsigned long long total = 0;
    for (int j = 0; j < bins.bins + 2; ++j) total += counts[j];
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (total == 0) return nan;
    const double target = level * double(total);
    double below = 0;
    for (int j = 0; j < bins.bins + 2; ++j) {
        const double here = double(counts[j]);
        if (here > 0 && below + here >= target) {
            if (j == 0 || j == bins.bins + 1) return nan;
            const double fraction = (target - below) / here;
            const double width = (bins.hi - bins.lo) / bins.bins;
            return bins.reference * std::exp(bins.lo + (j - 1 + fraction) * width);
        }
        below += here;
    }
    return nan;
}

std::vector<double> histogram_edges(const LogBinning& bins) {
    std::vector<double> edges(bins.bins + 1);
    const double width = (bins.hi - bins.lo) / bins.bins;
    for (int j = 0; j <= bins.bins; ++j) edges[j] = bins.reference * std::exp(bins.lo + j * width);
    return edges;
}

}  // namespace condor
