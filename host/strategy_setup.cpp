#include "host/strategy_setup.h"

#include <algorithm>
#include <chrono>

#include "host/pricing/affine_transform.h"
#include "kernels/strategy.h"

namespace condor {

bool any_vix_hedge(const Scenario& s) {
    for (const StrategySpec& st : s.strategies)
        if (!st.layers.empty()) return true;
    return false;
}

namespace {

CostParams make_costs(const CostRules& c) {
    CostParams k;
    k.spx_half_spread_min = c.spx_half_spread_min;
    k.spx_half_spread_fraction = c.spx_half_spread_pct / 100;
    k.vix_half_spread_min = c.vix_half_spread_min;
    k.vix_half_spread_fraction = c.vix_half_spread_pct / 100;
    k.future_half_spread = c.future_half_spread;
    k.reference_vix = c.reference_vix;
    k.spx_commission = c.spx_commission;
    k.vix_commission = c.vix_commission;
    k.future_commission = c.future_commission;
    return k;
}

// Appends a layer's conditions to the run's list and returns where they are.
ConditionList add_conditions(const std::vector<ConditionText>& list, StrategyRunParams& p) {
    ConditionList out{p.condition_count, int(list.size())};
    for (const ConditionText& c : list) p.conditions[p.condition_count++] = c.compiled;
    return out;
}

LayerParams make_layer(const HedgeLayerSpec& l, StrategyRunParams& p) {
    LayerParams out;
    out.instrument = l.instrument;
    out.life_days = calendar_to_trading_days(l.dte);
    if (out.life_days < 1) out.life_days = 1;
    out.rule = l.rule;
    out.strike_param = l.strike_param;
    out.upper_rule = l.upper_rule;
    out.upper_param = l.upper_param;
    out.size = l.size;
    out.take_profit = l.take_profit;
    out.when = add_conditions(l.when, p);
    out.exit_when = add_conditions(l.exit_when, p);
    out.max_entries = l.max_entries;
    return out;
}

StrategyParams make_strategy(const Scenario& s, const StrategySpec& st, StrategyRunParams& p) {
    StrategyParams out;
    out.life_days = st.life_days();
    out.short_delta = st.short_delta;
    out.long_delta = st.long_delta;
    out.wing_width = st.wing_width;
    out.strike_step = st.strike_step;
    out.risk_budget = s.trade.equity * st.risk_budget_pct / 100;
    out.hedge_budget = out.risk_budget * st.hedge_reserve_pct / 100;
    out.costs = make_costs(st.costs);
    out.exit.profit_target = st.exit.profit_target;
    out.exit.stop_multiple = st.exit.stop_multiple;
    out.exit.stop_on_position = st.exit.stop_on_position;
    out.exit.target_on_position = st.exit.target_on_position;
    out.exit.time_exit_days = st.exit.time_exit_dte > 0 ? calendar_to_trading_days(st.exit.time_exit_dte) : -1;
    out.exit.delta_breach = st.exit.delta_breach;
    out.layer_count = int(st.layers.size());
    for (int l = 0; l < out.layer_count; ++l) out.layers[l] = make_layer(st.layers[l], p);
    for (int l = 0; l < out.layer_count; ++l)
        for (const ConditionList& list : {out.layers[l].when, out.layers[l].exit_when})
            for (int k = list.first; k < list.first + list.count; ++k) {
                out.conditions_used |= std::uint64_t(1) << k;
                for (const Operand& o : {p.conditions[k].lhs, p.conditions[k].rhs})
                    if (!o.constant && o.indicator >= 0) out.indicators_used |= std::uint32_t(1) << o.indicator;
            }
    return out;
}

}  // namespace

std::shared_ptr<StrategyTables> build_strategy_tables(const Scenario& s, int threads) {
    const auto start = std::chrono::steady_clock::now();
    auto tables = std::make_shared<StrategyTables>();
    const AffineTransform transform(risk_neutral_model(s));
    tables->spx = std::make_unique<SpxVolTable>(transform, SpxVolTableDomain{}, threads);
    if (any_vix_hedge(s)) tables->vix = std::make_unique<VixOptionTable>(transform, VixOptionTableDomain{}, threads);
    tables->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return tables;
}

StrategyRunParams make_strategy_params(const Scenario& s, const StrategyTables& tables) {
    StrategyRunParams p;
    p.entry_day = s.trade.warmup_days;
    p.trade_days = s.run.days;
    p.classes.spike_ratio = 1 + s.classes.spike_rise_pct / 100;
    p.classes.reversion_fraction = s.classes.reversion_pct / 100;
    p.classes.window_days = s.classes.window_days;
    p.rate = s.market.rate;
    p.dividend_yield = s.market.dividend_yield;
    p.shared = s.model.shared;
    p.q = s.model.q;
    p.vix30 = vix_coefficients(s.model.shared, s.model.q);
    p.vix93 = vix_coefficients(s.model.shared, s.model.q, 93.0 / 365.0);
    p.indicator_count = int(s.indicators.size());
    for (int k = 0; k < p.indicator_count; ++k) p.indicators[k] = s.indicators[k];
    p.strategy_count = int(s.strategies.size());
    for (int i = 0; i < p.strategy_count; ++i) {
        p.strategies[i] = make_strategy(s, s.strategies[i], p);
        p.strategies[i].shares_previous_condor = i > 0 && same_condor(p.strategies[i - 1], p.strategies[i]);
        p.indicators_used |= p.strategies[i].indicators_used;
        p.longest_trade_days = std::max(p.longest_trade_days, std::min(p.strategies[i].life_days, p.trade_days));
    }
    p.spx_table = tables.spx->view();
    p.has_vix_table = bool(tables.vix);
    if (tables.vix) p.vix_table = tables.vix->view();
    return p;
}

}  // namespace condor
