// Reproducibility (DESIGN §2): the same scenario, seed, backend and precision
// give bit-identical statistics whatever the thread count or chunk size, and
// identical files apart from timings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "host/engine.h"
#include "host/h5_output.h"
#include "host/strategy_setup.h"
#include "kernels/lanes.h"
#include "tests/h5_compare.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

// A scenario that exercises every stream: jumps, both factors, a regime, an event, a shock.
Scenario busy_scenario(std::uint64_t seed) {
    const std::string extra = R"(
[regime]
enabled = true
theta_x_stressed = 0.08
lambda_stressed = 10.0
to_stressed_per_year = 3.0
to_calm_per_year = 10.0
[[event]]
day = 5
probability = 0.5
size_mean = 0.02
spx_move_mean_pct = -1.0
spx_move_sd_pct = 1.5
[[shock]]
day = 12
spx_move_pct = -5.0
vix_level = 40.0
)";
    return load_scenario_text(
        base_scenario_toml() + extra, "busy.toml",
        {"run.days=30", "run.paths=5000", "run.sample_paths=20", "model.phi=0.5", "model.p.lambda=3.0",
         "model.p.mu_v=0.03", "model.sigma_s=0.04", "model.p.mu_s=-0.03", "run.seed=" + std::to_string(seed)});
}

std::string temp_file(const std::string& name) {
    return ::testing::TempDir() + "condorsim_" + std::to_string(getpid()) + "_" + name + ".h5";
}

H5Contents run_to_file(const Scenario& s, int threads, std::uint64_t chunk, Precision precision,
                       const std::string& name, bool lanes = true) {
    RunOptions o;
    o.cpu_lanes = lanes;
    o.backend = Backend::cpu;
    o.threads = threads;
    o.chunk_paths = chunk;
    o.precision = precision;
    const std::string path = temp_file(name);
    {
        ResultsFile file(path);
        file.write(s, run_paths(s, o));
        file.commit();
    }
    H5Contents contents = read_h5(path);
    std::remove(path.c_str());
    return contents;
}

const std::vector<std::string> kStatistics = {"/statistics", "/paths"};

TEST(Reproducibility, StatisticsIdenticalForThreadCountsAndChunkSizes) {
    for (Precision precision : {Precision::double_, Precision::single}) {
        const Scenario s = busy_scenario(11);
        const H5Contents one_thread = run_to_file(s, 1, 1024, precision, "t1");
        const H5Contents two_threads = run_to_file(s, 2, 1024, precision, "t2");
        const H5Contents big_chunks = run_to_file(s, 2, 4096, precision, "c4096");
        ASSERT_GT(select(one_thread, kStatistics).size(), 20u);
        EXPECT_TRUE(select(one_thread, kStatistics) == select(two_threads, kStatistics));
        EXPECT_TRUE(select(one_thread, kStatistics) == select(big_chunks, kStatistics));
    }
}

// Everything results.h5 says about a run with strategies (paths, strategies,
// comparisons, verdict) is bit-identical for any chunk size and any number of
// runners taking chunks in turn: CPU partitions here stand in for GPUs, through
// the same engine code as --devices.
TEST(Reproducibility, ResultsIdenticalForChunkSizesAndDeviceCounts) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName,
                                          {"run.paths=7000", "run.sample_paths=10", "trade.warmup_days=60"});
    ASSERT_EQ(s.strategies.size(), 2u);
    RunOptions o;
    o.backend = Backend::cpu;
    o.threads = 3;
    o.tables = build_strategy_tables(s, 0);
    const std::vector<std::string> groups = {"/statistics", "/paths", "/strategies", "/comparisons", "/verdict"};
    for (Precision precision : {Precision::double_, Precision::single}) {
        o.precision = precision;
        auto contents = [&](std::uint64_t chunk, int partitions, const std::string& name) {
            RunOptions run = o;
            run.chunk_paths = chunk;
            run.cpu_partitions = partitions;
            const std::string path = temp_file(name);
            {
                const RunOutput out = run_paths(s, run);
                EXPECT_EQ(out.devices, partitions);
                EXPECT_EQ(out.paths, s.run.paths);
                ResultsFile file(path);
                file.write(s, out);
                file.commit();
            }
            H5Contents all = read_h5(path);
            std::remove(path.c_str());
            return select(all, groups);
        };
        const H5Contents reference = contents(1024, 1, "d1");
        ASSERT_GT(reference.size(), 50u);
        EXPECT_TRUE(reference == contents(3072, 1, "c3072")) << "chunk size";
        EXPECT_TRUE(reference == contents(1024, 3, "d3")) << "three runners, 7 chunks: rounds of 3, 3, 1";
        EXPECT_TRUE(reference == contents(2048, 2, "d2c2048")) << "two runners, larger chunks";
    }
}

// The CPU's vector lanes (kernels/path_lanes.h) give the bits of one path at a
// time, with jumps inside sub-steps, regime switches, an event and a shock on
// some lanes, and 5000 paths (a scalar tail after the last whole vector).
TEST(Reproducibility, StatisticsIdenticalWithAndWithoutVectorLanes) {
    for (Precision precision : {Precision::double_, Precision::single}) {
        const Scenario s = busy_scenario(13);
        const H5Contents lanes = run_to_file(s, 2, 0, precision, "lanes", true);
        const H5Contents scalar = run_to_file(s, 2, 0, precision, "scalar", false);
        ASSERT_GT(select(lanes, kStatistics).size(), 20u);
        EXPECT_TRUE(select(lanes, kStatistics) == select(scalar, kStatistics));
#if defined(CONDOR_HAVE_LANES)
        const auto& device = lanes.at("/@device");
        EXPECT_NE(std::string(device.begin(), device.end()).find("paths per vector"), std::string::npos);
#endif
    }
}

TEST(Reproducibility, SameSeedSameFileApartFromTimings) {
    const Scenario s = busy_scenario(5);
    const H5Contents first = run_to_file(s, 2, 2048, Precision::double_, "a");
    const H5Contents second = run_to_file(s, 2, 2048, Precision::double_, "b");
    ASSERT_FALSE(first.empty());
    EXPECT_TRUE(without(first, "/timings") == without(second, "/timings"));
    EXPECT_FALSE(select(first, {"/timings"}).empty());
}

TEST(Reproducibility, DifferentSeedsDiffer) {
    const H5Contents a = run_to_file(busy_scenario(5), 2, 2048, Precision::double_, "s5");
    const H5Contents b = run_to_file(busy_scenario(6), 2, 2048, Precision::double_, "s6");
    EXPECT_NE(a.at("/statistics/daily/spx_mean"), b.at("/statistics/daily/spx_mean"));
}

}  // namespace
}  // namespace condor::test
