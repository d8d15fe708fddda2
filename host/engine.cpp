#include "host/engine.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "host/sim_setup.h"
#include "kernels/chunk_runner.h"

namespace condor {

bool cuda_backend_built() {
#if defined(CONDOR_HAVE_CUDA)
    return true;
#else
    return false;
#endif
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool use_cuda(Backend backend) {
    if (backend == Backend::cpu) return false;
    const bool available = cuda_backend_built() && cuda_device_count() > 0;
    if (backend == Backend::cuda && !available)
        throw std::runtime_error(cuda_backend_built() ? "--backend cuda: no CUDA device is visible"
                                                      : "--backend cuda: this build has no CUDA backend");
    return available;
}

std::uint32_t round_up_to_block(std::uint64_t n) {
    const std::uint64_t blocks = (n + kStatsBlock - 1) / kStatsBlock;
    return std::uint32_t(std::max<std::uint64_t>(blocks, 1) * kStatsBlock);
}

// Chunk size: the user's, else one that keeps the path buffers near 256 MiB on
// the CPU and fills the GPU (at most 1/4 of its free memory).
std::uint32_t choose_chunk(const Scenario& s, const RunOptions& o, bool cuda, std::size_t real_bytes) {
    std::uint64_t requested = o.chunk_paths ? o.chunk_paths : s.run.chunk_paths;
    const std::size_t strategies = s.strategies.size();
    const std::size_t bytes_per_path = real_bytes * (kDailySeriesCount * std::size_t(s.simulated_days() + 1) + 2) + 12 +
                                       strategies * sizeof(TradeOutcome) + 1;
    if (!requested) {
        std::size_t budget = std::size_t(256) << 20;
        if (cuda) budget = std::max<std::size_t>(budget, cuda_free_memory(0) / 4);
        requested = std::max<std::uint64_t>(kStatsBlock, budget / bytes_per_path);
    }
    requested = std::min<std::uint64_t>(requested, s.run.paths);
    requested = std::min<std::uint64_t>(requested, std::uint64_t(1) << 30);
    // The strategy kernel indexes (strategy, path) with 32 bits.
    if (strategies) requested = std::min<std::uint64_t>(requested, (std::uint64_t(1) << 31) / strategies);
    // The sample paths are copied from the first chunk.
    requested = std::max<std::uint64_t>(requested, std::uint64_t(std::max(s.run.sample_paths, 0)));
    return round_up_to_block(requested);
}

template <class Real>
void summarize(const StatsLayout& layout, const RunStatistics& stats, const std::vector<unsigned long long>& hist,
               RunOutput& out) {
    const std::vector<long long> offsets = histogram_row_offsets(layout);
    const auto& levels = quantile_levels();
    auto fill = [&](SeriesSummary& summary, int first_row, int count) {
        for (int r = first_row; r < first_row + count; ++r) {
            summary.mean.push_back(stats.mean(r));
            summary.sd.push_back(stats.sd(r));
            if (offsets[r] < 0) continue;
            for (double level : levels)
                summary.quantiles.push_back(histogram_quantile(hist.data() + offsets[r], layout.binning(r), level));
        }
    };
    const int day_rows = layout.days + 1;
    for (int s = 0; s < kDailySeriesCount; ++s) {
        fill(out.daily[s], s * day_rows, day_rows);
        const LogBinning& b = layout.daily_bins[s];
        out.quantile_max_log_error[s] = b.bins ? (b.hi - b.lo) / b.bins : 0;
    }
    for (int s = 0; s < kPathSeriesCount; ++s) {
        const int row = layout.daily_rows() + s;
        fill(out.per_path[s], row, 1);
        const LogBinning& b = layout.path_bins[s];
        out.per_path_histogram[s].assign(hist.begin() + offsets[row], hist.begin() + offsets[row] + b.bins + 2);
        out.per_path_edges[s] = histogram_edges(b);
        out.quantile_max_log_error[kDailySeriesCount + s] = (b.hi - b.lo) / b.bins;
    }
    out.jumps_per_path = double(stats.jumps()) / double(stats.paths());
    out.events_per_path = double(stats.events()) / double(stats.paths());
    out.shocks_capped = stats.shocks_capped();
}

// The daily P&L of every strategy on the sample paths, by the same per-path code
// on the host (run_strategy with a trace), for the plots of results.h5.
template <class Real>
void trace_samples(const StrategyRunParams& p, const std::vector<Real> (&samples)[kDailySeriesCount], int days,
                   RunOutput& out) {
    const int k = out.sample_paths;
    out.sample_pnl.assign(p.strategy_count, std::vector<double>(std::size_t(days + 1) * k, 0.0));
    out.sample_exit_day.assign(p.strategy_count, std::vector<int>(k));
    out.sample_exit_reason.assign(p.strategy_count, std::vector<int>(k));
    std::vector<double> trace(days + 1);
    for (int s = 0; s < p.strategy_count; ++s)
        for (int i = 0; i < k; ++i) {
            const PathHistory<Real> h{samples[kSpx].data(),  samples[kVix].data(), samples[kVarX].data(),
                                      samples[kVarY].data(), std::uint32_t(k),     std::uint32_t(i)};
            std::fill(trace.begin(), trace.end(), std::nan(""));
            TradeTrace record;
            record.position_pnl = trace.data();
            const TradeOutcome o = run_strategy(p, s, h, &record);
            for (int d = p.entry_day + 1; d <= days; ++d)  // frozen at the realised P&L after exit
                if (std::isnan(trace[d])) trace[d] = trace[d - 1];
            for (int d = 0; d <= days; ++d) out.sample_pnl[s][std::size_t(d) * k + i] = trace[d];
            out.sample_exit_day[s][i] = o.exit_day;
            out.sample_exit_reason[s][i] = o.exit_reason;
        }
}

template <class Real>
RunOutput run_typed(const Scenario& s, const RunOptions& o) {
    const auto start = Clock::now();
    RunOutput out;
    const bool cuda = use_cuda(o.backend);
    out.backend = cuda ? "cuda" : "cpu";
    out.precision = sizeof(Real) == 4 ? "float" : "double";
    out.threads = o.threads > 0 ? o.threads : omp_get_num_procs();
    out.paths = s.run.paths;
    out.days = s.simulated_days();
    out.substeps_per_day = s.run.substeps_per_day;

    const SimParams<Real> params = make_sim_params<Real>(s);
    const StatsLayout layout = make_stats_layout(s);
    out.chunk_paths = choose_chunk(s, o, cuda, sizeof(Real));
    // Stopping on precision checks at batch ends: one chunk per batch makes the
    // stopping point independent of the backend's memory.
    if (s.precision.enabled) out.chunk_paths = std::uint32_t(s.precision.batch_paths);

    const bool trading = !s.strategies.empty();
    std::shared_ptr<const StrategyTables> tables = o.tables;
    if (trading && !tables) {
        tables = build_strategy_tables(s, o.threads);
        out.timings.table_seconds = tables->build_seconds;
    }
    StrategyRunParams strategy_params;
    if (trading) strategy_params = make_strategy_params(s, *tables);
    const StrategyRunParams* strategies = trading ? &strategy_params : nullptr;
    out.entry_day = s.trade.warmup_days;

    std::unique_ptr<ChunkRunner<Real>> runner;
#if defined(CONDOR_HAVE_CUDA)
    if (cuda) runner = make_cuda_runner<Real>(params, layout, out.chunk_paths, 0, strategies);
#endif
    if (!runner) runner = make_cpu_runner<Real>(params, layout, out.chunk_paths, out.threads, strategies);
    out.device = runner->device_name();
    out.timings.setup_seconds = seconds_since(start);

    RunStatistics stats(layout);
    ChunkTotals totals;
    std::unique_ptr<StrategyStatistics> strategy_stats;
    if (trading) strategy_stats = std::make_unique<StrategyStatistics>(s, strategy_params);
    std::vector<TradeOutcome> outcomes;
    std::vector<std::uint8_t> classes;
    out.sample_paths = int(std::min<std::uint64_t>(std::uint64_t(std::max(s.run.sample_paths, 0)), s.run.paths));
    for (std::uint64_t first = 0; first < s.run.paths; first += out.chunk_paths) {
        const auto count = std::uint32_t(std::min<std::uint64_t>(out.chunk_paths, s.run.paths - first));
        const ChunkTimings t = runner->run_chunk(first, count, totals);
        out.timings.simulate_seconds += t.simulate_seconds;
        out.timings.reduce_seconds += t.reduce_seconds;
        if (trading) out.timings.strategy_seconds += runner->run_strategies(outcomes, classes);
        const auto merge_start = Clock::now();
        stats.add_chunk(totals, count);
        if (trading) strategy_stats->add_chunk(outcomes, classes, count);
        if (first == 0 && out.sample_paths > 0) {
            std::vector<Real> samples[kDailySeriesCount];
            runner->copy_first_paths(out.sample_paths, samples);
            for (int k = 0; k < kDailySeriesCount; ++k) out.samples[k].assign(samples[k].begin(), samples[k].end());
            if (trading) trace_samples(strategy_params, samples, s.simulated_days(), out);
        }
        out.timings.merge_seconds += seconds_since(merge_start);
        if (o.progress) o.progress(first + count, s.run.paths);
        out.paths = first + count;
        if (trading && s.precision.enabled) {
            out.precision_half_width = strategy_stats->half_width(s.precision);
            out.precision_met = out.precision_half_width <= s.precision.half_width;
            if (out.precision_met) break;
        }
    }
    const auto merge_start = Clock::now();
    summarize<Real>(layout, stats, runner->histograms(), out);
    if (trading) {
        out.strategies = strategy_stats->summarize();
        out.strategies.table_seconds = out.timings.table_seconds;
        out.strategies.strategy_seconds = out.timings.strategy_seconds;
    }
    out.timings.merge_seconds += seconds_since(merge_start);
    out.timings.total_seconds = seconds_since(start);
    return out;
}

}  // namespace

RunOutput run_paths(const Scenario& scenario, const RunOptions& options) {
    return options.precision == Precision::single ? run_typed<float>(scenario, options)
                                                  : run_typed<double>(scenario, options);
}

}  // namespace condor
