// Market indicators computed along each path from its daily closes (DESIGN §5),
// updated once per close from day 0 (the start of the warm-up history), so that
// long lookbacks are defined at entry. Trade-dependent indicators (days in
// trade, P&L) are supplied by the strategy (kernels/strategy.h).
#pragma once

#include <cmath>

#include "kernels/platform.h"
#include "kernels/strategy_params.h"

namespace condor {

// The daily closes of one path as the simulation stored them ([day][path]).
template <class Real>
struct PathHistory {
    const Real* spx;
    const Real* vix;
    const Real* x;
    const Real* y;
    std::uint32_t stride, i;
    CONDOR_HD double spx_at(int day) const { return double(spx[std::size_t(day) * stride + i]); }
    CONDOR_HD double vix_at(int day) const { return double(vix[std::size_t(day) * stride + i]); }
    CONDOR_HD double x_at(int day) const { return double(x[std::size_t(day) * stride + i]); }
    CONDOR_HD double y_at(int day) const { return double(y[std::size_t(day) * stride + i]); }
};

// Volatility of VIX under Q, in percent per sqrt(year), from the state. With
// V = VIX^2 / 100^2 = a + b_x x + b_y y (kernels/vix_index.h) and ln VIX = ln V / 2,
// the variance rate of ln VIX is
//     (b_x sigma_x)^2 x / (4 V^2)                          (diffusion of x, Ito)
//   + lambda_Q E[(ln(1 + c J / V) / 2)^2],  c = b_x phi + b_y (1 - phi)
// (each jump J ~ Exp(mu_v) adds c J to V), the expectation by 8-point
// Gauss-Laguerre quadrature. This is the model's counterpart of the CBOE VVIX
// (which is read from 30-day VIX options): it says how much VIX is expected to
// move, without a VIX option strip per close. In this model it falls as VIX
// rises (jumps add a fixed variance, so they move a high VIX less in percent).
CONDOR_HD CONDOR_OUTLINE double model_vvix(const StrategyRunParams& p, double x, double y) {
    constexpr double nodes[8] = {0.17027963230510093, 0.90370177679938002, 2.2510866298661312, 4.2667001702876588,
                                 7.0459054023934655,  10.758516010180996,  15.740678641278004, 22.863131736889265};
    constexpr double weights[8] = {0.36918858934163495,    0.41878678081434467,   0.17579498663717255,
                                   0.033343492261215794,   0.0027945362352256834, 9.0765087733581389e-05,
                                   8.4857467162725705e-07, 1.0480011748715153e-09};
    const VixCoefficients& c = p.vix30;
    const double xp = x > 0 ? x : 0.0;
    double v = c.a + c.b_x * xp + c.b_y * y;
    v = v > 1e-8 ? v : 1e-8;
    const double diffusion = c.b_x * c.b_x * p.shared.sigma_x * p.shared.sigma_x * xp / (4 * v * v);
    const double loading = c.b_x * p.shared.phi + c.b_y * (1 - p.shared.phi);
    double jumps = 0;
    for (int k = 0; k < 8; ++k) {
        const double half_log = 0.5 * log1p(loading * p.q.mu_v * nodes[k] / v);
        jumps += weights[k] * half_log * half_log;
    }
    return 100 * sqrt(diffusion + p.q.lambda * jumps);
}

// VIX3M - VIX in points: the 93-day index from the same state (vix_index.h with tau = 93/365).
CONDOR_HD inline double term_slope(const StrategyRunParams& p, double x, double y) {
    const double xp = x > 0 ? x : 0.0;
    const double v3 = p.vix93.a + p.vix93.b_x * xp + p.vix93.b_y * y;
    const double v1 = p.vix30.a + p.vix30.b_x * xp + p.vix30.b_y * y;
    return 100 * (sqrt(v3 > 0 ? v3 : 0.0) - sqrt(v1 > 0 ? v1 : 0.0));
}

template <class Real>
CONDOR_HD inline double indicator_input(const StrategyRunParams& p, const PathHistory<Real>& h, IndicatorSeries s,
                                        int day) {
    if (s == IndicatorSeries::vix) return h.vix_at(day);
    return model_vvix(p, h.x_at(day), h.y_at(day));
}

// Running state of one indicator; `value` is its value at the last close.
struct IndicatorState {
    double e1 = 0, e2 = 0, e3 = 0;  // EMAs (ema, macd), or Wilder's average gain and loss (rsi)
    double sum = 0;                 // running sum (sma)
    double last_input = 0;
    double value = 0;
};

// Exponential moving average step with smoothing alpha (seeded with the first input).
CONDOR_HD inline double ema_step(double previous, double input, double alpha, bool first) {
    return first ? input : previous + alpha * (input - previous);
}

// Whether an indicator's value depends on its earlier updates (running sums and
// averages), so that it must be updated from the first close.
CONDOR_HD inline bool has_memory(IndicatorKind kind) {
    switch (kind) {
        case IndicatorKind::sma:
        case IndicatorKind::ema:
        case IndicatorKind::rsi:
        case IndicatorKind::macd:
        case IndicatorKind::macd_signal:
        case IndicatorKind::macd_hist:
            return true;
        default:
            return false;
    }
}

// Advances indicator `spec` to the close of `day` (days must come in order from 0).
// Lookbacks longer than the history so far use what there is (validation keeps
// them within the warm-up, so they are complete from entry on).
template <class Real>
CONDOR_HD CONDOR_ALWAYS_INLINE void indicator_step(const StrategyRunParams& p, const IndicatorSpec& spec,
                                                   const PathHistory<Real>& h, int day, IndicatorState& s) {
    const bool first = day == 0;
    switch (spec.kind) {
        case IndicatorKind::vix:
            s.value = h.vix_at(day);
            break;
        case IndicatorKind::vvix:
            s.value = model_vvix(p, h.x_at(day), h.y_at(day));
            break;
        case IndicatorKind::term_slope:
            s.value = term_slope(p, h.x_at(day), h.y_at(day));
            break;
        case IndicatorKind::sma: {
            s.sum += indicator_input(p, h, spec.series, day);
            if (day >= spec.n1) s.sum -= indicator_input(p, h, spec.series, day - spec.n1);
            s.value = s.sum / double(day + 1 < spec.n1 ? day + 1 : spec.n1);
            break;
        }
        case IndicatorKind::ema:
            s.value = s.e1 = ema_step(s.e1, indicator_input(p, h, spec.series, day), 2.0 / (spec.n1 + 1), first);
            break;
        case IndicatorKind::rsi: {
            // Wilder (1978): average gain and loss smoothed with alpha = 1/n; RSI = 100 - 100 / (1 + gain/loss).
            const double input = indicator_input(p, h, spec.series, day);
            const double change = first ? 0.0 : input - s.last_input;
            s.last_input = input;
            const double alpha = 1.0 / spec.n1;
            s.e1 = ema_step(s.e1, change > 0 ? change : 0.0, alpha, first);
            s.e2 = ema_step(s.e2, change < 0 ? -change : 0.0, alpha, first);
            s.value = s.e1 + s.e2 > 0 ? 100.0 * s.e1 / (s.e1 + s.e2) : 50.0;
            break;
        }
        case IndicatorKind::macd:
        case IndicatorKind::macd_signal:
        case IndicatorKind::macd_hist: {
            // Appel's MACD: EMA(fast) - EMA(slow), its signal line EMA(signal) of that.
            const double input = indicator_input(p, h, spec.series, day);
            s.e1 = ema_step(s.e1, input, 2.0 / (spec.n1 + 1), first);
            s.e2 = ema_step(s.e2, input, 2.0 / (spec.n2 + 1), first);
            const double line = s.e1 - s.e2;
            s.e3 = ema_step(s.e3, line, 2.0 / (spec.n3 + 1), first);
            s.value = spec.kind == IndicatorKind::macd          ? line
                      : spec.kind == IndicatorKind::macd_signal ? s.e3
                                                                : line - s.e3;
            break;
        }
        case IndicatorKind::spx_return: {
            const int back = day >= spec.n1 ? day - spec.n1 : 0;
            s.value = 100.0 * (h.spx_at(day) / h.spx_at(back) - 1.0);
            break;
        }
        case IndicatorKind::spx_drawdown: {
            // The window's highest close is kept with the day it was set (e1, e2;
            // e3 = 1 once set): a new close tops it or not, and the window is read
            // again only when that day leaves it. About one read a close instead
            // of n1 (perf: the rescans were a fifth of the indicators' time), and
            // the same maximum. The closes must come one by one.
            const int first = day >= spec.n1 - 1 ? day - spec.n1 + 1 : 0;
            const double close = h.spx_at(day);
            if (s.e3 > 0 && s.e2 >= first) {
                if (close >= s.e1) s.e1 = close, s.e2 = day;
            } else {
                s.e1 = 0, s.e2 = first, s.e3 = 1;
                for (int d = first; d <= day; ++d)
                    if (h.spx_at(d) >= s.e1) s.e1 = h.spx_at(d), s.e2 = d;
            }
            s.value = 100.0 * (1.0 - close / s.e1);
            break;
        }
        default:
            break;  // trade-dependent kinds are not market indicators
    }
}

// Advances indicator `spec` through the closes first_day..last_day, in order.
// The warm-up's closes (199 of a 200-day warm-up) are one call, not 199: the
// kind's branch is then loop-invariant, and perf had the per-close calls at 11%
// of a default run.
template <class Real>
CONDOR_HD CONDOR_OUTLINE void advance_indicator(const StrategyRunParams& p, const IndicatorSpec& spec,
                                                const PathHistory<Real>& h, int first_day, int last_day,
                                                IndicatorState& s) {
    // A local copy: `s` could alias the history's arrays, which would send
    // every step's state through memory.
    IndicatorState local = s;
    for (int day = first_day; day <= last_day; ++day) indicator_step(p, spec, h, day, local);
    s = local;
}

// One close: advance_indicator for the single day `day`.
template <class Real>
CONDOR_HD inline void update_indicator(const StrategyRunParams& p, const IndicatorSpec& spec,
                                       const PathHistory<Real>& h, int day, IndicatorState& s) {
    advance_indicator(p, spec, h, day, day, s);
}

// What a strategy supplies for the trade-dependent operands.
struct TradeIndicators {
    double days_in_trade = 0, condor_pnl = 0, position_pnl = 0;
};

CONDOR_HD inline double operand_value(const Operand& o, const IndicatorState* market, const TradeIndicators& trade) {
    if (o.constant) return o.value;
    if (o.indicator >= 0) return market[o.indicator].value;
    switch (o.trade_kind) {
        case IndicatorKind::days_in_trade:
            return trade.days_in_trade;
        case IndicatorKind::condor_pnl:
            return trade.condor_pnl;
        default:
            return trade.position_pnl;
    }
}

// Condition c today; `previous_gap` is lhs - rhs at the previous close (for
// crossings, whose operands are market indicators: validation sees to that).
CONDOR_HD inline bool condition_holds(const ConditionParams& c, const IndicatorState* market,
                                      const TradeIndicators& trade, double previous_gap) {
    const double lhs = operand_value(c.lhs, market, trade), rhs = operand_value(c.rhs, market, trade);
    switch (c.op) {
        case CompareOp::greater:
            return lhs > rhs;
        case CompareOp::less:
            return lhs < rhs;
        case CompareOp::greater_equal:
            return lhs >= rhs;
        case CompareOp::less_equal:
            return lhs <= rhs;
        case CompareOp::crosses_above:
            return lhs > rhs && previous_gap <= 0;
        case CompareOp::crosses_below:
            return lhs < rhs && previous_gap >= 0;
    }
    return false;
}

CONDOR_HD CONDOR_OUTLINE bool all_hold(const StrategyRunParams& p, const ConditionList& list,
                                       const IndicatorState* market, const TradeIndicators& trade,
                                       const double* previous_gaps) {
    for (int k = list.first; k < list.first + list.count; ++k)
        if (!condition_holds(p.conditions[k], market, trade, previous_gaps[k])) return false;
    return true;
}

}  // namespace condor
