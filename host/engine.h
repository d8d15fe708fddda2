// One run: chunks of paths through a backend, statistics merged in path order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "host/scenario.h"
#include "host/statistics.h"
#include "host/strategy_setup.h"
#include "host/strategy_stats.h"

namespace condor {

enum class Backend { automatic, cpu, cuda };
enum class Precision { single, double_ };

struct RunOptions {
    Backend backend = Backend::automatic;
    Precision precision = Precision::double_;
    int threads = 0;                // CPU threads; 0 = all cores
    std::uint64_t chunk_paths = 0;  // 0 = scenario's run.chunk_paths, else backend default
    // Statistics of the last close only, no daily rows and no sample paths: the
    // paths-only benchmark (bench/). Not with strategies, which read every day.
    bool terminal_statistics_only = false;
    // CUDA devices used together, from device 0 (0 = all visible). Chunks go to
    // the devices in turn and are merged in path order: the same statistics as
    // one device.
    int devices = 1;
    // CPU only: split the threads into this many runners that take chunks in
    // turn, as devices do; tests the multi-device path on machines without GPUs.
    int cpu_partitions = 1;
    // CPU only: advance several paths per vector where the CPU has vector lanes
    // (kernels/path_lanes.h); off runs one path at a time. The results are the
    // same bits either way (tests/test_lanes.cpp).
    bool cpu_lanes = true;
    // Pricing tables built earlier for the same scenario's Q model (tests reuse
    // them across seeds); null: the run builds its own when it has strategies.
    std::shared_ptr<const StrategyTables> tables;
    // Where to load the pricing tables from and save them to (host/table_cache.h);
    // "": build them every run.
    std::string table_cache_dir;
    // Called after each chunk with (paths done, paths total).
    std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct Timings {
    double setup_seconds = 0;
    double simulate_seconds = 0;  // path kernel, summed over chunks (and devices)
    double reduce_seconds = 0;    // statistics kernel
    double merge_seconds = 0;     // host merge of chunk results and quantiles
    double table_seconds = 0;     // building or loading the pricing tables (0 when given or not needed)
    std::string table_source;     // how the run got them: StrategyTables::source ("" when given or not needed)
    // Of table_seconds, the build of each table in this run (0 when loaded or given).
    double table_spx_seconds = 0, table_vix_future_seconds = 0, table_vix_option_seconds = 0;
    double strategy_seconds = 0;  // strategy kernel, summed over chunks
    // Host wall time of the strategy step beyond its kernel (StrategyTimings: the
    // outcomes' block statistics and, on the GPU, their copy back), summed over chunks.
    double strategy_reduce_seconds = 0;
    double total_seconds = 0;  // wall time of run_paths
};

// Per-row summary of one statistic.
struct SeriesSummary {
    std::vector<double> mean, sd;   // per day (daily series) or one value
    std::vector<double> quantiles;  // [day][level], quantile_levels()
};

struct RunOutput {
    std::string backend;    // "cpu" or "cuda"
    std::string precision;  // "float" or "double"
    std::string device;
    int devices = 1;  // runners used together (GPUs, or CPU partitions)
    int threads = 0;
    std::uint64_t paths = 0;
    std::uint32_t chunk_paths = 0;
    int days = 0;
    int first_day = 0;  // first day with statistics: 0, or days for a terminal-only run
    int substeps_per_day = 0;

    SeriesSummary daily[kDailySeriesCount];  // days first_day..days; quantiles only for SPX and VIX
    SeriesSummary per_path[kPathSeriesCount];
    std::vector<unsigned long long> per_path_histogram[kPathSeriesCount];
    std::vector<double> per_path_edges[kPathSeriesCount];
    double quantile_max_log_error[kDailySeriesCount + kPathSeriesCount] = {};  // bin width in ln(value)
    double jumps_per_path = 0, events_per_path = 0;
    unsigned long long shocks_capped = 0;

    int sample_paths = 0;
    std::vector<double> samples[kDailySeriesCount];  // [day * sample_paths + i]

    // Strategies (empty when the scenario has none).
    int entry_day = 0;  // index of the entry close in the daily arrays
    StrategyResults strategies;
    // Stopping on precision ([precision]): the half-width reached and whether it met the target.
    double precision_half_width = 0;
    bool precision_met = false;
    std::vector<std::vector<double>> sample_pnl;                        // [strategy][day * sample_paths + i], dollars
    std::vector<std::vector<int>> sample_exit_day, sample_exit_reason;  // [strategy][i]

    Timings timings;
};

// Runs the scenario; throws std::runtime_error on backend failures.
RunOutput run_paths(const Scenario& scenario, const RunOptions& options);

bool cuda_backend_built();

}  // namespace condor
