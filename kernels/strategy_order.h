// The order in which a GPU's warps take a chunk's paths in the strategy kernel.
// A warp runs a function once for all of its threads that call it (SIMT), so
// paths that will trade alike (hedge layers open, trades of like length) should
// share warps. The key is read from the path before any strategy runs; each
// path's outcomes do not depend on the order, only the warps' work does.
// bench/warp_model.cpp measures that work per order on the CPU.
#pragma once

#include <cstdint>

#include "kernels/indicators.h"
#include "kernels/strategy_params.h"

namespace condor {

// Sort key of a path: the entry VIX in 4-point steps (hedge triggers read the
// VIX level), then the first trade day the SPX is half of the entry VIX's
// one-sd move over the longest trade away from its entry close (condor exits
// follow the SPX: delta breaches, and profit targets on calm paths). Among the
// keys bench/warp_model.cpp tried on the default scenario (VIX peak, mean or
// entry level, SPX moves, path class, a Black-Scholes proxy of the exits), this
// one cut the modelled warp calls most.
template <class Real>
CONDOR_HD inline std::uint32_t trade_order_key(const StrategyRunParams& p, const PathHistory<Real>& h) {
    const int horizon = p.longest_trade_days;
    const double entry_spx = h.spx_at(p.entry_day), entry_vix = h.vix_at(p.entry_day);
    // Half of one sd of ln SPX over the horizon at the entry VIX (percent per sqrt(year)).
    const double band = 0.5 * entry_vix / 100 * sqrt(horizon / kTradingDaysPerYear);
    int first_move = horizon + 1;
    for (int d = 1; d <= horizon; ++d)
        if (fabs(log(h.spx_at(p.entry_day + d) / entry_spx)) > band) {
            first_move = d;
            break;
        }
    const double vix_step = entry_vix / 4;
    const std::uint32_t vix_level = vix_step < 63 ? std::uint32_t(vix_step) : 63u;
    return vix_level << 16 | std::uint32_t(first_move);
}

}  // namespace condor
