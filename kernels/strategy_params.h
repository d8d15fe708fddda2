// Everything the strategy kernel needs, as plain data (DESIGN §5): the condor
// and hedge definitions of every strategy, the indicators and trigger
// conditions they use, the path-class rules and the pricing tables. Built once
// per run on the host (host/strategy_setup.cpp); the kernels read it through a
// pointer because it is larger than a kernel's parameter space.
#pragma once

#include <cstdint>

#include "kernels/model_params.h"
#include "kernels/platform.h"
#include "kernels/spx_vol_table.h"
#include "kernels/vix_index.h"
#include "kernels/vix_option_table.h"

namespace condor {

inline constexpr int kMaxStrategies = 8;   // [[strategy]] tables per scenario
inline constexpr int kMaxLayers = 6;       // hedge layers per strategy
inline constexpr int kMaxIndicators = 24;  // distinct market indicators per scenario
inline constexpr int kMaxConditions = 48;  // trigger conditions per scenario, all layers together
// StrategyParams marks the conditions and indicators a strategy reads in bit masks.
static_assert(kMaxConditions <= 64 && kMaxIndicators <= 32, "widen StrategyParams::conditions_used / indicators_used");

// Calendar days to trading days (the engine's clock): round(days * 252 / 365).
CONDOR_HD inline int calendar_to_trading_days(double calendar_days) {
    return int(calendar_days * kTradingDaysPerYear / 365.0 + 0.5);
}

// ---- indicators and conditions ---------------------------------------------------

enum class IndicatorKind : int {
    vix,           // VIX close, points
    vvix,          // instantaneous Q volatility of VIX, percent per sqrt(year) (kernels/indicators.h)
    term_slope,    // VIX3M - VIX, points
    sma,           // simple moving average of `series` over n1 closes
    ema,           // exponential moving average, alpha = 2 / (n1 + 1)
    rsi,           // Wilder's RSI over n1, 0..100
    macd,          // EMA(n1) - EMA(n2) of `series`
    macd_signal,   // EMA(n3) of macd
    macd_hist,     // macd - macd_signal
    spx_return,    // SPX change over n1 closes, percent
    spx_drawdown,  // percent below the highest SPX close of the last n1 closes, >= 0
    // Trade-dependent: evaluated per strategy, not per path.
    days_in_trade,  // trading days since entry
    condor_pnl,     // condor mark-to-market P&L / credit
    position_pnl,   // (condor + hedge) mark-to-market P&L / credit
};

CONDOR_HD inline bool trade_dependent(IndicatorKind k) { return int(k) >= int(IndicatorKind::days_in_trade); }

enum class IndicatorSeries : int { vix = 0, vvix = 1 };

struct IndicatorSpec {
    IndicatorKind kind = IndicatorKind::vix;
    IndicatorSeries series = IndicatorSeries::vix;  // input of sma/ema/rsi/macd*
    int n1 = 0, n2 = 0, n3 = 0;                     // lookbacks, trading days
};

enum class CompareOp : int { greater, less, greater_equal, less_equal, crosses_above, crosses_below };

// One side of a condition: a constant, a market indicator (index into the run's
// indicator list) or a trade-dependent one.
struct Operand {
    bool constant = true;
    double value = 0;                                         // the constant
    int indicator = -1;                                       // market indicator index, or -1
    IndicatorKind trade_kind = IndicatorKind::days_in_trade;  // when indicator < 0 and !constant
};

struct ConditionParams {
    Operand lhs, rhs;
    CompareOp op = CompareOp::greater;
};

// Conditions [first, first + count) of the run's list, all of which must hold.
struct ConditionList {
    int first = 0;
    int count = 0;
};

// ---- instruments, costs and rules -------------------------------------------------

enum class HedgeInstrument : int { vix_call = 0, vix_call_spread = 1, vix_future = 2 };

// Half-spread of an option leg: max(min_points, fraction * mid) * max(1, VIX / reference_vix);
// commissions in dollars per contract per trade.
struct CostParams {
    double spx_half_spread_min = 0, spx_half_spread_fraction = 0;
    double vix_half_spread_min = 0, vix_half_spread_fraction = 0;
    double future_half_spread = 0;
    double reference_vix = 20;
    double spx_commission = 0, vix_commission = 0, future_commission = 0;
};

// A rule is off when its threshold is 0.
struct ExitParams {
    double profit_target = 0;         // fraction of credit
    double stop_multiple = 0;         // multiple of credit
    bool stop_on_position = false;    // stop looks at condor + hedge, not the condor alone
    bool target_on_position = false;  // profit target looks at condor + hedge
    int time_exit_days = -1;          // close when trading days to expiry <= this; -1 = off
    double delta_breach = 0;          // |delta| of either short leg
};

enum class StrikeRule : int { moneyness = 0, delta = 1 };

struct LayerParams {
    HedgeInstrument instrument = HedgeInstrument::vix_call;
    int life_days = 0;  // trading days to the instrument's expiry when bought
    StrikeRule rule = StrikeRule::moneyness;
    double strike_param = 1;  // moneyness to the VIX future, or call delta
    StrikeRule upper_rule = StrikeRule::moneyness;
    double upper_param = 0;  // the spread's short call
    double size = 0;         // fraction of the condor's VIX sensitivity
    double take_profit = 0;  // multiple of premium paid; 0 = off
    ConditionList when, exit_when;
    int max_entries = 1;
};

struct StrategyParams {
    int life_days = 0;                          // trading days from entry to the condor's expiry
    double short_delta = 0.16, long_delta = 0;  // long_delta = 0: wings by width
    double wing_width = 0;                      // points
    double strike_step = 5;                     // points
    double risk_budget = 0;                     // dollars
    double hedge_budget = 0;                    // dollars of the risk budget reserved for hedges
    CostParams costs;
    ExitParams exit;
    int layer_count = 0;
    LayerParams layers[kMaxLayers];
    // What this strategy's layer conditions read: bit k of conditions_used is
    // condition k, bit k of indicators_used market indicator k. The kernel
    // updates only those (a strategy without layers updates none).
    std::uint64_t conditions_used = 0;
    std::uint32_t indicators_used = 0;
    // Trades the condor of the strategy before it (same_condor, kernels/strategy.h):
    // the strategy kernel lets it read that one's marks (CondorMarkLog).
    bool shares_previous_condor = false;
};

struct PathClassParams {
    double spike_ratio = 1.3;         // a spike: VIX >= entry VIX * spike_ratio
    double reversion_fraction = 0.5;  // reversion: VIX <= peak - fraction * (peak - entry VIX)
    int window_days = 0;              // trading days after entry
};

enum PathClass : int { kAllPaths = 0, kNoSpike = 1, kSpikeRevert = 2, kSpikeNoRevert = 3, kPathClassCount = 4 };
enum ExitReason : int {
    kExitStop = 0,
    kExitDeltaBreach = 1,
    kExitProfitTarget = 2,
    kExitTime = 3,
    kExitExpiry = 4,
    kExitReasonCount = 5
};

struct StrategyRunParams {
    int entry_day = 0;   // index of the entry close in the daily arrays (= warm-up days)
    int trade_days = 0;  // trading days simulated after entry
    int strategy_count = 0;
    StrategyParams strategies[kMaxStrategies];
    int indicator_count = 0;
    IndicatorSpec indicators[kMaxIndicators];
    int condition_count = 0;
    ConditionParams conditions[kMaxConditions];
    std::uint32_t indicators_used = 0;  // by any strategy: the kernel warms them up once per path
    int longest_trade_days = 0;         // the longest strategy's life, at most trade_days (kernels/strategy_order.h)
    PathClassParams classes;

    double rate = 0, dividend_yield = 0;  // per year, continuously compounded
    VixCoefficients vix30, vix93;         // VIX and VIX3M from (x, y) under Q
    SharedParams shared;
    MeasureParams q;
    SpxVolTableView spx_table;
    bool has_vix_table = false;
    VixOptionTableView vix_table;
};

// What one strategy did on one path.
struct TradeOutcome {
    double pnl_total = 0, pnl_condor = 0, pnl_hedge = 0;  // dollars, realised at exit
    double mae = 0;         // most negative mark-to-market total P&L during the trade, dollars (<= 0)
    double hedge_cost = 0;  // outlay to open hedges, dollars: options premium at the ask plus commissions;
                            // futures the opening half-spread and commission (closing costs are in pnl_hedge)
    double credit = 0;      // net credit received, dollars
    float layer_pnl[kMaxLayers] = {};
    std::int16_t exit_day = 0;  // trading days after entry
    std::uint8_t exit_reason = 0;
    std::uint8_t layers_opened = 0;  // bit l: layer l was opened at least once
};

}  // namespace condor
