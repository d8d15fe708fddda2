// The strategy engine end to end (host/engine.cpp): optional stopping under
// P = Q (DESIGN §7), the exit-reason and class invariants, coverage of the
// paired confidence intervals across seeds, and chunk-size invariance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "host/engine.h"
#include "host/scenario.h"
#include "host/sim_setup.h"
#include "host/strategy_setup.h"
#include "kernels/chunk_runner.h"
#include "tests/strategy_compare.h"

namespace condor {
namespace {

using test::ChunkTrades;
using test::differing_block_sums;
using test::expect_identical_strategy_statistics;
using test::reduce_on_host;
using test::run_chunk_trades;

// Triggers that fire often, on every kind of indicator, with every exit rule.
const char* kStrategies = R"toml(
[trade]
warmup_days = 20

[[strategy]]
name = "naked"
entry_dte = 45
short_delta = 0.16
long_delta = 0.05
[strategy.costs]
spx_half_spread_min = 0
spx_half_spread_pct = 0
spx_commission = 0
[strategy.exit]
profit_target = 0.25
stop_multiple = 0.5
time_exit_dte = 10
delta_breach = 0.25

[[strategy]]
name = "alvh"
entry_dte = 45
short_delta = 0.16
long_delta = 0.05
[strategy.sizing]
hedge_reserve_pct = 40
[strategy.costs]
spx_half_spread_min = 0
spx_half_spread_pct = 0
vix_half_spread_min = 0
vix_half_spread_pct = 0
future_half_spread = 0
spx_commission = 0
vix_commission = 0
future_commission = 0
[strategy.exit]
profit_target = 0.25
stop_multiple = 0.5
stop_on = "condor_and_hedge"
target_on = "condor_and_hedge"
time_exit_dte = 10
delta_breach = 0.25
[[strategy.hedge.layer]]
name = "call"
instrument = "vix_call"
dte = 30
moneyness = 1.1
size = 0.3
when = []
take_profit = 1.3
max_entries = 3
[[strategy.hedge.layer]]
name = "spread"
instrument = "vix_call_spread"
dte = 21
delta = 0.4
upper_moneyness = 1.5
size = 0.3
when = ["vix crosses_above ema(vix,5)", "rsi(vix,5) > 40"]
exit_when = ["vix crosses_below ema(vix,5)"]
max_entries = 5
[[strategy.hedge.layer]]
name = "future"
instrument = "vix_future"
dte = 45
size = 0.2
when = ["days_in_trade >= 2", "spx_return(5) < 1"]
exit_when = ["position_pnl > 0.1"]
max_entries = 4
)toml";

// The calibrated model of the default scenario, without its strategies (they
// follow the marker line in scenarios/default.toml).
std::string default_model_text() {
    const std::string& text = default_scenario_text();
    const auto marker = text.find("# ==== strategies");
    EXPECT_NE(marker, std::string::npos);
    return text.substr(0, marker);
}

// The default model with P = Q: the simulation runs under Q with r = q = 0.
Scenario optional_stopping_scenario(std::uint64_t paths, std::uint64_t seed) {
    return load_scenario_text(
        default_model_text() + kStrategies, "optional_stopping.toml",
        {"market.rate=0", "market.dividend_yield=0", "run.measure=\"Q\"", "run.days=31", "run.sample_paths=4",
         "run.paths=" + std::to_string(paths), "run.seed=" + std::to_string(seed)});
}

std::shared_ptr<const StrategyTables> shared_tables() {
    static const auto tables = build_strategy_tables(optional_stopping_scenario(1024, 1), 0);
    return tables;
}

RunOutput run(const Scenario& s, std::uint64_t chunk = 0) {
    RunOptions o;
    o.backend = Backend::cpu;
    o.tables = shared_tables();
    o.chunk_paths = chunk;
    return run_paths(s, o);
}

// Optional stopping (DESIGN §7): with P = Q, r = q = 0 and no costs every mark
// is a Q-martingale, so the P&L of any strategy stopped by any rule has mean 0.
// What may remain is the bias of the marks: the tables' interpolation error and
// the QE scheme's one-day steps. The budget for it is 0.25% of the mean credit:
// the SPX table's implied vols are typically within 1e-5 of the exact ones
// (worst 3e-4 at the edges of the smile, docs/pricing.md), which moves a 45-day
// condor leg by about 0.007 points, 0.05% of a 13-point credit, and a trade is
// marked twice (entry and exit) on four legs. Measured at 240000 paths, every
// mean was within 2 standard errors of 0, well inside the budget.
TEST(OptionalStopping, EveryStrategyAndEveryHedgeLayerHasZeroMeanPnlUnderQ) {
    const RunOutput out = run(optional_stopping_scenario(240000, 20261127));
    const StrategyResults& r = out.strategies;
    ASSERT_EQ(r.strategies.size(), 2u);
    for (const StrategySummary& s : r.strategies) {
        const ClassSummary& all = s.classes[kAllPaths];
        const double budget = 0.0025 * all.credit_mean;
        std::printf("%-6s mean P&L %9.3f  se %7.3f  budget %7.3f  credit %9.2f  stops %.3f  exits by reason:",
                    s.name.c_str(), all.pnl_mean, all.pnl_se, budget, all.credit_mean, all.prob_stop);
        for (unsigned long long c : all.reason_counts) std::printf(" %llu", c);
        std::printf("\n");
        EXPECT_LT(std::fabs(all.pnl_mean), 4 * all.pnl_se + budget) << s.name;
        EXPECT_GT(all.reason_counts[kExitStop], all.paths / 50) << "the stop must fire often for the test to bite";
        EXPECT_GT(all.reason_counts[kExitProfitTarget], all.paths / 10);
        for (std::size_t l = 0; l < s.layer_names.size(); ++l) {
            std::printf("  layer %-7s mean P&L %8.3f  se %6.3f\n", s.layer_names[l].c_str(), all.layer_pnl_mean[l],
                        all.layer_pnl_se[l]);
            EXPECT_LT(std::fabs(all.layer_pnl_mean[l]), 4 * all.layer_pnl_se[l] + budget) << s.layer_names[l];
            EXPECT_GT(all.layer_pnl_se[l], 0) << s.layer_names[l] << " never traded";
        }
    }
}

TEST(StrategyInvariants, ReasonsAndClassesCountEveryPath) {
    const RunOutput out = run(optional_stopping_scenario(5000, 3));
    for (const StrategySummary& s : out.strategies.strategies) {
        std::uint64_t by_class = 0;
        for (int c = 1; c < kPathClassCount; ++c) by_class += s.classes[c].paths;
        EXPECT_EQ(by_class, out.paths) << "the three classes partition the paths";
        for (int c = 0; c < kPathClassCount; ++c) {
            const ClassSummary& k = s.classes[c];
            unsigned long long reasons = 0, histogram = 0;
            for (unsigned long long n : k.reason_counts) reasons += n;
            for (unsigned long long n : k.exit_day_histogram) histogram += n;
            EXPECT_EQ(reasons, k.paths);
            EXPECT_EQ(histogram, k.paths);
            unsigned long long binned = 0;
            for (unsigned long long n : k.pnl_histogram) binned += n;
            EXPECT_EQ(binned, k.paths);
        }
    }
}

// Same seed, different chunk sizes: the strategy statistics are bit-identical
// (outcomes are summed per 1024-path block of the run, the blocks in order).
TEST(StrategyInvariants, ChunkSizeDoesNotChangeAnyStatistic) {
    const Scenario s = optional_stopping_scenario(6000, 11);
    const RunOutput a = run(s, 1024), b = run(s, 5120);
    expect_identical_strategy_statistics(a.strategies, b.strategies);
    // NaN before entry compares unequal to itself: compare the bits.
    ASSERT_EQ(a.sample_pnl.size(), b.sample_pnl.size());
    for (std::size_t i = 0; i < a.sample_pnl.size(); ++i) {
        ASSERT_EQ(a.sample_pnl[i].size(), b.sample_pnl[i].size());
        EXPECT_EQ(0,
                  std::memcmp(a.sample_pnl[i].data(), b.sample_pnl[i].data(), a.sample_pnl[i].size() * sizeof(double)));
    }
}

// Two more condors for the kernel test: one with other strikes and a hedge whose
// triggers read one indicator alvh reads (rsi) and one it does not (sma), then the
// naked condor again after it.
const char* kOtherCondors = R"toml(
[[strategy]]
name = "wider"
entry_dte = 45
short_delta = 0.20
long_delta = 0.05
[strategy.exit]
profit_target = 0.25
stop_multiple = 0.5
time_exit_dte = 10
[[strategy.hedge.layer]]
name = "spread"
instrument = "vix_call_spread"
dte = 25
moneyness = 1.0
upper_moneyness = 1.4
size = 0.25
when = ["vix crosses_above sma(vix,10)"]
exit_when = ["rsi(vix,5) < 40"]
max_entries = 2

[[strategy]]
name = "naked_again"
entry_dte = 45
short_delta = 0.16
long_delta = 0.05
[strategy.costs]
spx_half_spread_min = 0
spx_half_spread_pct = 0
spx_commission = 0
[strategy.exit]
profit_target = 0.5
stop_multiple = 2
)toml";

bool same_bits(const TradeOutcome& a, const TradeOutcome& b) {
    return a.pnl_total == b.pnl_total && a.pnl_condor == b.pnl_condor && a.pnl_hedge == b.pnl_hedge && a.mae == b.mae &&
           a.hedge_cost == b.hedge_cost && a.credit == b.credit &&
           std::memcmp(a.layer_pnl, b.layer_pnl, sizeof a.layer_pnl) == 0 && a.exit_day == b.exit_day &&
           a.exit_reason == b.exit_reason && a.layers_opened == b.layers_opened;
}

bool same_bits(const CondorMark& a, const CondorMark& b) {
    return a.value == b.value && a.half_spread == b.half_spread && a.short_put_delta == b.short_put_delta &&
           a.short_call_delta == b.short_call_delta;
}

// The naked and alvh strategies, then kOtherCondors: four strategies, six pairs.
Scenario four_strategies_scenario(std::uint32_t paths) {
    return load_scenario_text(default_model_text() + kStrategies + kOtherCondors, "shared_marks.toml",
                              {"run.days=31", "run.seed=5", "run.paths=" + std::to_string(paths)});
}

// The strategy kernel (kernels/strategy_chunk.h) warms up the indicators any
// strategy reads once per path, runs a path's strategies one after the other,
// and lets strategies in a row that trade the same condor share its daily marks
// (CondorMarkLog). Every outcome must keep the bits of its strategy run alone on
// that path, and the log must hold, day by day, the marks computed afresh.

TEST(StrategyKernel, SharedCondorMarksKeepTheBitsOfEachStrategyRunAlone) {
    constexpr std::uint32_t kPaths = 2048;
    const Scenario s = four_strategies_scenario(kPaths);
    const StrategyRunParams p = make_strategy_params(s, *shared_tables());
    ASSERT_EQ(p.strategy_count, 4);
    ASSERT_TRUE(same_condor(p.strategies[0], p.strategies[1])) << "naked and alvh share their condor";
    ASSERT_FALSE(same_condor(p.strategies[1], p.strategies[2])) << "wider has other strikes";
    ASSERT_FALSE(same_condor(p.strategies[2], p.strategies[3]));
    ASSERT_NE(p.strategies[1].indicators_used & p.strategies[2].indicators_used, 0u) << "an indicator both read";
    ASSERT_NE(p.strategies[2].indicators_used & ~p.strategies[1].indicators_used, 0u) << "one alvh does not read";

    const auto runner = make_cpu_runner<double>(make_sim_params<double>(s), make_stats_layout(s), kPaths, 2, &p);
    const std::vector<TradeOutcome> outcomes = run_chunk_trades(*runner, kPaths).outcomes;
    std::vector<double> daily[kDailySeriesCount];
    runner->copy_first_paths(int(kPaths), daily);

    int differing = 0, shared_days = 0;
    for (std::uint32_t i = 0; i < kPaths; ++i) {
        const PathHistory<double> h{
            daily[kSpx].data(), daily[kVix].data(), daily[kVarX].data(), daily[kVarY].data(), kPaths, i};
        for (int k = 0; k < p.strategy_count; ++k)
            differing += !same_bits(outcomes[std::size_t(k) * kPaths + i], run_strategy(p, k, h));

        CondorMarkLog log;
        const TradeOutcome naked = run_strategy(p, 0, h, nullptr, &log);
        ASSERT_EQ(log.days, std::min(naked.exit_day + 1, kLoggedCondorDays)) << "path " << i;
        const StrategyParams& st = p.strategies[0];
        for (int d = 0; d < log.days; ++d) {
            const int day = p.entry_day + d;
            const MarketState m = {h.spx_at(day), h.vix_at(day), h.x_at(day), h.y_at(day)};
            const double tau = double(st.life_days - d) / kTradingDaysPerYear;
            ASSERT_TRUE(same_bits(log.marks[d], mark_condor(p, st.costs, log.strikes, m, tau)))
                << "path " << i << ", day " << d;
        }
        const int before = log.days;
        const TradeOutcome alvh = run_strategy(p, 1, h, nullptr, &log);
        EXPECT_EQ(log.days, std::max(before, std::min(alvh.exit_day + 1, kLoggedCondorDays)));
        shared_days += std::min(before, alvh.exit_day + 1);
    }
    EXPECT_EQ(differing, 0) << "outcomes that differ from their strategy run alone";
    std::printf("alvh read %d logged marks on %u paths\n", shared_days, kPaths);
    EXPECT_GT(shared_days, int(kPaths) * 5) << "the test needs trades that last";
}

// The GPU runs a chunk's paths in the order of a sort key (kernels/strategy_order.h):
// the strategy kernel run in any order of the paths must give each path the
// outcomes and class it has in path order, bit for bit.
TEST(StrategyKernel, AnyOrderOfThePathsGivesTheSameOutcomes) {
    constexpr std::uint32_t kPaths = 1024;
    const Scenario s = four_strategies_scenario(kPaths);
    const StrategyRunParams p = make_strategy_params(s, *shared_tables());
    const auto runner = make_cpu_runner<double>(make_sim_params<double>(s), make_stats_layout(s), kPaths, 2, &p);
    const ChunkTrades in_path_order = run_chunk_trades(*runner, kPaths);
    std::vector<double> daily[kDailySeriesCount];
    runner->copy_first_paths(int(kPaths), daily);

    ChunkView<double> view{};
    view.count = view.stride = kPaths;
    for (int k = 0; k < kDailySeriesCount; ++k) view.daily[k] = daily[k].data();
    std::vector<std::uint32_t> keys(kPaths), order(kPaths);
    const StrategyOrderKeyFn<double> key{&p, view, keys.data(), order.data()};
    for (std::uint32_t i = 0; i < kPaths; ++i) key(i);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    ASSERT_FALSE(std::is_sorted(order.begin(), order.end())) << "the key must move some paths";
    std::vector<TradeOutcome> outcomes(std::size_t(p.strategy_count) * kPaths);
    std::vector<std::uint8_t> classes(kPaths);
    const StrategyChunkFn<double> fn{&p, view, outcomes.data(), classes.data(), order.data()};
    for (std::uint32_t t = 0; t < kPaths; ++t) fn(t);

    int differing = 0;
    for (std::size_t k = 0; k < outcomes.size(); ++k) differing += !same_bits(outcomes[k], in_path_order.outcomes[k]);
    EXPECT_EQ(differing, 0) << "outcomes that differ from the path-order run";
    EXPECT_EQ(classes, in_path_order.classes);
}

// kernels/trade_stats.h against the outcomes read one by one: the CPU runner's
// block sums of a chunk of four strategies (six pairs, two full blocks and a
// part) hold the paths, reasons, P&L and exit days that the outcomes give per
// strategy, pair and class, and are the host's block-at-a-time reduction bit
// for bit.
TEST(StrategyBlockSums, MatchTheOutcomesReadOneByOne) {
    constexpr std::uint32_t kPaths = 2 * kStatsBlock + 952;
    const Scenario s = four_strategies_scenario(kPaths);
    const StrategyRunParams p = make_strategy_params(s, *shared_tables());
    const auto runner = make_cpu_runner<double>(make_sim_params<double>(s), make_stats_layout(s), kPaths, 2, &p);
    const ChunkTrades trades = run_chunk_trades(*runner, kPaths);
    const StrategyTotals& blocks = trades.blocks;
    const std::vector<TradeOutcome>& outcomes = trades.outcomes;
    const std::vector<std::uint8_t>& classes = trades.classes;
    ASSERT_EQ(blocks.blocks, 3u);

    std::vector<unsigned long long> host_counts;
    EXPECT_EQ(differing_block_sums(blocks, reduce_on_host(p, outcomes, classes, host_counts)), 0);
    const std::vector<unsigned long long> counts = runner->trade_histograms();
    EXPECT_EQ(counts, host_counts);

    auto in_class = [&](std::uint32_t i, int c) { return c == kAllPaths || classes[i] == c; };
    for (int row = 0; row < trade_rows(p.strategy_count); ++row) {
        const int k = row / kPathClassCount, c = row % kPathClassCount;
        const StrategyParams& st = p.strategies[k];
        std::uint64_t paths = 0, reasons[kExitReasonCount] = {};
        double pnl = 0;
        std::vector<unsigned long long> exit_days(exit_day_bins(st), 0), bins(kPnlBins + 2, 0);
        for (std::uint32_t i = 0; i < kPaths; ++i) {
            if (!in_class(i, c)) continue;
            const TradeOutcome& o = outcomes[std::size_t(k) * kPaths + i];
            ++paths;
            ++reasons[o.exit_reason];
            pnl += o.pnl_total;
            ++exit_days[std::size_t(o.exit_reason) * (st.life_days + 1) + o.exit_day];
            ++bins[pnl_bin(o.pnl_total, st.risk_budget)];
        }
        std::uint64_t block_paths = 0, block_reasons[kExitReasonCount] = {};
        double block_pnl = 0;
        for (std::uint32_t b = 0; b < blocks.blocks; ++b) {
            const TradeBlockSums& t = blocks.sums[std::size_t(row) * blocks.blocks + b];
            block_paths += t.paths;
            for (int r = 0; r < kExitReasonCount; ++r) block_reasons[r] += t.reasons[r];
            block_pnl += t.pnl.value();
        }
        SCOPED_TRACE("strategy " + std::to_string(k) + ", class " + kPathClassNames[c]);
        EXPECT_EQ(block_paths, paths);
        for (int r = 0; r < kExitReasonCount; ++r) EXPECT_EQ(block_reasons[r], reasons[r]);
        EXPECT_NEAR(block_pnl, pnl, 1e-9 * (1 + std::abs(pnl)));
        const unsigned long long* h = counts.data() + trade_histogram_offset(p, row);
        EXPECT_EQ(std::vector<unsigned long long>(h, h + exit_days.size()), exit_days);
        EXPECT_EQ(std::vector<unsigned long long>(h + exit_days.size(), h + exit_days.size() + bins.size()), bins);
    }
    for (int row = 0; row < pair_rows(p.strategy_count); ++row) {
        const int pair = row / kPathClassCount, c = row % kPathClassCount;
        const auto [a, b] = pair_strategies(pair, p.strategy_count);
        std::uint64_t paths = 0, earlier = 0;
        double pnl_diff = 0;
        for (std::uint32_t i = 0; i < kPaths; ++i) {
            if (!in_class(i, c)) continue;
            const TradeOutcome& oa = outcomes[std::size_t(a) * kPaths + i];
            const TradeOutcome& ob = outcomes[std::size_t(b) * kPaths + i];
            ++paths;
            earlier += ob.exit_day < oa.exit_day;
            pnl_diff += ob.pnl_total - oa.pnl_total;
        }
        std::uint64_t block_paths = 0, block_earlier = 0;
        double block_pnl_diff = 0;
        for (std::uint32_t blk = 0; blk < blocks.blocks; ++blk) {
            const PairBlockSums& t = blocks.pair_sums[std::size_t(row) * blocks.blocks + blk];
            block_paths += t.paths;
            block_earlier += t.earlier;
            block_pnl_diff += t.pnl_diff.value();
        }
        SCOPED_TRACE("pair " + std::to_string(a) + "-" + std::to_string(b) + ", class " + kPathClassNames[c]);
        EXPECT_EQ(block_paths, paths);
        EXPECT_EQ(block_earlier, earlier);
        EXPECT_NEAR(block_pnl_diff, pnl_diff, 1e-9 * (1 + std::abs(pnl_diff)));
    }
}

// Stopping on precision (DESIGN §6): whole batches until the half-width of the
// paired P&L difference is at most the target; one batch fewer would not do.
TEST(PrecisionStop, StopsAtTheFirstBatchThatMeetsTheTarget) {
    Scenario s = optional_stopping_scenario(1 << 20, 21);
    s.precision.enabled = true;
    s.precision.statistic = PrecisionStatistic::pnl_diff;
    s.precision.half_width = 0.08;  // percent of the risk budget
    s.precision.batch_paths = 2048;
    const RunOutput out = run(s);
    ASSERT_TRUE(out.precision_met);
    EXPECT_EQ(out.paths % 2048, 0u);
    EXPECT_LT(out.paths, std::uint64_t(1) << 20);
    EXPECT_LE(out.precision_half_width, 0.08);
    const PairClassSummary& all = out.strategies.pairs.at(0).classes[kAllPaths];
    EXPECT_EQ(all.paths, out.paths);
    EXPECT_NEAR((all.pnl_diff_ci[1] - all.pnl_diff_ci[0]) / 2 * 100 / out.strategies.strategies[0].risk_budget,
                out.precision_half_width, 1e-9);
    // One batch fewer, as a plain run of that many paths: the target is not met.
    Scenario fewer = optional_stopping_scenario(out.paths - 2048, 21);
    const RunOutput before = run(fewer);
    const PairClassSummary& b = before.strategies.pairs.at(0).classes[kAllPaths];
    EXPECT_GT((b.pnl_diff_ci[1] - b.pnl_diff_ci[0]) / 2 * 100 / before.strategies.strategies[0].risk_budget, 0.08);
    std::printf("precision target 0.08%% of risk met after %llu paths (half-width %.4f)\n",
                (unsigned long long)out.paths, out.precision_half_width);
}

// The paired 95% intervals (B - A, same paths) cover the true difference in about
// 95% of independent runs. The truth is a run 100 times as large (its own error is
// a tenth of one run's). With 200 runs the coverage has sd 1.5 points.
TEST(PairedComparison, ConfidenceIntervalsCoverTheTrueDifference) {
    const RunOutput truth = run(optional_stopping_scenario(200000, 999));
    const PairClassSummary& t = truth.strategies.pairs.at(0).classes[kAllPaths];
    const int runs = 200;
    int pnl_covered = 0, exit_covered = 0;
    for (int k = 0; k < runs; ++k) {
        const RunOutput one = run(optional_stopping_scenario(2000, 5000 + k));
        const PairClassSummary& c = one.strategies.pairs.at(0).classes[kAllPaths];
        pnl_covered += c.pnl_diff_ci[0] <= t.pnl_diff_mean && t.pnl_diff_mean <= c.pnl_diff_ci[1];
        exit_covered += c.exit_day_diff_ci[0] <= t.exit_day_diff_mean && t.exit_day_diff_mean <= c.exit_day_diff_ci[1];
    }
    const double sd = std::sqrt(0.95 * 0.05 / runs);
    std::printf("coverage over %d runs: P&L difference %.3f, exit-day difference %.3f (nominal 0.95, sd %.3f)\n", runs,
                double(pnl_covered) / runs, double(exit_covered) / runs, sd);
    EXPECT_NEAR(double(pnl_covered) / runs, 0.95, 4 * sd);
    EXPECT_NEAR(double(exit_covered) / runs, 0.95, 4 * sd);
}

}  // namespace
}  // namespace condor
