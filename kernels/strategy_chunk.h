// The strategy kernel both backends launch after a chunk's paths are simulated:
// one thread per path reads the stored daily closes and runs every strategy on
// them (common random numbers: every strategy sees the same path), writing one
// TradeOutcome per strategy and the path's class. Strategies in a row that trade
// the same condor share its marks (CondorMarkLog). On the GPU the threads take
// the paths in the order of a sort key (kernels/strategy_order.h), so that a
// warp's paths trade alike.
#pragma once

#include <cstddef>

#include "kernels/chunk.h"
#include "kernels/strategy.h"
#include "kernels/strategy_order.h"

namespace condor {

template <class Real>
CONDOR_HD inline PathHistory<Real> chunk_history(const ChunkView<Real>& view, std::uint32_t i) {
    return PathHistory<Real>{view.daily[kSpx], view.daily[kVix], view.daily[kVarX], view.daily[kVarY], view.stride, i};
}

template <class Real>
struct StrategyChunkFn {
    const StrategyRunParams* params;  // in the memory the backend runs in
    ChunkView<Real> view;
    TradeOutcome* outcomes;  // [strategy * view.count + path]
    std::uint8_t* classes;   // [path]
    // Thread t runs path order[t] (kernels/strategy_order.h), or path t without
    // an order. A path's outcomes do not depend on which thread runs it.
    const std::uint32_t* order = nullptr;
    CONDOR_HD void operator()(std::uint32_t thread) const {
        const std::uint32_t i = order ? order[thread] : thread;
        const StrategyRunParams& p = *params;
        const PathHistory<Real> history = chunk_history(view, i);
        classes[i] = std::uint8_t(classify_path(p, history));
        if (p.strategy_count == 0) return;
        // One warm-up of the indicators any strategy reads: it depends on the path only.
        IndicatorState warm[kMaxIndicators];
        warm_up_indicators(p, p.indicators_used, history, warm);
        // One strategy after the other: on the GPU a warp's threads start
        // strategy s + 1 together, when the last of them has ended s. Back to
        // back (each thread starting its next trade on the pass after its own
        // ended, cc1e962 to 5c3c06f), a hedged strategy's trades spread over
        // more of the warp's passes, each pass paying for any thread's hedge
        // marks and layer entries: bench/warp_model counts 0.81 of the warp
        // calls one after the other (docs/performance.md).
        CondorMarkLog log;
        for (int s = 0; s < p.strategy_count; ++s) {
            if (!p.strategies[s].shares_previous_condor) log.days = 0;
            outcomes[std::size_t(s) * view.count + i] = run_trade(p, s, warm, history, nullptr, &log);
        }
    }
};

// The sort key of each path of a chunk (kernels/strategy_order.h) and the
// identity order, for a sort by key to permute.
template <class Real>
struct StrategyOrderKeyFn {
    const StrategyRunParams* params;  // in the memory the backend runs in
    ChunkView<Real> view;
    std::uint32_t* keys;   // [path]
    std::uint32_t* order;  // [path]
    CONDOR_HD void operator()(std::uint32_t i) const {
        keys[i] = trade_order_key(*params, chunk_history(view, i));
        order[i] = i;
    }
};

// Element counts of the arrays behind the table views of `p`, for copies to a device.
struct TableSizes {
    std::size_t spx_ratio = 0, vix_log_width = 0, vix_quantiles = 0, vix_cubic_weight = 0, vix_future_ratio = 0;
};

inline TableSizes table_sizes(const StrategyRunParams& p) {
    TableSizes n;
    const TableAxis* a = p.spx_table.axes;
    n.spx_ratio = std::size_t(a[0].nodes) * a[1].nodes * a[2].nodes * a[3].nodes;
    if (!p.has_vix_table) return n;
    const TableAxis* v = p.vix_table.axes;
    const std::size_t states = std::size_t(v[1].nodes) * v[2].nodes;
    n.vix_log_width = v[0].nodes * states;
    n.vix_quantiles = v[0].nodes * states * std::size_t(p.vix_table.levels) * 2;
    n.vix_cubic_weight = (v[0].nodes - 1) * states;
    const TableAxis* f = p.vix_table.future.axes;
    n.vix_future_ratio = std::size_t(f[0].nodes) * f[1].nodes * f[2].nodes;
    return n;
}

}  // namespace condor
