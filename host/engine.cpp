#include "host/engine.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

#include "host/sim_setup.h"
#include "host/table_cache.h"
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

// Available host memory in bytes (MemAvailable of /proc/meminfo; 0 where unknown).
std::size_t host_available_memory() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::size_t kib = 0;
    while (meminfo >> key >> kib) {
        if (key == "MemAvailable:") return kib << 10;
        meminfo.ignore(64, '\n');
    }
    return 0;
}

// Chunk size: the user's, else one that keeps each CPU runner's path buffers
// near 256 MiB (at most 1/4 of the available host memory, shared by the
// runners) and fills each GPU (1/4 of the smallest free device memory).
std::uint32_t choose_chunk(const Scenario& s, const RunOptions& o, std::size_t gpu_free_bytes, int runners,
                           std::size_t real_bytes) {
    std::uint64_t requested = o.chunk_paths ? o.chunk_paths : s.run.chunk_paths;
    const std::size_t strategies = s.strategies.size();
    const std::size_t stored_days = o.terminal_statistics_only ? 1 : std::size_t(s.simulated_days() + 1);
    // Daily rows, per-path values and counts, outcomes and classes, the
    // strategies' block sums (about 2 bytes per path and strategy), and on a GPU
    // the strategy order's keys, permutation and sort buffers (16 bytes).
    const std::size_t block_sum_bytes =
        trade_rows(int(strategies)) * sizeof(TradeBlockSums) + pair_rows(int(strategies)) * sizeof(PairBlockSums);
    const std::size_t bytes_per_path = real_bytes * (kDailySeriesCount * stored_days + 2) + 12 +
                                       strategies * sizeof(TradeOutcome) + 1 + block_sum_bytes / kStatsBlock + 1 +
                                       (strategies ? 16 : 0);
    if (!requested) {
        std::size_t budget = std::size_t(256) << 20;
        const std::size_t host_free = host_available_memory();
        if (host_free) budget = std::min(budget, host_free / 4 / std::size_t(runners));
        if (gpu_free_bytes) budget = std::max<std::size_t>(budget, gpu_free_bytes / 4);
        requested = std::max<std::uint64_t>(kStatsBlock, budget / bytes_per_path);
    }
    requested = std::min<std::uint64_t>(requested, s.run.paths);
    requested = std::min<std::uint64_t>(requested, std::uint64_t(1) << 30);
    // A chunk's outcomes (strategy * count + path) stay below 2^31.
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
    const int day_rows = layout.stored_days();
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

// The CUDA devices a run uses: the first `devices` visible ones (0 = all).
int cuda_devices_to_use(const RunOptions& o) {
    const int visible = cuda_device_count();
    if (o.devices < 0) throw std::runtime_error("--devices: expected a positive count or \"all\"");
    if (o.devices > visible)
        throw std::runtime_error("--devices " + std::to_string(o.devices) + ": only " + std::to_string(visible) +
                                 " CUDA devices are visible");
    return o.devices == 0 ? visible : o.devices;
}

// One chunk's results, kept until it is merged in path order.
struct ChunkSlot {
    std::uint64_t first = 0;
    std::uint32_t count = 0;
    ChunkTotals totals;
    ChunkTimings timings;
    StrategyTimings strategy_timings;
    StrategyTotals strategy_totals;
    std::exception_ptr error;
};

// Runs slot r on runner r, all of them at once when there are several (one
// host thread per device), and rethrows the first failure.
template <class Real>
void run_round(std::vector<std::unique_ptr<ChunkRunner<Real>>>& runners, std::vector<ChunkSlot>& slots, int used,
               bool trading) {
    auto work = [&](int r) {
        ChunkSlot& slot = slots[r];
        try {
            slot.timings = runners[r]->run_chunk(slot.first, slot.count, slot.totals);
            slot.strategy_timings = trading ? runners[r]->run_strategies(slot.strategy_totals) : StrategyTimings{};
        } catch (...) {
            slot.error = std::current_exception();
        }
    };
    if (used == 1) {
        work(0);
    } else {
        std::vector<std::thread> threads;
        for (int r = 0; r < used; ++r) threads.emplace_back(work, r);
        for (std::thread& t : threads) t.join();
    }
    for (int r = 0; r < used; ++r)
        if (slots[r].error) std::rethrow_exception(slots[r].error);
}

// The runners' whole-run histogram counts (`counts`), added: integer counts, so
// their sum does not depend on which runner ran what.
template <class Real>
std::vector<unsigned long long> summed_counts(const std::vector<std::unique_ptr<ChunkRunner<Real>>>& runners,
                                              std::vector<unsigned long long> (ChunkRunner<Real>::*counts)() const) {
    std::vector<unsigned long long> sum = ((*runners[0]).*counts)();
    for (std::size_t r = 1; r < runners.size(); ++r) {
        const std::vector<unsigned long long> more = ((*runners[r]).*counts)();
        for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += more[i];
    }
    return sum;
}

// "NVIDIA H100 ... x 2" for several runners on like devices.
template <class Real>
std::string runners_description(const std::vector<std::unique_ptr<ChunkRunner<Real>>>& runners) {
    std::string text = runners[0]->device_name();
    bool alike = true;
    for (const auto& r : runners) alike = alike && r->device_name() == text;
    if (runners.size() == 1) return text;
    if (alike) return text + " x " + std::to_string(runners.size());
    for (std::size_t r = 1; r < runners.size(); ++r) text += " + " + runners[r]->device_name();
    return text;
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

    const bool trading = !s.strategies.empty();
    if (trading && o.terminal_statistics_only)
        throw std::runtime_error("terminal-only statistics: the scenario has strategies, which need every day");
    const SimParams<Real> params = make_sim_params<Real>(s);
    const StatsLayout layout = make_stats_layout(s, o.terminal_statistics_only);
    out.first_day = layout.first_day;
    // Several runners (GPUs, or CPU partitions in tests) take chunks in turn.
    // Stopping on precision keeps one: a round's later chunks would otherwise
    // reach the path histograms after the stop.
    const int runner_count = s.precision.enabled ? 1 : cuda ? cuda_devices_to_use(o) : std::max(1, o.cpu_partitions);
    std::size_t gpu_free = 0;
    for (int d = 0; cuda && d < runner_count; ++d)
        gpu_free = d == 0 ? cuda_free_memory(d) : std::min(gpu_free, cuda_free_memory(d));
    out.chunk_paths = choose_chunk(s, o, gpu_free, runner_count, sizeof(Real));
    // Stopping on precision checks at batch ends: one chunk per batch makes the
    // stopping point independent of the backend's memory.
    if (s.precision.enabled) out.chunk_paths = std::uint32_t(s.precision.batch_paths);

    std::shared_ptr<const StrategyTables> tables = o.tables;
    if (trading && !tables) {
        tables = o.table_cache_dir.empty() ? build_strategy_tables(s, o.threads)
                                           : load_or_build_strategy_tables(s, o.threads, o.table_cache_dir);
        out.timings.table_seconds = tables->build_seconds;
        out.timings.table_source = tables->source;
        // Tables loaded from the cache report 0 for their build.
        out.timings.table_spx_seconds = tables->spx->build_seconds();
        if (tables->vix) {
            out.timings.table_vix_future_seconds = tables->vix->futures().build_seconds();
            out.timings.table_vix_option_seconds =
                tables->vix->build_seconds() - tables->vix->futures().build_seconds();
        }
    }
    StrategyRunParams strategy_params;
    if (trading) strategy_params = make_strategy_params(s, *tables);
    const StrategyRunParams* strategies = trading ? &strategy_params : nullptr;
    out.entry_day = s.trade.warmup_days;

    std::vector<std::unique_ptr<ChunkRunner<Real>>> runners;
    for (int r = 0; r < runner_count; ++r) {
#if defined(CONDOR_HAVE_CUDA)
        if (cuda) runners.push_back(make_cuda_runner<Real>(params, layout, out.chunk_paths, r, strategies));
#endif
        // CPU partitions share the threads, the first ones taking the remainder.
        const int threads = std::max(1, out.threads / runner_count + (r < out.threads % runner_count ? 1 : 0));
        if (!cuda)
            runners.push_back(make_cpu_runner<Real>(params, layout, out.chunk_paths, threads, strategies, o.cpu_lanes));
    }
    out.device = runners_description(runners);
    out.devices = runner_count;
    out.timings.setup_seconds = seconds_since(start);

    RunStatistics stats(layout);
    std::unique_ptr<StrategyStatistics> strategy_stats;
    if (trading) strategy_stats = std::make_unique<StrategyStatistics>(s, strategy_params);
    std::vector<ChunkSlot> slots(runner_count);
    out.sample_paths = int(std::min<std::uint64_t>(std::uint64_t(std::max(s.run.sample_paths, 0)), s.run.paths));
    if (o.terminal_statistics_only) out.sample_paths = 0;
    bool stopped = false;
    const std::uint64_t round_paths = std::uint64_t(out.chunk_paths) * runner_count;
    for (std::uint64_t round_first = 0; round_first < s.run.paths && !stopped; round_first += round_paths) {
        int used = 0;
        for (; used < runner_count; ++used) {
            const std::uint64_t first = round_first + std::uint64_t(used) * out.chunk_paths;
            if (first >= s.run.paths) break;
            slots[used].first = first;
            slots[used].count = std::uint32_t(std::min<std::uint64_t>(out.chunk_paths, s.run.paths - first));
        }
        run_round(runners, slots, used, trading);
        // Merged in path order: the statistics do not depend on the runner count.
        for (int r = 0; r < used && !stopped; ++r) {
            const ChunkSlot& slot = slots[r];
            out.timings.simulate_seconds += slot.timings.simulate_seconds;
            out.timings.reduce_seconds += slot.timings.reduce_seconds;
            out.timings.strategy_seconds += slot.strategy_timings.kernel_seconds;
            out.timings.strategy_reduce_seconds += slot.strategy_timings.reduce_seconds;
            const auto merge_start = Clock::now();
            stats.add_chunk(slot.totals, slot.count);
            if (trading) strategy_stats->add_chunk(slot.strategy_totals);
            if (slot.first == 0 && out.sample_paths > 0) {
                std::vector<Real> samples[kDailySeriesCount];
                runners[0]->copy_first_paths(out.sample_paths, samples);
                for (int k = 0; k < kDailySeriesCount; ++k) out.samples[k].assign(samples[k].begin(), samples[k].end());
                if (trading) trace_samples(strategy_params, samples, s.simulated_days(), out);
            }
            out.timings.merge_seconds += seconds_since(merge_start);
            out.paths = slot.first + slot.count;
            if (o.progress) o.progress(out.paths, s.run.paths);
            if (trading && s.precision.enabled) {
                out.precision_half_width = strategy_stats->half_width(s.precision);
                out.precision_met = out.precision_half_width <= s.precision.half_width;
                stopped = out.precision_met;
            }
        }
    }
    const auto merge_start = Clock::now();
    summarize<Real>(layout, stats, summed_counts(runners, &ChunkRunner<Real>::histograms), out);
    if (trading) {
        strategy_stats->set_histograms(summed_counts(runners, &ChunkRunner<Real>::trade_histograms));
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
