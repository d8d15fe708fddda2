// Test helper: every figure of two runs' strategy statistics, bit for bit
// (DESIGN §2: the same on one backend for any chunk size, thread or device count).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "host/strategy_stats.h"
#include "kernels/trade_stats.h"

namespace condor::test {

// Whether n doubles have the same bits (EXPECT_EQ on doubles: NaN, an empty
// class's mean, would compare unequal to itself).
inline bool same_bits(const double* a, const double* b, std::size_t n = 1) {
    return std::memcmp(a, b, n * sizeof(double)) == 0;
}

inline void expect_identical_strategy_statistics(const StrategyResults& a, const StrategyResults& b) {
    ASSERT_EQ(a.strategies.size(), b.strategies.size());
    for (std::size_t i = 0; i < a.strategies.size(); ++i)
        for (int c = 0; c < kPathClassCount; ++c) {
            const ClassSummary& x = a.strategies[i].classes[c];
            const ClassSummary& y = b.strategies[i].classes[c];
            SCOPED_TRACE("strategy " + std::to_string(i) + ", class " + kPathClassNames[c]);
            EXPECT_EQ(x.paths, y.paths);
            EXPECT_TRUE(same_bits(&x.pnl_mean, &y.pnl_mean));
            EXPECT_TRUE(same_bits(&x.pnl_sd, &y.pnl_sd));
            EXPECT_TRUE(same_bits(&x.hedge_cost_mean, &y.hedge_cost_mean));
            EXPECT_TRUE(same_bits(&x.exit_day_mean, &y.exit_day_mean));
            EXPECT_EQ(x.reason_counts, y.reason_counts);
            EXPECT_EQ(x.exit_day_histogram, y.exit_day_histogram);
            EXPECT_EQ(x.pnl_histogram, y.pnl_histogram);
            ASSERT_EQ(x.es.size(), y.es.size());
            EXPECT_TRUE(same_bits(x.es.data(), y.es.data(), x.es.size()));
            ASSERT_EQ(x.layer_pnl_mean.size(), y.layer_pnl_mean.size());
            EXPECT_TRUE(same_bits(x.layer_pnl_mean.data(), y.layer_pnl_mean.data(), x.layer_pnl_mean.size()));
        }
    ASSERT_EQ(a.pairs.size(), b.pairs.size());
    for (std::size_t k = 0; k < a.pairs.size(); ++k)
        for (int c = 0; c < kPathClassCount; ++c) {
            const PairClassSummary& x = a.pairs[k].classes[c];
            const PairClassSummary& y = b.pairs[k].classes[c];
            SCOPED_TRACE("pair " + std::to_string(k) + ", class " + kPathClassNames[c]);
            EXPECT_EQ(x.paths, y.paths);
            EXPECT_TRUE(same_bits(&x.exit_day_diff_mean, &y.exit_day_diff_mean));
            EXPECT_TRUE(same_bits(&x.pnl_diff_mean, &y.pnl_diff_mean));
            EXPECT_TRUE(same_bits(x.pnl_diff_ci, y.pnl_diff_ci, 2));
            EXPECT_TRUE(same_bits(&x.prob_b_better, &y.prob_b_better));
        }
    EXPECT_EQ(a.verdict, b.verdict);
}

// A chunk of paths from 0 run on a runner: its strategies' block sums (what
// run_strategies returned), outcomes and path classes.
struct ChunkTrades {
    StrategyTotals blocks;
    std::vector<TradeOutcome> outcomes;  // [strategy * count + path]
    std::vector<std::uint8_t> classes;
};

template <class Real>
ChunkTrades run_chunk_trades(ChunkRunner<Real>& runner, std::uint32_t count) {
    ChunkTotals totals;
    runner.run_chunk(0, count, totals);
    ChunkTrades t;
    runner.run_strategies(t.blocks);
    runner.copy_outcomes(t.outcomes, t.classes);
    return t;
}

// A chunk's outcomes reduced on the host, one block and row at a time:
// what either backend's run_strategies must return for them.
inline StrategyTotals reduce_on_host(const StrategyRunParams& p, const std::vector<TradeOutcome>& outcomes,
                                     const std::vector<std::uint8_t>& classes,
                                     std::vector<unsigned long long>& histograms) {
    const std::uint32_t count = std::uint32_t(classes.size());
    const int rows = trade_rows(p.strategy_count), all_rows = rows + pair_rows(p.strategy_count);
    StrategyTotals t;
    t.blocks = (count + kStatsBlock - 1) / kStatsBlock;
    t.sums.resize(std::size_t(rows) * t.blocks);
    t.pair_sums.resize(std::size_t(all_rows - rows) * t.blocks);
    histograms.assign(trade_histogram_total(p), 0);
    const ReduceTradeBlockFn<false> reduce{&p,       outcomes.data(), classes.data(),     count,
                                           t.blocks, t.sums.data(),   t.pair_sums.data(), histograms.data()};
    for (std::uint32_t b = 0; b < t.blocks; ++b)
        for (int row = 0; row < all_rows; ++row) reduce(row, b);
    return t;
}

inline bool same_bits(const CompensatedSum& a, const CompensatedSum& b) {
    const double x = a.value(), y = b.value();
    return same_bits(&x, &y);
}

inline bool same_bits(const TradeBlockSums& a, const TradeBlockSums& b) {
    bool same = same_bits(a.pnl, b.pnl) && same_bits(a.pnl_sq, b.pnl_sq) && same_bits(a.condor, b.condor) &&
                same_bits(a.hedge, b.hedge) && same_bits(a.hedge_cost, b.hedge_cost) && same_bits(a.mae, b.mae) &&
                same_bits(a.credit, b.credit) && same_bits(a.exit_day, b.exit_day) &&
                same_bits(a.exit_day_sq, b.exit_day_sq) && same_bits(a.underflow_sum, b.underflow_sum) &&
                a.paths == b.paths && a.profit == b.profit && a.stop == b.stop;
    for (int l = 0; l < kMaxLayers; ++l)
        same = same && same_bits(a.layer[l], b.layer[l]) && same_bits(a.layer_sq[l], b.layer_sq[l]);
    for (int k = 0; k < kExitReasonCount; ++k) same = same && a.reasons[k] == b.reasons[k];
    return same;
}

inline bool same_bits(const PairBlockSums& a, const PairBlockSums& b) {
    return same_bits(a.exit_diff, b.exit_diff) && same_bits(a.exit_diff_sq, b.exit_diff_sq) &&
           same_bits(a.pnl_diff, b.pnl_diff) && same_bits(a.pnl_diff_sq, b.pnl_diff_sq) && a.paths == b.paths &&
           a.earlier == b.earlier && a.better == b.better;
}

// How many block sums of two chunks' totals differ in any bit.
inline int differing_block_sums(const StrategyTotals& a, const StrategyTotals& b) {
    if (a.sums.size() != b.sums.size() || a.pair_sums.size() != b.pair_sums.size()) return -1;
    int differing = 0;
    for (std::size_t k = 0; k < a.sums.size(); ++k) differing += !same_bits(a.sums[k], b.sums[k]);
    for (std::size_t k = 0; k < a.pair_sums.size(); ++k) differing += !same_bits(a.pair_sums[k], b.pair_sums[k]);
    return differing;
}

}  // namespace condor::test
