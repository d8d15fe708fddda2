// One strategy on one simulated path (DESIGN §5), written once for both
// backends: a short iron condor opened at the entry close, marked on every
// daily close from the pricing tables, closed by the first exit rule that fires,
// with the hedge layers of an adaptive layered VIX hedge (ALVH) opened and closed
// by their triggers. Every strategy of a scenario reads the same stored path
// (common random numbers).
//
// Order of events on each close after entry (docs/strategies.md):
//   1. indicators advance to the close; the condor and open layers are marked at mid;
//   2. layers reaching their expiry settle at intrinsic;
//   3. open layers close on their take-profit or exhaustion trigger;
//   4. the condor's exit rules are checked in the fixed priority stop, delta breach,
//      profit target, time (the expiry close settles the condor instead); on exit every
//      open layer closes too;
//   5. otherwise layers whose all-of trigger holds are opened.
#pragma once

#include <cmath>

#include "kernels/indicators.h"
#include "kernels/instruments.h"
#include "kernels/platform.h"
#include "kernels/strategy_params.h"

namespace condor {

struct LayerPosition {
    bool open = false;
    int entries = 0;
    int expiry_day = 0;  // day index of the instrument's expiry
    double contracts = 0;
    double cost_basis = 0;  // dollars paid to open (for a future: its notional at the ask, plus commission)
    HedgeStrikes strikes = {0, 0};
    double unrealized = 0;  // dollars, at the last mark
    double realized = 0;    // dollars, from closed openings
};

// The path's class over the window after entry (DESIGN §6): a spike is a close at or
// above entry VIX * spike_ratio; it reverts if a later close gives back at least
// reversion_fraction of the rise from the entry VIX to the running peak.
template <class Real>
CONDOR_HD inline int classify_path(const StrategyRunParams& p, const PathHistory<Real>& h) {
    const double entry_vix = h.vix_at(p.entry_day);
    double peak = entry_vix;
    bool spiked = false;
    for (int d = 1; d <= p.classes.window_days; ++d) {
        const double v = h.vix_at(p.entry_day + d);
        peak = v > peak ? v : peak;
        if (!spiked && v >= entry_vix * p.classes.spike_ratio) spiked = true;
        if (spiked && v <= peak - p.classes.reversion_fraction * (peak - entry_vix)) return kSpikeRevert;
    }
    return spiked ? kSpikeNoRevert : kNoSpike;
}

namespace detail {

// Dollars received for closing `layer` at mid minus half-spread, or at settlement.
CONDOR_HD inline double close_layer_proceeds(const LayerParams& lp, const CostParams& c, const LayerPosition& pos,
                                             const HedgeMark& mark, bool settle) {
    const double multiplier = hedge_multiplier(lp.instrument);
    if (settle) return pos.contracts * multiplier * mark.value;
    const double commission = lp.instrument == HedgeInstrument::vix_future ? c.future_commission : c.vix_commission;
    return pos.contracts * (multiplier * (mark.value - mark.half_spread) - commission * hedge_legs(lp.instrument));
}

CONDOR_HD inline void close_layer(const LayerParams& lp, const CostParams& c, LayerPosition& pos, const HedgeMark& mark,
                                  bool settle) {
    pos.realized += close_layer_proceeds(lp, c, pos, mark, settle) - pos.cost_basis;
    pos.unrealized = 0;
    pos.open = false;
}

}  // namespace detail

// Two strategies trade the same condor when everything its strikes and marks
// depend on is equal: then on one path they open the same strikes and mark
// them to the same bits every day until they exit (common random numbers).
CONDOR_HD inline bool same_condor(const StrategyParams& a, const StrategyParams& b) {
    return a.life_days == b.life_days && a.short_delta == b.short_delta && a.long_delta == b.long_delta &&
           a.wing_width == b.wing_width && a.strike_step == b.strike_step &&
           a.costs.spx_half_spread_min == b.costs.spx_half_spread_min &&
           a.costs.spx_half_spread_fraction == b.costs.spx_half_spread_fraction &&
           a.costs.reference_vix == b.costs.reference_vix;
}

// Marks held for a 45-calendar-day condor's whole life (31 trading days, days 0..31).
inline constexpr int kLoggedCondorDays = 32;

// The condor marks computed on one path by the strategies run so far, for the
// next strategy with the same condor (same_condor): the naked condor and its
// hedged twin then price each close once (the first kLoggedCondorDays closes
// of the trade; later ones are priced by each). Marks are the bulk of the
// strategy kernel's work (a 64-row table contraction and four Black-Scholes legs
// each); reading one back gives the same bits as computing it again.
struct CondorMarkLog {
    int days = 0;  // marks held for trade days 0 .. days - 1
    CondorStrikes strikes = {0, 0, 0, 0};
    CondorMark marks[kLoggedCondorDays];
};

// What a caller may ask to see of one trade (the sample paths of results.h5, tests).
struct TradeTrace {
    double* position_pnl = nullptr;  // per close 0..entry_day + life_days: mark-to-market total P&L,
                                     // dollars (NaN before entry, the realised P&L after exit)
    double* condor_value = nullptr;  // per close: the condor's mid, points per unit (NaN outside the trade)
    CondorStrikes strikes = {0, 0, 0, 0};
    double contracts = 0, credit_points = 0;
};

// One strategy's trade on one path between two closes: what run_strategy keeps
// from close to close. begin_trade sets it up, step_trade runs one close.
struct TradeRun {
    int strategy = 0;
    int day = 0;  // the next close to run
    IndicatorState market[kMaxIndicators];
    double previous_gap[kMaxConditions];  // crossings compare today's gap with the previous close's
    LayerPosition layers[kMaxLayers];
    TradeOutcome out;
    CondorStrikes strikes = {0, 0, 0, 0};
    double contracts = 0, credit_points = 0, credit_dollars = 0, entry_commission = 0, hedge_spent = 0;
};

// Conditions are read from the entry close on, crossings from the close before it.
CONDOR_HD inline int first_trade_day(const StrategyRunParams& p) { return p.entry_day - 1 > 0 ? p.entry_day - 1 : 0; }

// The indicators with memory among `used` (a mask of p.indicators), run from day 0
// through the close before the first close a trade runs, in one call each. The
// warm-up depends on the path alone, so strategies that read the same indicator
// can start from one warm-up.
template <class Real>
CONDOR_HD inline void warm_up_indicators(const StrategyRunParams& p, std::uint32_t used, const PathHistory<Real>& h,
                                         IndicatorState* warm) {
    const int first_day = first_trade_day(p);
    for (int k = 0; k < p.indicator_count; ++k)
        if (used >> k & 1u && has_memory(p.indicators[k].kind))
            advance_indicator(p, p.indicators[k], h, 0, first_day - 1, warm[k]);
}

// Strategy `s` before its first close: its indicators from `warm`
// (warm_up_indicators over at least the ones it reads), no position.
CONDOR_HD inline void begin_trade(const StrategyRunParams& p, int s, const IndicatorState* warm, TradeRun& run,
                                  TradeTrace* trace = nullptr) {
    run = TradeRun{};
    run.strategy = s;
    run.day = first_trade_day(p);
    const StrategyParams& st = p.strategies[s];
    for (int k = 0; k < p.indicator_count; ++k)
        if (st.indicators_used >> k & 1u && has_memory(p.indicators[k].kind)) run.market[k] = warm[k];
    for (int k = 0; k < p.condition_count; ++k) run.previous_gap[k] = NAN;  // no crossing on the first close
    // No trade before entry.
    for (int day = 0; day < p.entry_day && trace; ++day) {
        if (trace->position_pnl) trace->position_pnl[day] = NAN;
        if (trace->condor_value) trace->condor_value[day] = NAN;
    }
}

// Runs close run.day of the trade; true when the trade has ended there (run.out
// is then its outcome), else run.day moves to the next close. `trace` and `log`
// as for run_strategy.
template <class Real>
CONDOR_HD inline bool step_trade(const StrategyRunParams& p, const PathHistory<Real>& h, TradeRun& run,
                                 TradeTrace* trace = nullptr, CondorMarkLog* log = nullptr) {
    const StrategyParams& st = p.strategies[run.strategy];
    const CostParams& costs = st.costs;
    const int entry = p.entry_day, last_day = p.entry_day + st.life_days, day = run.day;
    IndicatorState* market = run.market;
    double* previous_gap = run.previous_gap;
    LayerPosition* layers = run.layers;
    TradeOutcome& out = run.out;
    CondorStrikes& strikes = run.strikes;
    double &contracts = run.contracts, &credit_points = run.credit_points, &credit_dollars = run.credit_dollars;
    double &entry_commission = run.entry_commission, &hedge_spent = run.hedge_spent;

    for (int k = 0; k < p.indicator_count; ++k)
        if (st.indicators_used >> k & 1u) update_indicator(p, p.indicators[k], h, day, market[k]);
    if (day >= entry) {
        const int d = day - entry;  // days in trade
        const MarketState m = {h.spx_at(day), h.vix_at(day), h.x_at(day), h.y_at(day)};
        const double tau = double(st.life_days - d) / kTradingDaysPerYear;

        // Entry: strikes by delta, credit net of half-spreads, size from the risk budget.
        const bool logged = log && d < log->days;
        if (d == 0) strikes = logged ? log->strikes : choose_condor_strikes(p, st, m, tau);

        // 1. Marks.
        const CondorMark condor = logged ? log->marks[d] : mark_condor(p, costs, strikes, m, tau);
        if (log && d == log->days && d < kLoggedCondorDays) {
            if (d == 0) log->strikes = strikes;
            log->marks[log->days++] = condor;
        }
        if (d == 0) {
            credit_points = condor.value - condor.half_spread;
            const double widest = fmax(strikes.short_put - strikes.long_put, strikes.long_call - strikes.short_call);
            const double max_loss = kSpxMultiplier * (widest - credit_points) + 8 * costs.spx_commission;
            // A condor whose net credit is not positive (costs above the premium) is not traded.
            contracts = max_loss > 0 && credit_points > 0 ? (st.risk_budget - st.hedge_budget) / max_loss : 0.0;
            entry_commission = 4 * costs.spx_commission * contracts;
            credit_dollars = kSpxMultiplier * contracts * credit_points;
            out.credit = credit_dollars;
            if (trace) {
                trace->strikes = strikes;
                trace->contracts = contracts;
                trace->credit_points = credit_points;
            }
        }
        const double condor_mtm = contracts * kSpxMultiplier * (credit_points - condor.value) - entry_commission;
        // The open layers are marked in the order they are open, not by layer
        // index: on the GPU the threads of a warp then mark their first open
        // layers in one call, whichever layers those are, where a loop over
        // the layers made one call per layer any thread holds (few threads
        // each). The marks are the same.
        HedgeMark hedge_marks[kMaxLayers];
        int open_layers[kMaxLayers], open_count = 0;
        CONDOR_GPU_ROLLED
        for (int l = 0; l < st.layer_count; ++l)
            if (layers[l].open) open_layers[open_count++] = l;
        CONDOR_GPU_ROLLED
        for (int k = 0; k < open_count; ++k) {
            const int l = open_layers[k];
            const LayerPosition& pos = layers[l];
            const double layer_tau = double(pos.expiry_day - day) / kTradingDaysPerYear;
            hedge_marks[l] = mark_hedge(p, costs, st.layers[l].instrument, pos.strikes, m, layer_tau);
        }
        bool closed_today[kMaxLayers] = {};
        double hedge_mtm = 0;
        CONDOR_GPU_ROLLED
        for (int l = 0; l < st.layer_count; ++l) {
            LayerPosition& pos = layers[l];
            if (pos.open) {
                const LayerParams& lp = st.layers[l];
                pos.unrealized =
                    pos.contracts * hedge_multiplier(lp.instrument) * hedge_marks[l].value - pos.cost_basis;
                // 2. Settlement at the instrument's expiry.
                if (day == pos.expiry_day) {
                    detail::close_layer(lp, costs, pos, hedge_marks[l], true);
                    closed_today[l] = true;
                }
            }
            hedge_mtm += pos.realized + pos.unrealized;
        }
        TradeIndicators trade;
        trade.days_in_trade = d;
        trade.condor_pnl = credit_dollars > 0 ? condor_mtm / credit_dollars : 0.0;
        trade.position_pnl = credit_dollars > 0 ? (condor_mtm + hedge_mtm) / credit_dollars : 0.0;

        // 3. Layer exits: take profit, exhaustion.
        for (int l = 0; l < st.layer_count && d > 0; ++l) {
            LayerPosition& pos = layers[l];
            const LayerParams& lp = st.layers[l];
            if (!pos.open) continue;
            const bool take_profit =
                lp.take_profit > 0 && pos.unrealized + pos.cost_basis >= lp.take_profit * pos.cost_basis;
            const bool exhausted = lp.exit_when.count > 0 && all_hold(p, lp.exit_when, market, trade, previous_gap);
            if (take_profit || exhausted) {
                detail::close_layer(lp, costs, pos, hedge_marks[l], false);
                closed_today[l] = true;
            }
        }
        hedge_mtm = 0;
        for (int l = 0; l < st.layer_count; ++l) hedge_mtm += layers[l].realized + layers[l].unrealized;
        const double position_mtm = condor_mtm + hedge_mtm;
        out.mae = position_mtm < out.mae ? position_mtm : out.mae;
        if (trace && trace->position_pnl) trace->position_pnl[day] = position_mtm;
        if (trace && trace->condor_value) trace->condor_value[day] = condor.value;

        // 4. Condor exit rules, in priority order; the expiry close settles.
        int reason = -1;
        if (d == st.life_days) {
            reason = kExitExpiry;
        } else if (d > 0) {
            const ExitParams& x = st.exit;
            const double stop_pnl = x.stop_on_position ? position_mtm : condor_mtm;
            if (x.stop_multiple > 0 && stop_pnl <= -x.stop_multiple * credit_dollars)
                reason = kExitStop;
            else if (x.delta_breach > 0 && (fabs(condor.short_put_delta) >= x.delta_breach ||
                                            fabs(condor.short_call_delta) >= x.delta_breach))
                reason = kExitDeltaBreach;
            else if (x.profit_target > 0 &&
                     (x.target_on_position ? position_mtm : condor_mtm) >= x.profit_target * credit_dollars)
                reason = kExitProfitTarget;
            else if (x.time_exit_days >= 0 && st.life_days - d <= x.time_exit_days)
                reason = kExitTime;
        }
        if (reason >= 0) {
            const bool settle = reason == kExitExpiry;
            const double close_cost = settle ? condor.value : condor.value + condor.half_spread;
            const double exit_commission = settle ? 0.0 : 4 * costs.spx_commission * contracts;
            out.pnl_condor =
                contracts * kSpxMultiplier * (credit_points - close_cost) - entry_commission - exit_commission;
            out.pnl_hedge = 0;
            for (int l = 0; l < st.layer_count; ++l) {
                LayerPosition& pos = layers[l];
                if (pos.open) detail::close_layer(st.layers[l], costs, pos, hedge_marks[l], false);
                out.layer_pnl[l] = float(pos.realized);
                out.pnl_hedge += pos.realized;
            }
            out.pnl_total = out.pnl_condor + out.pnl_hedge;
            out.exit_day = std::int16_t(d);
            out.exit_reason = std::uint8_t(reason);
            if (trace && trace->position_pnl)
                for (int rest = day; rest <= last_day; ++rest) trace->position_pnl[rest] = out.pnl_total;
            if (trace && trace->condor_value)
                for (int rest = day + 1; rest <= last_day; ++rest) trace->condor_value[rest] = NAN;
            return true;
        }

        // 5. Layer entries: sized to a fraction of the condor's VIX sensitivity
        // (bump-and-reprice, instruments.h), within what is left of the hedge budget.
        for (int l = 0; l < st.layer_count; ++l) {
            LayerPosition& pos = layers[l];
            const LayerParams& lp = st.layers[l];
            if (pos.open || closed_today[l] || pos.entries >= lp.max_entries) continue;
            if (!all_hold(p, lp.when, market, trade, previous_gap)) continue;
            ++pos.entries;  // a trigger that fires uses an entry even if the budget is spent
            const double layer_tau = double(lp.life_days) / kTradingDaysPerYear;
            pos.strikes.lower = lp.instrument == HedgeInstrument::vix_future
                                    ? 0.0
                                    : vix_strike(p, m, layer_tau, lp.rule, lp.strike_param);
            pos.strikes.upper = pos.strikes.lower;
            if (lp.instrument == HedgeInstrument::vix_call_spread) {
                const double upper = vix_strike(p, m, layer_tau, lp.upper_rule, lp.upper_param);
                pos.strikes.upper = upper > pos.strikes.lower ? upper : pos.strikes.lower + kVixStrikeStep;
            }
            const MarketState bumped = bump_vix(p, m, 1.0);
            const double condor_sensitivity =
                contracts * kSpxMultiplier * (mark_condor(p, costs, strikes, bumped, tau).value - condor.value);
            const HedgeMark mark = mark_hedge(p, costs, lp.instrument, pos.strikes, m, layer_tau);
            const double multiplier = hedge_multiplier(lp.instrument);
            const double unit_sensitivity =
                multiplier * (mark_hedge(p, costs, lp.instrument, pos.strikes, bumped, layer_tau).value - mark.value);
            if (!(condor_sensitivity > 0) || !(unit_sensitivity > 1e-9)) continue;
            double n = lp.size * condor_sensitivity / unit_sensitivity;
            const double commission =
                (lp.instrument == HedgeInstrument::vix_future ? costs.future_commission : costs.vix_commission) *
                hedge_legs(lp.instrument);
            // Budget use per contract: the premium for options; for a future, what it
            // loses if it settles at the lowest VIX any state has, 100 sqrt(a) at x = y = 0.
            const double basis_per_contract = multiplier * (mark.value + mark.half_spread) + commission;
            double budget_per_contract = basis_per_contract;
            if (lp.instrument == HedgeInstrument::vix_future)
                budget_per_contract = multiplier * (mark.value + mark.half_spread - 100 * sqrt(p.vix30.a)) + commission;
            const double room = st.hedge_budget - hedge_spent;
            if (!(room > 0) || !(budget_per_contract > 0)) continue;
            if (n * budget_per_contract > room) n = room / budget_per_contract;
            hedge_spent += n * budget_per_contract;
            pos.open = true;
            pos.contracts = n;
            pos.expiry_day = day + lp.life_days;
            pos.cost_basis = n * basis_per_contract;
            pos.unrealized = n * multiplier * mark.value - pos.cost_basis;
            out.hedge_cost += lp.instrument == HedgeInstrument::vix_future
                                  ? n * (multiplier * mark.half_spread + commission)
                                  : pos.cost_basis;
            out.layers_opened |= std::uint8_t(1u << l);
        }
    }
    // Crossings compare today's gap with the previous close's.
    TradeIndicators none;
    for (int k = 0; k < p.condition_count; ++k) {
        if (!(st.conditions_used >> k & 1u)) continue;
        const ConditionParams& c = p.conditions[k];
        if (c.op == CompareOp::crosses_above || c.op == CompareOp::crosses_below)
            previous_gap[k] = operand_value(c.lhs, market, none) - operand_value(c.rhs, market, none);
    }
    ++run.day;
    return false;
}

// Strategy `s`'s trade on one path, from indicators warmed up over at least the
// ones it reads (warm_up_indicators); `trace` and `log` as for run_strategy.
template <class Real>
CONDOR_HD inline TradeOutcome run_trade(const StrategyRunParams& p, int s, const IndicatorState* warm,
                                        const PathHistory<Real>& h, TradeTrace* trace = nullptr,
                                        CondorMarkLog* log = nullptr) {
    TradeRun run;
    begin_trade(p, s, warm, run, trace);
    while (!step_trade(p, h, run, trace, log)) {
    }
    return run.out;  // the expiry close always ends the trade
}

// Runs strategy `s` of `p` on one path; `trace`, when given, records the trade.
// `log`, when given, holds the marks of earlier strategies with the same condor
// on this path: those are read, later ones computed and added.
template <class Real>
CONDOR_HD inline TradeOutcome run_strategy(const StrategyRunParams& p, int s, const PathHistory<Real>& h,
                                           TradeTrace* trace = nullptr, CondorMarkLog* log = nullptr) {
    IndicatorState warm[kMaxIndicators];
    warm_up_indicators(p, p.strategies[s].indicators_used, h, warm);
    return run_trade(p, s, warm, h, trace, log);
}

}  // namespace condor
