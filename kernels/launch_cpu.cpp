// CPU launcher: an OpenMP loop over paths, then over statistics rows, running
// the same per-path and per-row code as the CUDA launcher.
#include <chrono>
#include <fstream>
#include <string>

#include "kernels/chunk_runner.h"
#include "kernels/path_lanes.h"

namespace condor {

std::vector<long long> histogram_row_offsets(const StatsLayout& layout) {
    std::vector<long long> offsets(layout.rows());
    long long next = 0;
    for (int r = 0; r < layout.rows(); ++r) {
        const int bins = layout.binning(r).bins;
        offsets[r] = bins > 0 ? next : -1;
        next += bins > 0 ? bins + 2 : 0;
    }
    return offsets;
}

namespace {

// offset_in_bins of n values, for a block's histogram counts. With lanes the
// logs run on vectors, which the per-value loop of the reduction cannot use;
// the bits are the scalar code's (tests/test_lanes.cpp). Values outside the
// log's domain (<= 0, NaN, inf) get 0: LogBinning::bin_at bins them by value.
template <class Real>
void offsets_in_bins(const Real* values, std::uint32_t n, const LogBinning& bins, bool use_lanes, double* out) {
    auto in_domain = &LogBinning::in_log_domain;
    std::uint32_t i = 0;
#if defined(CONDOR_HAVE_LANES)
    using Lanes = DoubleLanes::Vec;
    constexpr int width = DoubleLanes::width;
    for (; use_lanes && i + width <= n; i += width) {
        Lanes v;
        for (int j = 0; j < width; ++j) v[j] = in_domain(double(values[i + j])) ? double(values[i + j]) : 1.0;
        const Lanes offset = bins.offset_in_bins(v);
        for (int j = 0; j < width; ++j) out[i + j] = in_domain(double(values[i + j])) ? offset[j] : 0.0;
    }
#endif
    for (; i < n; ++i) out[i] = in_domain(double(values[i])) ? bins.offset_in_bins(double(values[i])) : 0.0;
}

}  // namespace

// The processor's name from /proc/cpuinfo (Linux), for run metadata and benchmarks.
std::string cpu_model_name() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) != 0) continue;
        const auto colon = line.find(':');
        if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
    return "unknown CPU";
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class Real>
class CpuRunner final : public ChunkRunner<Real> {
public:
    CpuRunner(const SimParams<Real>& params, const StatsLayout& layout, std::uint32_t capacity, int threads,
              const StrategyRunParams* strategies, bool use_lanes)
        : params_(params),
          use_lanes_(use_lanes),
          strategies_(strategies),
          layout_(layout),
          capacity_(capacity),
          threads_(threads > 0 ? threads : 1),
          row_offsets_(histogram_row_offsets(layout)),
          histograms_(layout.histogram_size(), 0) {
        const std::size_t rows = std::size_t(layout.stored_days()) * capacity;
        for (auto& series : daily_) series.resize(rows);
        for (auto& series : per_path_) series.resize(capacity);
        jumps_.resize(capacity);
        events_.resize(capacity);
        shocks_capped_.resize(capacity);
        if (strategies) trade_histograms_.assign(trade_histogram_total(*strategies), 0);
    }

    std::uint32_t capacity() const override { return capacity_; }

    ChunkTimings run_chunk(std::uint64_t first_path, std::uint32_t count, ChunkTotals& totals) override {
        ChunkTimings timings;
        const ChunkView<Real> view = make_view(first_path, count);
        last_first_path_ = first_path;
        last_count_ = count;
        auto start = std::chrono::steady_clock::now();
        simulate(view);
        timings.simulate_seconds = seconds_since(start);

        start = std::chrono::steady_clock::now();
        totals.blocks = (count + kStatsBlock - 1) / kStatsBlock;
        totals.moments.assign(std::size_t(layout_.rows()) * totals.blocks, BlockMoments{0, 0});
        const ReduceRowBlockFn<Real, false> reduce{
            view, layout_, totals.blocks, totals.moments.data(), histograms_.data(), row_offsets_.data()};
        const int rows = layout_.rows();
        // Each thread owns whole rows, so histogram counts need no atomics.
#pragma omp parallel for num_threads(threads_) schedule(dynamic, 1)
        for (int row = 0; row < rows; ++row) {
            double offsets[kStatsBlock];
            for (std::uint32_t b = 0; b < totals.blocks; ++b) {
                if (!reduce.binned(row)) {
                    reduce(row, b);
                    continue;
                }
                const std::uint32_t begin = reduce.block_begin(b);
                offsets_in_bins(reduce.row_values(row) + begin, reduce.block_end(b) - begin, layout_.binning(row),
                                use_lanes_, offsets);
                reduce(row, b, offsets);
            }
        }
        totals.jumps = totals.events = totals.shocks_capped = 0;
        for (std::uint32_t i = 0; i < count; ++i) {
            totals.jumps += jumps_[i];
            totals.events += events_[i];
            totals.shocks_capped += shocks_capped_[i];
        }
        timings.reduce_seconds = seconds_since(start);
        return timings;
    }

    StrategyTimings run_strategies(StrategyTotals& totals) override {
        const auto start = std::chrono::steady_clock::now();
        const std::uint32_t count = last_count_;
        const int strategies = strategies_ ? strategies_->strategy_count : 0;
        outcomes_.resize(std::size_t(strategies) * count);
        classes_.resize(count);
        totals = StrategyTotals{};
        if (strategies == 0) return {};
        // Paths in index order: a thread's next path shares the cache lines of
        // its closes ([day][path] rows). The GPU's sorted order (kernels/
        // strategy_order.h) made this kernel 22% slower on one core of the
        // development machine, with the same outcomes.
        const StrategyChunkFn<Real> fn{strategies_, make_view(last_first_path_, count), outcomes_.data(),
                                       classes_.data()};
#pragma omp parallel for num_threads(threads_) schedule(dynamic, 128)
        for (long long i = 0; i < (long long)count; ++i) fn(std::uint32_t(i));
        StrategyTimings timings;
        timings.kernel_seconds = seconds_since(start);
        reduce_trades(totals);
        timings.reduce_seconds = seconds_since(start) - timings.kernel_seconds;
        return timings;
    }

    void copy_outcomes(std::vector<TradeOutcome>& outcomes, std::vector<std::uint8_t>& classes) const override {
        outcomes = outcomes_;
        classes = classes_;
    }

    std::vector<unsigned long long> trade_histograms() const override { return trade_histograms_; }

    void copy_first_paths(int k, std::vector<Real> (&out)[kDailySeriesCount]) const override {
        for (int s = 0; s < kDailySeriesCount; ++s) {
            out[s].resize(std::size_t(layout_.stored_days()) * k);
            for (int day = 0; day < layout_.stored_days(); ++day)
                for (int i = 0; i < k; ++i)
                    out[s][std::size_t(day) * k + i] = daily_[s][std::size_t(day) * capacity_ + i];
        }
    }

    std::vector<unsigned long long> histograms() const override { return histograms_; }
    std::string device_name() const override {
        return cpu_model_name() + ", " + std::to_string(threads_) + " threads, " + lane_description();
    }

    // Lane names for run metadata: how the CPU advanced its paths.
    std::string lane_description() const {
#if defined(CONDOR_HAVE_LANES)
        if (use_lanes_ && PathLanes<Real>::applies(params_))
            return std::to_string(PathLanes<Real>::width) + " paths per vector";
#endif
        return "one path at a time";
    }

private:
    // Groups of consecutive paths, one per vector of lanes (kernels/path_lanes.h),
    // where the CPU and the scenario allow; the rest one path at a time. Both
    // give the same bits, so the split changes only the speed.
    void simulate(const ChunkView<Real>& view) const {
        const SimulateChunkFn<Real> one_path{params_, view};
        long long scalar_from = 0;
#if defined(CONDOR_HAVE_LANES)
        if (use_lanes_ && PathLanes<Real>::applies(params_)) {
            constexpr int width = PathLanes<Real>::width;
            const long long groups = view.count / width;
#pragma omp parallel for num_threads(threads_) schedule(static)
            for (long long g = 0; g < groups; ++g) {
                const std::uint32_t first = std::uint32_t(g * width);
                PathSummary<Real> out[width];
                PathLanes<Real>(params_, view.first_path + first)
                    .simulate(
                        [&](int lane) {
                            return ChunkSink<Real>{view, first + std::uint32_t(lane)};
                        },
                        out);
                for (int lane = 0; lane < width; ++lane)
                    store_path_summary(view, first + std::uint32_t(lane), out[lane]);
            }
            scalar_from = groups * width;
        }
#endif
        const long long n = view.count;
#pragma omp parallel for num_threads(threads_) schedule(static)
        for (long long i = scalar_from; i < n; ++i) one_path(std::uint32_t(i));
    }

    // Blocks in parallel, each thread counting into its own histograms, added
    // to the run's at the end: integer counts, the same in any order.
    void reduce_trades(StrategyTotals& totals) {
        const std::uint32_t count = last_count_;
        const int strategies = strategies_->strategy_count;
        const int rows = trade_rows(strategies), all_rows = rows + pair_rows(strategies);
        totals.blocks = (count + kStatsBlock - 1) / kStatsBlock;
        totals.sums.resize(std::size_t(rows) * totals.blocks);
        totals.pair_sums.resize(std::size_t(all_rows - rows) * totals.blocks);
#pragma omp parallel num_threads(threads_)
        {
            std::vector<unsigned long long> counts(trade_histograms_.size(), 0);
            const ReduceTradeBlockFn<false> reduce{
                strategies_,   outcomes_.data(),   classes_.data(),         count,
                totals.blocks, totals.sums.data(), totals.pair_sums.data(), counts.data()};
#pragma omp for schedule(static)
            for (long long b = 0; b < (long long)totals.blocks; ++b)
                for (int row = 0; row < all_rows; ++row) reduce(row, std::uint32_t(b));
#pragma omp critical
            for (std::size_t k = 0; k < counts.size(); ++k) trade_histograms_[k] += counts[k];
        }
    }

    ChunkView<Real> make_view(std::uint64_t first_path, std::uint32_t count) {
        ChunkView<Real> v{};
        v.first_path = first_path;
        v.count = count;
        v.stride = capacity_;
        v.days = params_.days;
        v.first_day = layout_.first_day;
        for (int s = 0; s < kDailySeriesCount; ++s) v.daily[s] = daily_[s].data();
        for (int s = 0; s < kPathSeriesCount; ++s) v.per_path[s] = per_path_[s].data();
        v.jumps = jumps_.data();
        v.events = events_.data();
        v.shocks_capped = shocks_capped_.data();
        return v;
    }

    SimParams<Real> params_;
    bool use_lanes_;
    const StrategyRunParams* strategies_;
    std::uint64_t last_first_path_ = 0;
    std::uint32_t last_count_ = 0;
    StatsLayout layout_;
    std::uint32_t capacity_;
    int threads_;
    std::vector<long long> row_offsets_;
    std::vector<unsigned long long> histograms_;
    std::vector<Real> daily_[kDailySeriesCount];
    std::vector<Real> per_path_[kPathSeriesCount];
    std::vector<std::uint32_t> jumps_, events_, shocks_capped_;
    std::vector<TradeOutcome> outcomes_;                // [strategy * count + path], the last chunk's
    std::vector<std::uint8_t> classes_;                 // [path]
    std::vector<unsigned long long> trade_histograms_;  // whole run
};

}  // namespace

template <class Real>
std::unique_ptr<ChunkRunner<Real>> make_cpu_runner(const SimParams<Real>& params, const StatsLayout& layout,
                                                   std::uint32_t capacity, int threads,
                                                   const StrategyRunParams* strategies, bool use_lanes) {
    return std::make_unique<CpuRunner<Real>>(params, layout, capacity, threads, strategies, use_lanes);
}

template std::unique_ptr<ChunkRunner<float>> make_cpu_runner(const SimParams<float>&, const StatsLayout&, std::uint32_t,
                                                             int, const StrategyRunParams*, bool);
template std::unique_ptr<ChunkRunner<double>> make_cpu_runner(const SimParams<double>&, const StatsLayout&,
                                                              std::uint32_t, int, const StrategyRunParams*, bool);

#if !defined(CONDOR_HAVE_CUDA)
int cuda_device_count() { return 0; }
std::string cuda_device_description(int) { return "CUDA backend not built"; }
std::string cuda_driver_version() { return "-"; }
std::size_t cuda_free_memory(int) { return 0; }
#endif

}  // namespace condor
