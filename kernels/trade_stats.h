// Block statistics of the strategies' outcomes, formed where the outcomes are
// (DESIGN §6): the same code on both backends sums each 1024-path block of a
// chunk per (strategy, path class) and per (pair of strategies, path class),
// and counts exit days and P&L bins into whole-run histograms. The host adds
// the blocks in block order (host/strategy_stats.cpp), so every figure is
// bit-identical for any chunk size and thread count; on the GPU only these
// sums, not the 80 bytes per path and strategy, travel to the host.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/chunk.h"
#include "kernels/compensated_sum.h"
#include "kernels/strategy_params.h"

namespace condor {

// The P&L histogram: kPnlBins bins over [-1.5, 5] risk budgets (0.05% of the
// budget each), plus an underflow and an overflow bin.
inline constexpr int kPnlBins = 13000;
inline constexpr double kPnlLowBudgets = -1.5, kPnlHighBudgets = 5.0;

// One strategy's outcomes in one path class over one block.
struct TradeBlockSums {
    CompensatedSum pnl, pnl_sq, condor, hedge, hedge_cost, mae, credit, exit_day, exit_day_sq;  // dollars, days
    CompensatedSum underflow_sum;  // P&L below the histogram, for exact tail means
    CompensatedSum layer[kMaxLayers], layer_sq[kMaxLayers];
    std::uint32_t paths = 0, profit = 0, stop = 0;
    std::uint32_t reasons[kExitReasonCount] = {};
};

// Differences B - A of two strategies on the same paths of one class over one block.
struct PairBlockSums {
    CompensatedSum exit_diff, exit_diff_sq, pnl_diff, pnl_diff_sq;  // trading days, dollars
    std::uint32_t paths = 0, earlier = 0, better = 0;
};

// Rows of the block statistics: (strategy, class) rows, then (pair, class) rows.
CONDOR_HD inline int trade_rows(int strategies) { return strategies * kPathClassCount; }
CONDOR_HD inline int pair_rows(int strategies) { return strategies * (strategies - 1) / 2 * kPathClassCount; }

// Histogram counts of one (strategy, class) row: exit days by reason, then P&L bins.
CONDOR_HD inline std::size_t exit_day_bins(const StrategyParams& st) {
    return std::size_t(kExitReasonCount) * (st.life_days + 1);
}
CONDOR_HD inline std::size_t trade_histogram_size(const StrategyParams& st) { return exit_day_bins(st) + kPnlBins + 2; }
// Where row `row`'s counts start in the whole-run histogram array.
CONDOR_HD inline std::size_t trade_histogram_offset(const StrategyRunParams& p, int row) {
    std::size_t offset = 0;
    for (int s = 0; s < row / kPathClassCount; ++s) offset += kPathClassCount * trade_histogram_size(p.strategies[s]);
    return offset + (row % kPathClassCount) * trade_histogram_size(p.strategies[row / kPathClassCount]);
}
CONDOR_HD inline std::size_t trade_histogram_total(const StrategyRunParams& p) {
    return trade_histogram_offset(p, trade_rows(p.strategy_count));
}

// P&L bin of a trade: 0 underflow, 1..kPnlBins interior, kPnlBins + 1 overflow.
CONDOR_HD inline int pnl_bin(double pnl_dollars, double risk_budget) {
    const double t = (pnl_dollars / risk_budget - kPnlLowBudgets) / (kPnlHighBudgets - kPnlLowBudgets) * kPnlBins;
    return t < 0 ? 0 : t >= kPnlBins ? kPnlBins + 1 : 1 + int(t);
}

// Reduces one row over one block of a chunk's outcomes ([strategy * count + path])
// and path classes: writes sums[row * blocks + block] (trade rows) or
// pair_sums[(row - trade rows) * blocks + block] (pair rows), and counts the
// trade rows' exit days and P&L bins into `histograms`. `Atomic`: threads share
// the histograms (GPU); on the CPU each thread has its own.
template <bool Atomic>
struct ReduceTradeBlockFn {
    const StrategyRunParams* params;  // in the memory the backend runs in
    const TradeOutcome* outcomes;
    const std::uint8_t* classes;
    std::uint32_t count;   // paths in the chunk
    std::uint32_t blocks;  // blocks in the chunk
    TradeBlockSums* sums;
    PairBlockSums* pair_sums;
    unsigned long long* histograms;

    CONDOR_HD void operator()(int row, std::uint32_t block) const {
        const int strategies = params->strategy_count;
        const std::uint32_t begin = block * kStatsBlock;
        const std::uint32_t end = begin + kStatsBlock < count ? begin + kStatsBlock : count;
        if (row < trade_rows(strategies))
            reduce_trades(row, block, begin, end);
        else
            reduce_pair(row - trade_rows(strategies), block, begin, end);
    }

    // Whether path i belongs to class c (kAllPaths holds every path).
    CONDOR_HD bool in_class(std::uint32_t i, int c) const { return c == kAllPaths || classes[i] == c; }

    CONDOR_HD void reduce_trades(int row, std::uint32_t block, std::uint32_t begin, std::uint32_t end) const {
        const int s = row / kPathClassCount, c = row % kPathClassCount;
        const StrategyParams& st = params->strategies[s];
        unsigned long long* exit_days = histograms + trade_histogram_offset(*params, row);
        unsigned long long* pnl_counts = exit_days + exit_day_bins(st);
        const TradeOutcome* trades = outcomes + std::size_t(s) * count;
        TradeBlockSums a;
        for (std::uint32_t i = begin; i < end; ++i) {
            if (!in_class(i, c)) continue;
            const TradeOutcome& o = trades[i];
            const int bin = pnl_bin(o.pnl_total, st.risk_budget);
            a.pnl.add(o.pnl_total);
            a.pnl_sq.add_square(o.pnl_total);
            a.condor.add(o.pnl_condor);
            a.hedge.add(o.pnl_hedge);
            a.hedge_cost.add(o.hedge_cost);
            a.mae.add(o.mae);
            a.credit.add(o.credit);
            a.exit_day.add(o.exit_day);
            a.exit_day_sq.add_square(o.exit_day);
            if (bin == 0) a.underflow_sum.add(o.pnl_total);
            // Layer slots and reasons by constant indices, so that a GPU thread
            // keeps its sums in registers (with a variable index they were in
            // local memory: a 384-byte stack frame).
            CONDOR_GPU_UNROLLED
            for (int l = 0; l < kMaxLayers; ++l) {
                if (l >= st.layer_count) continue;
                a.layer[l].add(o.layer_pnl[l]);
                a.layer_sq[l].add_square(o.layer_pnl[l]);
            }
            ++a.paths;
            a.profit += o.pnl_total > 0;
            a.stop += o.exit_reason == kExitStop;
            CONDOR_GPU_UNROLLED
            for (int r = 0; r < kExitReasonCount; ++r) a.reasons[r] += o.exit_reason == r;
            increment_count<Atomic>(exit_days + std::size_t(o.exit_reason) * (st.life_days + 1) + o.exit_day);
            increment_count<Atomic>(pnl_counts + bin);
        }
        sums[std::size_t(row) * blocks + block] = a;
    }

    CONDOR_HD void reduce_pair(int pair_row, std::uint32_t block, std::uint32_t begin, std::uint32_t end) const {
        const int pair = pair_row / kPathClassCount, c = pair_row % kPathClassCount;
        // Pairs are numbered (0, 1), (0, 2), ..., (1, 2), ...: a before b in file order.
        int a = 0, b = 1;
        for (int k = 0; k < pair; ++k)
            if (++b == params->strategy_count) b = ++a + 1;
        const TradeOutcome* trades_a = outcomes + std::size_t(a) * count;
        const TradeOutcome* trades_b = outcomes + std::size_t(b) * count;
        PairBlockSums p;
        for (std::uint32_t i = begin; i < end; ++i) {
            if (!in_class(i, c)) continue;
            const TradeOutcome& oa = trades_a[i];
            const TradeOutcome& ob = trades_b[i];
            const double d_exit = double(ob.exit_day) - oa.exit_day, d_pnl = ob.pnl_total - oa.pnl_total;
            p.exit_diff.add(d_exit);
            p.exit_diff_sq.add_square(d_exit);
            p.pnl_diff.add(d_pnl);
            p.pnl_diff_sq.add_square(d_pnl);
            ++p.paths;
            p.earlier += ob.exit_day < oa.exit_day;
            p.better += ob.pnl_total > oa.pnl_total;
        }
        pair_sums[std::size_t(pair_row) * blocks + block] = p;
    }
};

}  // namespace condor
