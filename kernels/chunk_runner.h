// The backend interface the host engine drives: simulate a chunk of paths and
// reduce it to block moments and histograms. Two implementations, one per
// launcher (launch_cpu.cpp, launch_cuda.cu), run the same kernels/chunk.h code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernels/chunk.h"
#include "kernels/strategy_chunk.h"
#include "kernels/trade_stats.h"

namespace condor {

struct ChunkTimings {
    double simulate_seconds = 0;  // path kernel
    double reduce_seconds = 0;    // statistics kernel and transfers of its results
};

// Host seconds of one chunk's strategies.
struct StrategyTimings {
    double kernel_seconds = 0;  // the strategy kernel (CUDA events on the GPU)
    // Wall time beyond the kernel: the outcomes' block statistics
    // (kernels/trade_stats.h) and, on the GPU, their copy to the host.
    double reduce_seconds = 0;
};

// A chunk's strategy statistics per block (kernels/trade_stats.h), for the host
// to add in block order. Exit days and P&L bins stay in the runner's whole-run
// histograms (ChunkRunner::trade_histograms).
struct StrategyTotals {
    std::vector<TradeBlockSums> sums;      // [row * blocks + block], rows (strategy, class)
    std::vector<PairBlockSums> pair_sums;  // [row * blocks + block], rows (pair, class)
    std::uint32_t blocks = 0;
};

struct ChunkTotals {
    std::vector<BlockMoments> moments;  // [row * blocks + block]
    std::uint32_t blocks = 0;
    unsigned long long jumps = 0, events = 0, shocks_capped = 0;
};

template <class Real>
class ChunkRunner {
public:
    virtual ~ChunkRunner() = default;
    // Largest chunk (paths), a multiple of kStatsBlock.
    virtual std::uint32_t capacity() const = 0;
    // Simulates paths [first_path, first_path + count) and reduces them.
    virtual ChunkTimings run_chunk(std::uint64_t first_path, std::uint32_t count, ChunkTotals& totals) = 0;
    // Daily rows of the first `k` paths of the last chunk: out[series][day * k + i].
    virtual void copy_first_paths(int k, std::vector<Real> (&out)[kDailySeriesCount]) const = 0;
    // Runs the strategies (given at construction) on the paths of the last chunk
    // and reduces their outcomes to block statistics.
    virtual StrategyTimings run_strategies(StrategyTotals& totals) = 0;
    // The last chunk's outcomes, outcomes[s * count + i], and path classes[i],
    // as run_strategies left them (for tests).
    virtual void copy_outcomes(std::vector<TradeOutcome>& outcomes, std::vector<std::uint8_t>& classes) const = 0;
    // Whole-run histogram counts (layout of StatsLayout).
    virtual std::vector<unsigned long long> histograms() const = 0;
    // Exit-day and P&L counts of every run_strategies call so far, the whole run
    // (layout of trade_histogram_offset).
    virtual std::vector<unsigned long long> trade_histograms() const = 0;
    virtual std::string device_name() const = 0;
};

template <class Real>
std::unique_ptr<ChunkRunner<Real>> make_cpu_runner(const SimParams<Real>& params, const StatsLayout& layout,
                                                   std::uint32_t capacity, int threads,
                                                   const StrategyRunParams* strategies = nullptr,
                                                   bool use_lanes = true);

#if defined(CONDOR_HAVE_CUDA)
template <class Real>
std::unique_ptr<ChunkRunner<Real>> make_cuda_runner(const SimParams<Real>& params, const StatsLayout& layout,
                                                    std::uint32_t capacity, int device,
                                                    const StrategyRunParams* strategies = nullptr);
#endif

// Visible CUDA devices (0 where the CUDA backend is not built or no GPU is visible).
int cuda_device_count();
std::string cpu_model_name();  // from /proc/cpuinfo
std::string cuda_device_description(int device);
std::string cuda_driver_version();  // "13.0"; "-" without the CUDA backend
// Free device memory in bytes, for sizing chunks.
std::size_t cuda_free_memory(int device);

// Row offsets of the histograms, -1 for rows without one.
std::vector<long long> histogram_row_offsets(const StatsLayout& layout);

}  // namespace condor
