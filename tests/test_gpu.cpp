// CPU and CUDA backends run the same per-path code: path by path they agree up
// to rounding, and the statistics agree within 1e-5 relative in double.
// Skipped, with the reason printed, where no GPU is visible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "host/engine.h"
#include "host/sim_setup.h"
#include "host/strategy_setup.h"
#include "kernels/chunk_runner.h"
#include "tests/sim_helpers.h"
#include "tests/strategy_compare.h"

namespace condor::test {
namespace {

// Why the GPU tests cannot run here, or "" when they can. (GTEST_SKIP must be
// called from the test body itself to end the test.)
std::string gpu_missing_reason() {
    if (!cuda_backend_built()) return "CUDA backend not built (nvcc not found at configure time)";
    if (cuda_device_count() == 0) return "no CUDA device visible on this machine";
    return "";
}
#define REQUIRE_GPU() \
    if (const std::string why = gpu_missing_reason(); !why.empty()) GTEST_SKIP() << why

Scenario gpu_scenario() {
    const std::string extra = "\n[[shock]]\nday = 15\nspx_move_pct = -6.0\nvix_level = 42.0\n";
    return load_scenario_text(base_scenario_toml() + extra, "gpu.toml",
                              {"run.days=40", "run.paths=20000", "run.sample_paths=2000", "model.phi=0.5",
                               "model.p.lambda=4.0", "model.p.mu_v=0.03", "model.sigma_s=0.04", "model.p.mu_s=-0.03"});
}

// The same scenario on both backends, in double precision: {cpu, cuda}.
std::pair<RunOutput, RunOutput> run_cpu_and_cuda(const Scenario& s) {
    RunOptions cpu, cuda;
    cpu.backend = Backend::cpu;
    cuda.backend = Backend::cuda;
    return {run_paths(s, cpu), run_paths(s, cuda)};
}

TEST(Gpu, PathsAgreeWithCpuUpToRounding) {
    REQUIRE_GPU();
    const auto [a, b] = run_cpu_and_cuda(gpu_scenario());
    ASSERT_EQ(a.samples[kSpx].size(), b.samples[kSpx].size());
    // A path may take the other QE branch where psi sits within rounding of 1.5;
    // DESIGN §2 allows 0.1% of paths to part ways.
    const int k = a.sample_paths, days = a.days + 1;
    int differing = 0;
    for (int i = 0; i < k; ++i) {
        bool same = true;
        for (int series = 0; series < kDailySeriesCount; ++series)
            for (int d = 0; d < days; ++d) {
                const double x = a.samples[series][std::size_t(d) * k + i],
                             y = b.samples[series][std::size_t(d) * k + i];
                same = same && std::abs(x - y) <= 1e-9 * (1 + std::abs(x));
            }
        differing += same ? 0 : 1;
    }
    EXPECT_LE(differing, k / 1000) << differing << " of " << k << " paths differ beyond rounding";
}

TEST(Gpu, StatisticsAgreeWithCpuInDouble) {
    REQUIRE_GPU();
    const auto [a, b] = run_cpu_and_cuda(gpu_scenario());
    for (int series = 0; series < kDailySeriesCount; ++series)
        for (std::size_t d = 0; d < a.daily[series].mean.size(); ++d) {
            const double x = a.daily[series].mean[d], y = b.daily[series].mean[d];
            EXPECT_NEAR(x, y, 1e-5 * std::abs(x) + 1e-300) << "series " << series << " day " << d;
            const double sx = a.daily[series].sd[d], sy = b.daily[series].sd[d];
            EXPECT_NEAR(sx, sy, 1e-5 * std::abs(sx) + 1e-12) << "series " << series << " day " << d;
        }
    // Values within rounding of a bin edge may land in the neighbouring bin.
    long long moved = 0;
    for (std::size_t j = 0; j < a.per_path_histogram[kMaxVix].size(); ++j)
        moved += std::llabs((long long)a.per_path_histogram[kMaxVix][j] - (long long)b.per_path_histogram[kMaxVix][j]);
    EXPECT_LE(moved, 4 + (long long)(a.paths / 5000));
    EXPECT_NEAR(a.jumps_per_path, b.jumps_per_path, 1e-3);
}

// DESIGN §2: on one backend, the statistics do not depend on the chunk size.
// Every daily and per-path statistic and the sample paths, bit for bit.
void expect_identical_statistics(const RunOutput& a, const RunOutput& b) {
    for (int series = 0; series < kDailySeriesCount; ++series) {
        EXPECT_EQ(a.daily[series].mean, b.daily[series].mean) << "series " << series;
        EXPECT_EQ(a.daily[series].sd, b.daily[series].sd) << "series " << series;
        EXPECT_EQ(a.daily[series].quantiles, b.daily[series].quantiles) << "series " << series;
        EXPECT_EQ(a.samples[series], b.samples[series]) << "series " << series;
    }
    for (int series = 0; series < kPathSeriesCount; ++series)
        EXPECT_EQ(a.per_path_histogram[series], b.per_path_histogram[series]) << "series " << series;
}

TEST(Gpu, StatisticsIdenticalForChunkSizes) {
    REQUIRE_GPU();
    const Scenario s = gpu_scenario();
    for (Precision precision : {Precision::double_, Precision::single}) {
        RunOptions small, large;
        small.backend = large.backend = Backend::cuda;
        small.precision = large.precision = precision;
        small.chunk_paths = 1024;
        large.chunk_paths = 8192;
        const RunOutput a = run_paths(s, small), b = run_paths(s, large);
        expect_identical_statistics(a, b);
    }
}

// --devices all: chunks go to the GPUs in turn and merge in path order, so
// every statistic equals the one-GPU run's.
TEST(Gpu, StatisticsIdenticalForDeviceCounts) {
    REQUIRE_GPU();
    if (cuda_device_count() < 2) GTEST_SKIP() << "one CUDA device visible; the test needs two or more";
    const Scenario s = gpu_scenario();
    RunOptions one, all;
    one.backend = all.backend = Backend::cuda;
    one.chunk_paths = all.chunk_paths = 2048;
    all.devices = 0;
    const RunOutput a = run_paths(s, one), b = run_paths(s, all);
    EXPECT_EQ(b.devices, cuda_device_count());
    expect_identical_statistics(a, b);
}

TEST(Gpu, FloatRunsAndIsCloseToDouble) {
    REQUIRE_GPU();
    const Scenario s = gpu_scenario();
    RunOptions single, dbl;
    single.backend = dbl.backend = Backend::cuda;
    single.precision = Precision::single;
    const RunOutput a = run_paths(s, single), b = run_paths(s, dbl);
    EXPECT_NEAR(a.daily[kSpx].mean.back(), b.daily[kSpx].mean.back(), 1e-3 * b.daily[kSpx].mean.back());
}

// The strategy kernel on both backends over the same stored paths of the ALVH
// question: DESIGN §2 and issue 5 ask for the same exit day and reason on at
// least 99.9% of paths (a mark within rounding of a rule's threshold may fire
// on one backend and not the other).
// The ALVH question's scenario. The device machine runs the tests from another
// checkout: CONDOR_SOURCE_DIR in the environment wins.
Scenario alvh_question(std::vector<std::string> overrides = {}) {
    const char* source = std::getenv("CONDOR_SOURCE_DIR");
    return load_scenario_file(std::string(source ? source : CONDOR_SOURCE_DIR) + "/scenarios/alvh_question.toml",
                              overrides);
}

TEST(Gpu, StrategyExitsAgreeWithCpu) {
    REQUIRE_GPU();
    const Scenario s = alvh_question();
    const auto tables = build_strategy_tables(s, 0);
    const StrategyRunParams strategies = make_strategy_params(s, *tables);
    const SimParams<double> params = make_sim_params<double>(s);
    const StatsLayout layout = make_stats_layout(s);
    const std::uint32_t n = 100 * kStatsBlock;
    auto cpu = make_cpu_runner<double>(params, layout, n, 0, &strategies);
    auto gpu = make_cuda_runner<double>(params, layout, n, 0, &strategies);
    ChunkTotals totals;
    cpu->run_chunk(0, n, totals);
    gpu->run_chunk(0, n, totals);
    StrategyTotals cpu_totals, gpu_totals;
    const double cpu_seconds = cpu->run_strategies(cpu_totals).kernel_seconds;
    gpu->run_strategies(gpu_totals);  // warm-up
    const double gpu_seconds = gpu->run_strategies(gpu_totals).kernel_seconds;
    std::vector<TradeOutcome> a, b;
    std::vector<std::uint8_t> class_a, class_b;
    cpu->copy_outcomes(a, class_a);
    gpu->copy_outcomes(b, class_b);
    ASSERT_EQ(a.size(), b.size());
    std::size_t same_exit = 0, same_class = 0, pnl_close = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        const bool same = a[k].exit_day == b[k].exit_day && a[k].exit_reason == b[k].exit_reason;
        same_exit += same;
        pnl_close += same && std::abs(a[k].pnl_total - b[k].pnl_total) <= 1e-6 * (1 + std::abs(a[k].pnl_total));
    }
    for (std::size_t i = 0; i < class_a.size(); ++i) same_class += class_a[i] == class_b[i];
    std::printf(
        "strategy kernel, %u paths x %d strategies: same exit day and reason %zu of %zu, P&L within 1e-6 %zu, "
        "same class %zu of %u; CPU %.3f s, GPU %.4f s (%s)\n",
        n, strategies.strategy_count, same_exit, a.size(), pnl_close, same_class, n, cpu_seconds, gpu_seconds,
        gpu->device_name().c_str());
    EXPECT_GE(double(same_exit), 0.999 * double(a.size()));
    EXPECT_GE(double(pnl_close), 0.999 * double(a.size()));
    EXPECT_GE(double(same_class), 0.999 * double(n));
}

// The strategy statistics the GPU sums per block (kernels/trade_stats.h, with
// atomic histogram counts) are, bit for bit, the host's reduction of the same
// outcomes copied back: the device's sums do not contract products into FMAs.
TEST(Gpu, StrategyBlockSumsAreTheHostReductionOfTheGpuOutcomes) {
    REQUIRE_GPU();
    const Scenario s = alvh_question();
    const auto tables = build_strategy_tables(s, 0);
    const StrategyRunParams strategies = make_strategy_params(s, *tables);
    const std::uint32_t n = 20 * kStatsBlock + 300;
    auto gpu = make_cuda_runner<double>(make_sim_params<double>(s), make_stats_layout(s), n, 0, &strategies);
    const ChunkTrades t = run_chunk_trades(*gpu, n);
    std::vector<unsigned long long> host_counts;
    const StrategyTotals host = reduce_on_host(strategies, t.outcomes, t.classes, host_counts);
    EXPECT_EQ(t.blocks.blocks, host.blocks);
    EXPECT_EQ(differing_block_sums(t.blocks, host), 0);
    EXPECT_EQ(gpu->trade_histograms(), host_counts);
}

// DESIGN §2 on the GPU: the strategy statistics do not depend on the chunk size.
TEST(Gpu, StrategyStatisticsIdenticalForChunkSizes) {
    REQUIRE_GPU();
    const Scenario s = alvh_question({"run.paths=20000"});
    RunOptions small, large;
    small.backend = large.backend = Backend::cuda;
    small.chunk_paths = 2048;
    large.chunk_paths = 16384;
    small.tables = large.tables = build_strategy_tables(s, 0);
    const RunOutput a = run_paths(s, small), b = run_paths(s, large);
    expect_identical_strategy_statistics(a.strategies, b.strategies);
}

}  // namespace
}  // namespace condor::test
