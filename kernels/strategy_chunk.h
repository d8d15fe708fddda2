// The strategy kernel both backends launch after a chunk's paths are simulated:
// one thread per (strategy, path) reads the stored daily closes (common random
// numbers: every strategy sees the same path) and writes one TradeOutcome; the
// strategy-0 thread of each path also writes its path class.
#pragma once

#include <cstddef>

#include "kernels/chunk.h"
#include "kernels/strategy.h"

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
    CONDOR_HD void operator()(std::uint32_t index) const {
        const std::uint32_t s = index / view.count, i = index % view.count;
        const PathHistory<Real> history = chunk_history(view, i);
        outcomes[index] = run_strategy(*params, int(s), history);
        if (s == 0) classes[i] = std::uint8_t(classify_path(*params, history));
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
