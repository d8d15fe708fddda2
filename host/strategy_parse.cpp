#include "host/strategy_parse.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <stdexcept>

namespace condor {
namespace {

constexpr int kMaxLookback = 5000;  // trading days
constexpr int kMaxDte = 180;        // calendar days: the pricing tables reach half a year

// ---- trigger conditions ---------------------------------------------------------

struct Token {
    enum Kind { name, number, open, close, comma, op, end } kind;
    std::string text;
    double value = 0;
};

std::vector<Token> tokenize(const std::string& text) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t j = i;
            while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
            const std::string word = text.substr(i, j - i);
            out.push_back({word == "crosses_above" || word == "crosses_below" ? Token::op : Token::name, word});
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+') {
            char* end = nullptr;
            const double v = std::strtod(text.c_str() + i, &end);
            const std::size_t used = std::size_t(end - (text.c_str() + i));
            if (used == 0 || !std::isfinite(v))
                throw std::invalid_argument("cannot read a finite number at '" + text.substr(i) + "'");
            out.push_back({Token::number, text.substr(i, used), v});
            i += used;
        } else if (c == '(' || c == ')' || c == ',') {
            out.push_back({c == '(' ? Token::open : c == ')' ? Token::close : Token::comma, std::string(1, c)});
            ++i;
        } else if (c == '>' || c == '<' || c == '=' || c == '!') {
            std::size_t j = i;
            while (j < text.size() && std::strchr("<>=!", text[j])) ++j;
            out.push_back({Token::op, text.substr(i, j - i)});
            i = j;
        } else {
            throw std::invalid_argument(std::string("unexpected character '") + c + "'");
        }
    }
    out.push_back({Token::end, "end of condition"});
    return out;
}

const char* kOperandHelp =
    "an operand is a number or one of vix, vvix, term_slope, sma(vix|vvix,n), ema(vix|vvix,n), rsi(vix|vvix,n), "
    "macd|macd_signal|macd_hist(vix|vvix,fast,slow,signal), spx_return(n), spx_drawdown(n), days_in_trade, "
    "condor_pnl, position_pnl";

class ConditionParser {
public:
    ConditionParser(const std::string& text, std::vector<IndicatorSpec>& indicators)
        : tokens_(tokenize(text)), indicators_(indicators) {}

    ConditionParams parse() {
        ConditionParams c;
        c.lhs = operand();
        c.op = compare_op(next());
        c.rhs = operand();
        if (peek().kind != Token::end)
            throw std::invalid_argument("unexpected '" + peek().text + "' after the condition");
        const bool crossing = c.op == CompareOp::crosses_above || c.op == CompareOp::crosses_below;
        const auto trade_operand = [](const Operand& o) { return !o.constant && o.indicator < 0; };
        if (crossing && (trade_operand(c.lhs) || trade_operand(c.rhs)))
            throw std::invalid_argument(
                "crossings compare market indicators; days_in_trade, condor_pnl and "
                "position_pnl take >, <, >= or <=");
        if (c.lhs.constant && c.rhs.constant) throw std::invalid_argument("compares two numbers; name an indicator");
        return c;
    }

private:
    const Token& peek() const { return tokens_[at_]; }
    const Token& next() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
    void expect(Token::Kind kind, const char* what) {
        if (peek().kind != kind)
            throw std::invalid_argument(std::string("expected ") + what + ", got '" + peek().text + "'");
        next();
    }

    static CompareOp compare_op(const Token& t) {
        if (t.kind == Token::op) {
            if (t.text == ">") return CompareOp::greater;
            if (t.text == "<") return CompareOp::less;
            if (t.text == ">=") return CompareOp::greater_equal;
            if (t.text == "<=") return CompareOp::less_equal;
            if (t.text == "crosses_above") return CompareOp::crosses_above;
            if (t.text == "crosses_below") return CompareOp::crosses_below;
        }
        throw std::invalid_argument("'" + t.text +
                                    "' is not a comparison; use >, <, >=, <=, crosses_above or crosses_below");
    }

    int lookback_argument() {
        const Token& t = next();
        if (t.kind != Token::number || t.value != double(int(t.value)) || t.value < 1 || t.value > kMaxLookback)
            throw std::invalid_argument("'" + t.text +
                                        "' is not a lookback; use a whole number of trading days in [1, " +
                                        std::to_string(kMaxLookback) + "]");
        return int(t.value);
    }

    IndicatorSeries series_argument() {
        const Token& t = next();
        if (t.kind == Token::name && t.text == "vix") return IndicatorSeries::vix;
        if (t.kind == Token::name && t.text == "vvix") return IndicatorSeries::vvix;
        throw std::invalid_argument("'" + t.text + "' is not a series; use vix or vvix");
    }

    Operand operand() {
        const Token t = next();
        Operand o;
        if (t.kind == Token::number) {
            o.value = t.value;
            return o;
        }
        if (t.kind != Token::name)
            throw std::invalid_argument("expected an operand, got '" + t.text + "'; " + kOperandHelp);
        o.constant = false;
        const std::string& n = t.text;
        if (n == "days_in_trade" || n == "condor_pnl" || n == "position_pnl") {
            o.trade_kind = n == "days_in_trade" ? IndicatorKind::days_in_trade
                           : n == "condor_pnl"  ? IndicatorKind::condor_pnl
                                                : IndicatorKind::position_pnl;
            return o;
        }
        IndicatorSpec spec;
        if (n == "vix" || n == "vvix" || n == "term_slope") {
            spec.kind = n == "vix" ? IndicatorKind::vix : n == "vvix" ? IndicatorKind::vvix : IndicatorKind::term_slope;
        } else if (n == "sma" || n == "ema" || n == "rsi") {
            spec.kind = n == "sma" ? IndicatorKind::sma : n == "ema" ? IndicatorKind::ema : IndicatorKind::rsi;
            expect(Token::open, "'('");
            spec.series = series_argument();
            expect(Token::comma, "','");
            spec.n1 = lookback_argument();
            expect(Token::close, "')'");
        } else if (n == "macd" || n == "macd_signal" || n == "macd_hist") {
            spec.kind = n == "macd"          ? IndicatorKind::macd
                        : n == "macd_signal" ? IndicatorKind::macd_signal
                                             : IndicatorKind::macd_hist;
            expect(Token::open, "'('");
            spec.series = series_argument();
            expect(Token::comma, "','");
            spec.n1 = lookback_argument();
            expect(Token::comma, "','");
            spec.n2 = lookback_argument();
            expect(Token::comma, "','");
            spec.n3 = lookback_argument();
            expect(Token::close, "')'");
            if (spec.n1 >= spec.n2)
                throw std::invalid_argument(n + ": the fast lookback (" + std::to_string(spec.n1) +
                                            ") must be shorter than the slow one (" + std::to_string(spec.n2) + ")");
        } else if (n == "spx_return" || n == "spx_drawdown") {
            spec.kind = n == "spx_return" ? IndicatorKind::spx_return : IndicatorKind::spx_drawdown;
            expect(Token::open, "'('");
            spec.n1 = lookback_argument();
            expect(Token::close, "')'");
        } else {
            throw std::invalid_argument("unknown indicator '" + n + "'; " + kOperandHelp);
        }
        o.indicator = index_of(spec);
        return o;
    }

    int index_of(const IndicatorSpec& spec) {
        for (std::size_t k = 0; k < indicators_.size(); ++k) {
            const IndicatorSpec& e = indicators_[k];
            if (e.kind == spec.kind && e.series == spec.series && e.n1 == spec.n1 && e.n2 == spec.n2 && e.n3 == spec.n3)
                return int(k);
        }
        indicators_.push_back(spec);
        return int(indicators_.size() - 1);
    }

    std::vector<Token> tokens_;
    std::size_t at_ = 0;
    std::vector<IndicatorSpec>& indicators_;
};

// ---- tables ------------------------------------------------------------------------

bool valid_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

std::vector<ConditionText> read_conditions(TableReader& t, const char* key, Scenario& s) {
    std::vector<ConditionText> out;
    const std::vector<std::string> texts = t.string_list(key);
    for (std::size_t i = 0; i < texts.size(); ++i) {
        try {
            out.push_back({texts[i], parse_condition(texts[i], s.indicators)});
        } catch (const std::invalid_argument& e) {
            t.error(key, "\"" + texts[i] + "\": " + e.what());
        }
    }
    return out;
}

// A strike rule: `moneyness_key` or `delta_key`, exactly one.
void read_strike_rule(TableReader& t, const char* moneyness_key, const char* delta_key, StrikeRule& rule,
                      double& param) {
    const bool by_moneyness = t.has(moneyness_key), by_delta = t.has(delta_key);
    if (by_moneyness == by_delta) {
        t.real_or(moneyness_key, 0, greater_than(0));  // read both: neither is then an unknown key
        t.real_or(delta_key, 0, greater_than(0));
        t.error(moneyness_key, std::string("give exactly one of ") + moneyness_key +
                                   " (strike / VIX future, in (0, 10]) or " + delta_key + " (call delta, in (0, 1))");
        return;
    }
    rule = by_delta ? StrikeRule::delta : StrikeRule::moneyness;
    param = by_delta ? t.real(delta_key, open(0, 1)) : t.real(moneyness_key, {0, 10, true, false});
}

HedgeLayerSpec read_layer(TableReader t, Scenario& s) {
    HedgeLayerSpec l;
    l.name = t.string_or("name", "");
    const std::string instrument = t.choice_or("instrument", "vix_call", {"vix_call", "vix_call_spread", "vix_future"});
    l.instrument = instrument == "vix_call"          ? HedgeInstrument::vix_call
                   : instrument == "vix_call_spread" ? HedgeInstrument::vix_call_spread
                                                     : HedgeInstrument::vix_future;
    l.dte = int(t.integer("dte", 1, kMaxDte));
    if (l.instrument != HedgeInstrument::vix_future) {
        read_strike_rule(t, "moneyness", "delta", l.rule, l.strike_param);
        l.take_profit = t.real_or("take_profit", 0.0, closed(0, 1000));
        if (l.take_profit > 0 && l.take_profit <= 1)
            t.error("take_profit", "must be 0 (off) or above 1 (a multiple of the premium paid)");
    }
    if (l.instrument == HedgeInstrument::vix_call_spread)
        read_strike_rule(t, "upper_moneyness", "upper_delta", l.upper_rule, l.upper_param);
    if (l.instrument == HedgeInstrument::vix_call_spread && l.rule == l.upper_rule &&
        (l.rule == StrikeRule::moneyness ? l.upper_param <= l.strike_param : l.upper_param >= l.strike_param))
        t.error(l.rule == StrikeRule::moneyness ? "upper_moneyness" : "upper_delta",
                "the spread's short call must be further out of the money than its long call");
    l.size = t.real("size", {0, 10, true, false});
    l.when = read_conditions(t, "when", s);
    l.exit_when = read_conditions(t, "exit_when", s);
    l.max_entries = int(t.integer_or("max_entries", 1, 1, 100));
    if (!valid_name(l.name)) t.error("name", "required: letters, digits, '_' or '-'");
    return l;
}

StrategySpec read_strategy(TableReader t, Scenario& s) {
    StrategySpec st;
    st.name = t.string_or("name", "");
    if (!valid_name(st.name)) t.error("name", "required: letters, digits, '_' or '-'");
    // Names become HDF5 groups beside these datasets of /strategies, and pairs are named "<b>_vs_<a>".
    for (const char* reserved :
         {"names", "class_names", "reason_names", "pnl_quantile_levels", "risk_levels", "report"})
        if (st.name == reserved)
            t.error("name", "\"" + st.name + "\" is reserved (a dataset of /strategies in results.h5)");
    if (st.name.find("_vs_") != std::string::npos)
        t.error("name", "may not contain \"_vs_\" (it names pairs in results.h5)");
    st.entry_dte = int(t.integer("entry_dte", 1, kMaxDte));
    st.short_delta = t.real("short_delta", open(0, 0.5));
    if (t.has("long_delta") == t.has("wing_width")) {
        t.real_or("long_delta", 0, open(0, 0.5));  // read both: neither is then an unknown key
        t.real_or("wing_width", 0, greater_than(0));
        t.error("long_delta",
                "give exactly one of long_delta (|delta| of the wings, in (0, short_delta)) or "
                "wing_width (points, > 0)");
    } else if (t.has("long_delta")) {
        st.long_delta = t.real("long_delta", open(0, st.short_delta));
    } else {
        st.wing_width = t.real("wing_width", greater_than(0));
    }
    st.strike_step = t.real_or("strike_step", 5, {0, 1000, true, false});
    if (st.wing_width > 0 && std::fabs(std::remainder(st.wing_width, st.strike_step)) > 1e-9)
        t.error("wing_width",
                format_number(st.wing_width) + " is not a multiple of strike_step = " + format_number(st.strike_step));

    TableReader hedge = t.table("hedge", false);
    for (TableReader& layer : hedge.array_of_tables("layer")) st.layers.push_back(read_layer(layer, s));

    TableReader sizing = t.table("sizing", false);
    st.risk_budget_pct = sizing.real_or("risk_budget_pct", 1.5, {0, 100, true, false});
    st.hedge_reserve_pct = sizing.real_or("hedge_reserve_pct", st.layers.empty() ? 0.0 : 25.0, {0, 100, false, true});
    if (!st.layers.empty() && st.hedge_reserve_pct == 0)
        sizing.error("hedge_reserve_pct", "0 leaves no budget for the hedge layers; allowed (0, 100)");

    TableReader c = t.table("costs", false);
    CostRules& k = st.costs;
    k.spx_half_spread_min = c.real_or("spx_half_spread_min", k.spx_half_spread_min, at_least(0));
    k.spx_half_spread_pct = c.real_or("spx_half_spread_pct", k.spx_half_spread_pct, closed(0, 100));
    k.vix_half_spread_min = c.real_or("vix_half_spread_min", k.vix_half_spread_min, at_least(0));
    k.vix_half_spread_pct = c.real_or("vix_half_spread_pct", k.vix_half_spread_pct, closed(0, 100));
    k.future_half_spread = c.real_or("future_half_spread", k.future_half_spread, at_least(0));
    k.reference_vix = c.real_or("reference_vix", k.reference_vix, greater_than(0));
    k.spx_commission = c.real_or("spx_commission", k.spx_commission, at_least(0));
    k.vix_commission = c.real_or("vix_commission", k.vix_commission, at_least(0));
    k.future_commission = c.real_or("future_commission", k.future_commission, at_least(0));

    TableReader x = t.table("exit", false);
    ExitRules& e = st.exit;
    e.profit_target = x.real_or("profit_target", e.profit_target, closed(0, 1));
    e.stop_multiple = x.real_or("stop_multiple", e.stop_multiple, closed(0, 1000));
    e.stop_on_position = x.choice_or("stop_on", "condor", {"condor", "condor_and_hedge"}) == "condor_and_hedge";
    e.target_on_position = x.choice_or("target_on", "condor", {"condor", "condor_and_hedge"}) == "condor_and_hedge";
    e.time_exit_dte = int(x.integer_or("time_exit_dte", e.time_exit_dte, 0, st.entry_dte - 1, "entry_dte - 1"));
    // The default would close a short condor on its first close: make the user choose.
    if (!x.has("time_exit_dte") && calendar_to_trading_days(e.time_exit_dte) >= st.life_days() - 1)
        x.error("time_exit_dte", "the default, " + std::to_string(e.time_exit_dte) +
                                     " calendar days, would close this " + std::to_string(st.entry_dte) +
                                     "-day condor on its first close; set it in [0, " +
                                     std::to_string(st.entry_dte - 1) + "] (0 = off)");
    e.delta_breach = x.real_or("delta_breach", e.delta_breach, {0, 1, false, true});
    if (e.delta_breach > 0 && e.delta_breach <= st.short_delta)
        x.error("delta_breach", format_number(e.delta_breach) +
                                    " would fire at entry; use 0 (off) or a value in (short_delta = " +
                                    format_number(st.short_delta) + ", 1)");
    return st;
}

}  // namespace

ConditionParams parse_condition(const std::string& text, std::vector<IndicatorSpec>& indicators) {
    std::vector<IndicatorSpec> trial = indicators;  // unchanged if the text is rejected
    ConditionParams c = ConditionParser(text, trial).parse();
    indicators = trial;
    return c;
}

int indicator_lookback(const IndicatorSpec& spec) {
    switch (spec.kind) {
        case IndicatorKind::sma:
        case IndicatorKind::spx_return:
        case IndicatorKind::spx_drawdown:
            return spec.n1;
        default:
            return 0;  // recursive averages are defined from the first close
    }
}

void read_strategies(TableReader& top, Scenario& s) {
    TableReader trade = top.table("trade", false);
    s.trade.warmup_days = int(trade.integer_or("warmup_days", 0, 0, 2000));
    s.trade.equity = trade.real_or("equity", s.trade.equity, {0, 1e12, true, false});
    TableReader classes = top.table("classes", false);
    s.classes.spike_rise_pct = classes.real_or("spike_rise_pct", s.classes.spike_rise_pct, {0, 1000, true, false});
    s.classes.reversion_pct = classes.real_or("reversion_pct", s.classes.reversion_pct, {0, 100, true, false});
    s.classes.window_days = int(classes.integer_or("window_days", 0, 0, s.run.days, "run.days"));
    for (TableReader& t : top.array_of_tables("strategy")) s.strategies.push_back(read_strategy(t, s));

    TableReader precision = top.table("precision", false);
    PrecisionStop& p = s.precision;
    p.enabled = precision.has("half_width");
    p.half_width = precision.real_or("half_width", 0, greater_than(0));
    const std::string statistic =
        precision.choice_or("statistic", "pnl_diff", {"pnl_mean", "pnl_diff", "exit_day_diff"});
    p.statistic = statistic == "pnl_mean"   ? PrecisionStatistic::pnl_mean
                  : statistic == "pnl_diff" ? PrecisionStatistic::pnl_diff
                                            : PrecisionStatistic::exit_day_diff;
    p.strategy = precision.string_or("strategy", "");
    p.batch_paths = std::uint64_t(precision.integer_or("batch_paths", std::int64_t(p.batch_paths), 1024, 1 << 30));
    if (p.batch_paths % 1024 != 0)
        precision.error("batch_paths",
                        std::to_string(p.batch_paths) + " is not a multiple of 1024 (the statistics block)");
}

void check_strategies(Scenario& s, const ConfigReader& r) {
    if (s.strategies.empty()) return;
    if (s.strategies.size() > std::size_t(kMaxStrategies))
        r.fail("strategy",
               std::to_string(s.strategies.size()) + " [[strategy]] tables; at most " + std::to_string(kMaxStrategies));
    std::set<std::string> names;
    int longest = 0;
    std::size_t conditions = 0;
    for (std::size_t i = 0; i < s.strategies.size(); ++i) {
        const StrategySpec& st = s.strategies[i];
        const std::string key = "strategy[" + std::to_string(i) + "]";
        if (!names.insert(st.name).second) r.fail(key + ".name", "\"" + st.name + "\" is used by an earlier strategy");
        longest = std::max(longest, st.life_days());
        if (st.layers.size() > std::size_t(kMaxLayers))
            r.fail(key + ".hedge.layer",
                   std::to_string(st.layers.size()) + " layers; at most " + std::to_string(kMaxLayers));
        std::set<std::string> layer_names;
        for (std::size_t l = 0; l < st.layers.size(); ++l) {
            if (!layer_names.insert(st.layers[l].name).second)
                r.fail(key + ".hedge.layer[" + std::to_string(l) + "].name",
                       "\"" + st.layers[l].name + "\" is used by an earlier layer of this strategy");
            conditions += st.layers[l].when.size() + st.layers[l].exit_when.size();
        }
    }
    if (s.run.days < longest)
        r.fail("run.days", std::to_string(s.run.days) +
                               " trading days after entry is shorter than the longest condor (" +
                               std::to_string(longest) + " trading days to expiry); allowed [" +
                               std::to_string(longest) + ", 100000]");
    if (conditions > std::size_t(kMaxConditions))
        r.fail("strategy",
               std::to_string(conditions) + " trigger conditions in all; at most " + std::to_string(kMaxConditions));
    if (s.indicators.size() > std::size_t(kMaxIndicators))
        r.fail("strategy", std::to_string(s.indicators.size()) + " distinct indicators in the triggers; at most " +
                               std::to_string(kMaxIndicators));
    for (const IndicatorSpec& spec : s.indicators)
        if (indicator_lookback(spec) > s.trade.warmup_days)
            r.fail("trade.warmup_days", std::to_string(s.trade.warmup_days) +
                                            " trading days of history cannot fill a trigger's lookback of " +
                                            std::to_string(indicator_lookback(spec)) + "; allowed [" +
                                            std::to_string(indicator_lookback(spec)) + ", 2000]");
    if (s.classes.window_days == 0) s.classes.window_days = longest;
}

void check_precision(const Scenario& s, const ConfigReader& r) {
    const PrecisionStop& p = s.precision;
    if (!p.enabled) return;
    if (s.strategies.empty()) r.fail("precision.half_width", "stopping on precision needs [[strategy]] tables");
    if (p.statistic != PrecisionStatistic::pnl_mean && s.strategies.size() < 2)
        r.fail("precision.statistic", "a difference needs two strategies; use \"pnl_mean\"");
    bool found = p.strategy.empty();
    for (const StrategySpec& st : s.strategies) found = found || st.name == p.strategy;
    if (!found) r.fail("precision.strategy", "\"" + p.strategy + "\" names no [[strategy]]");
}

}  // namespace condor
