// A chunk of consecutive paths and the two per-chunk kernels that both backends
// launch: path simulation, then reduction of the chunk into statistics.
//
// Determinism (DESIGN §2): sums are formed per block of kStatsBlock consecutive
// paths (blocks are aligned to global path indices, and chunks are whole blocks),
// each block summed in path order; the host then adds block sums in block order.
// Histograms hold integer counts. The statistics are therefore bit-identical for
// any thread count and any chunk size.
#pragma once

#include <cmath>

#include "kernels/path.h"
#include "kernels/platform.h"
#include "kernels/special_functions.h"

namespace condor {

inline constexpr std::uint32_t kStatsBlock = 1024;  // paths per summation block

// Per-day series, stored [day][path] so that a GPU warp writes coalesced rows.
enum DailySeries : int { kSpx = 0, kVix = 1, kVarX = 2, kVarY = 3, kDailySeriesCount = 4 };
// Per-path series (one value per path).
enum PathSeries : int { kMaxVix = 0, kRealizedVol = 1, kPathSeriesCount = 2 };

template <class Real>
struct ChunkView {
    std::uint64_t first_path;  // global index of the chunk's first path (a multiple of kStatsBlock)
    std::uint32_t count;       // paths in the chunk
    std::uint32_t stride;      // row length of the buffers (the chunk capacity)
    int days;
    int first_day;                     // first stored day: 0, or days when only the terminal close is kept
    Real* daily[kDailySeriesCount];    // [(days - first_day + 1) * stride]
    Real* per_path[kPathSeriesCount];  // [stride]
    std::uint32_t* jumps;              // [stride]
    std::uint32_t* events;             // [stride]
    std::uint32_t* shocks_capped;      // [stride]
};

template <class Real>
struct ChunkSink {
    const ChunkView<Real>& view;
    std::uint32_t i;
    CONDOR_HD CONDOR_INLINE void close(int day, Real spot, Real vix, Real x, Real y) const {
        if (day < view.first_day) return;
        const std::size_t at = std::size_t(day - view.first_day) * view.stride + i;
        view.daily[kSpx][at] = spot;
        view.daily[kVix][at] = vix;
        view.daily[kVarX][at] = x;
        view.daily[kVarY][at] = y;
    }
};

template <class Real>
CONDOR_HD CONDOR_INLINE void store_path_summary(const ChunkView<Real>& view, std::uint32_t i,
                                                const PathSummary<Real>& s) {
    view.per_path[kMaxVix][i] = s.max_vix;
    view.per_path[kRealizedVol][i] = s.realized_vol;
    view.jumps[i] = s.jumps;
    view.events[i] = s.events;
    view.shocks_capped[i] = s.shocks_capped;
}

template <class Real>
struct SimulateChunkFn {
    SimParams<Real> params;
    ChunkView<Real> view;
    CONDOR_HD void operator()(std::uint32_t i) const {
        ChunkSink<Real> sink{view, i};
        store_path_summary(view, i, simulate_path(params, view.first_path + i, sink));
    }
};

// Fixed bins on a log scale: bin of v is floor((ln(v / reference) - lo) / width),
// with an underflow bin 0 and an overflow bin n + 1.
struct LogBinning {
    double reference;  // value mapped to 0
    double lo, hi;     // range of ln(v / reference)
    int bins;          // interior bins
    // Values whose log offset_in_bins may take: finite and positive.
    CONDOR_HD static bool in_log_domain(double v) { return v > 0 && v <= 1.7976931348623157e308; }
    // Where a finite v > 0 falls, in bins from the low edge: a template over a
    // scalar or a lane vector, so that the CPU can evaluate a block's logs on
    // lanes (kernels/launch_cpu.cpp) with the bits every backend gets here.
    template <class T>
    CONDOR_HD CONDOR_ALWAYS_INLINE T offset_in_bins(T v) const {
        return (log_positive(v / reference) - lo) / (hi - lo) * double(bins);
    }
    // The bin of v, given offset_in_bins(v) where v is finite and positive:
    // 0 below the range (and for v <= 0 or NaN), bins + 1 above it (and for inf).
    CONDOR_HD CONDOR_INLINE int bin_at(double v, double offset) const {
        if (!(v > 0)) return 0;
        if (!in_log_domain(v) || offset >= bins) return bins + 1;
        return offset < 0 ? 0 : 1 + int(offset);
    }
    CONDOR_HD CONDOR_INLINE int bin_of(double v) const { return bin_at(v, in_log_domain(v) ? offset_in_bins(v) : 0.0); }
};

// The statistics rows of a run: every (daily series, day) and every per-path
// series. Binned rows also feed a histogram.
struct StatsLayout {
    int days;       // last simulated day
    int first_day;  // first stored day: 0 (daily statistics) or days (terminal only, the paths-only benchmark)
    LogBinning daily_bins[kDailySeriesCount];  // bins = 0: sums only
    LogBinning path_bins[kPathSeriesCount];

    CONDOR_HD int stored_days() const { return days - first_day + 1; }
    CONDOR_HD int daily_rows() const { return kDailySeriesCount * stored_days(); }
    CONDOR_HD int rows() const { return daily_rows() + kPathSeriesCount; }
    CONDOR_HD const LogBinning& binning(int row) const {
        return row < daily_rows() ? daily_bins[row / stored_days()] : path_bins[row - daily_rows()];
    }
    // Counts of all histograms together (bins + 2 per binned row).
    long long histogram_size() const {
        long long total = 0;
        for (int r = 0; r < rows(); ++r) total += binning(r).bins > 0 ? binning(r).bins + 2 : 0;
        return total;
    }
};

// Sum and sum of squares of one (row, block), formed in path order.
// Adds one to a histogram count: atomically where threads of a GPU share the
// histogram, plainly where each CPU thread owns its own.
template <bool Atomic>
CONDOR_HD CONDOR_INLINE void increment_count(unsigned long long* counter) {
#if defined(__CUDA_ARCH__)
    if (Atomic) {
        atomicAdd(counter, 1ull);
        return;
    }
#endif
    ++*counter;
}

struct BlockMoments {
    double sum;
    double sum_sq;
};

// Reduces one row of a chunk over block `block` (a block of the chunk): writes
// its moments to moments[row * blocks + block] and adds its counts to the row's
// histogram. `Atomic` selects atomic increments where blocks of one row run in
// parallel (GPU); the CPU gives each thread whole rows instead.
template <class Real, bool Atomic>
struct ReduceRowBlockFn {
    ChunkView<Real> view;
    StatsLayout layout;
    std::uint32_t blocks;            // blocks in this chunk
    BlockMoments* moments;           // [rows * blocks]
    unsigned long long* histograms;  // whole-run counts
    const long long* row_offsets;    // histogram_offset per row

    CONDOR_HD const Real* row_values(int row) const {
        const int daily_rows = layout.daily_rows();
        if (row < daily_rows) {
            const int series = row / layout.stored_days(), day_row = row % layout.stored_days();
            return view.daily[series] + std::size_t(day_row) * view.stride;
        }
        return view.per_path[row - daily_rows];
    }

    CONDOR_HD bool binned(int row) const { return row_offsets[row] >= 0; }
    CONDOR_HD std::uint32_t block_begin(std::uint32_t block) const { return block * kStatsBlock; }
    CONDOR_HD std::uint32_t block_end(std::uint32_t block) const {
        return block_begin(block) + kStatsBlock < view.count ? block_begin(block) + kStatsBlock : view.count;
    }

    // `offsets`, when given, holds offset_in_bins of the block's values (the
    // CPU computes them on lanes first); without it each is computed here.
    CONDOR_HD void operator()(int row, std::uint32_t block, const double* offsets = nullptr) const {
        const Real* values = row_values(row);
        const LogBinning bins = layout.binning(row);
        unsigned long long* counts = binned(row) ? histograms + row_offsets[row] : nullptr;
        const std::uint32_t begin = block_begin(block), end = block_end(block);
        double sum = 0, sum_sq = 0;
        for (std::uint32_t i = begin; i < end; ++i) {
            const double v = double(values[i]);
            sum += v;
            sum_sq += v * v;
            if (counts)
                increment_count<Atomic>(counts + (offsets ? bins.bin_at(v, offsets[i - begin]) : bins.bin_of(v)));
        }
        moments[std::size_t(row) * blocks + block] = BlockMoments{sum, sum_sq};
    }
};

}  // namespace condor
