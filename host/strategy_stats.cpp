#include "host/strategy_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "host/text_format.h"
#include "kernels/chunk.h"

namespace condor {

const std::vector<double>& pnl_quantile_levels() {
    static const std::vector<double> levels = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,  0.25,
                                               0.5,   0.75,  0.9,  0.95,  0.99, 0.999};
    return levels;
}

const std::vector<double>& risk_levels() {
    static const std::vector<double> levels = {0.95, 0.99, 0.999};
    return levels;
}

namespace {
constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

StrategyStatistics::StrategyStatistics(const Scenario& s, const StrategyRunParams& p) : scenario_(&s), params_(&p) {
    const int n = p.strategy_count;
    acc_.resize(std::size_t(trade_rows(n)));
    for (int row = 0; row < trade_rows(n); ++row) {
        acc_[row].reasons.assign(kExitReasonCount, 0);
        acc_[row].exit_days.assign(exit_day_bins(p.strategies[row / kPathClassCount]), 0);
        acc_[row].pnl_hist.assign(kPnlBins + 2, 0);
    }
    pairs_.resize(std::size_t(pair_rows(n)));
}

void StrategyStatistics::Accumulator::add(const TradeBlockSums& block) {
    pnl.add(block.pnl.value());
    pnl_sq.add(block.pnl_sq.value());
    condor.add(block.condor.value());
    hedge.add(block.hedge.value());
    hedge_cost.add(block.hedge_cost.value());
    mae.add(block.mae.value());
    credit.add(block.credit.value());
    exit_day.add(block.exit_day.value());
    exit_day_sq.add(block.exit_day_sq.value());
    underflow_sum.add(block.underflow_sum.value());
    for (int l = 0; l < kMaxLayers; ++l) {
        layer[l].add(block.layer[l].value());
        layer_sq[l].add(block.layer_sq[l].value());
    }
    paths += block.paths;
    profit += block.profit;
    stop += block.stop;
    for (int k = 0; k < kExitReasonCount; ++k) reasons[k] += block.reasons[k];
}

void StrategyStatistics::PairAccumulator::add(const PairBlockSums& block) {
    exit_diff.add(block.exit_diff.value());
    exit_diff_sq.add(block.exit_diff_sq.value());
    pnl_diff.add(block.pnl_diff.value());
    pnl_diff_sq.add(block.pnl_diff_sq.value());
    paths += block.paths;
    earlier += block.earlier;
    better += block.better;
}

// Chunks start on block boundaries (whole 1024-path blocks, kernels/chunk.h), so
// the blocks here are the run's blocks whatever the chunk size. Rows in
// parallel, each row's blocks in block order.
void StrategyStatistics::add_chunk(const StrategyTotals& totals) {
    const int rows = int(acc_.size()), all_rows = rows + int(pairs_.size());
#pragma omp parallel for schedule(static)
    for (int row = 0; row < all_rows; ++row)
        for (std::uint32_t b = 0; b < totals.blocks; ++b) {
            if (row < rows)
                acc_[row].add(totals.sums[std::size_t(row) * totals.blocks + b]);
            else
                pairs_[row - rows].add(totals.pair_sums[std::size_t(row - rows) * totals.blocks + b]);
        }
}

void StrategyStatistics::set_histograms(const std::vector<unsigned long long>& counts) {
    for (int row = 0; row < int(acc_.size()); ++row) {
        const unsigned long long* h = counts.data() + trade_histogram_offset(*params_, row);
        Accumulator& a = acc_[row];
        std::copy(h, h + a.exit_days.size(), a.exit_days.begin());
        std::copy(h + a.exit_days.size(), h + a.exit_days.size() + a.pnl_hist.size(), a.pnl_hist.begin());
    }
}

namespace {

struct MeanSd {
    double mean, sd;
};

MeanSd mean_sd(const CompensatedSum& sum, const CompensatedSum& sum_sq, std::uint64_t n) {
    if (n == 0) return {kNaN, kNaN};
    const double mean = sum.value() / double(n);
    if (n < 2) return {mean, kNaN};
    const double var = (sum_sq.value() - double(n) * mean * mean) / double(n - 1);
    return {mean, std::sqrt(std::max(var, 0.0))};
}

// The mean and its normal 95% confidence interval, mean -+ 1.96 sd / sqrt(n).
double mean_with_ci(const MeanSd& m, std::uint64_t n, double (&ci)[2]) {
    const double half_width = kZ95 * m.sd / std::sqrt(double(n));
    ci[0] = m.mean - half_width;
    ci[1] = m.mean + half_width;
    return m.mean;
}

// Value of bin position `rank` (0-based, fractional) in a histogram over
// [lo, hi] with underflow/overflow bins, interpolated linearly inside its bin;
// NaN in the underflow or overflow bin.
double histogram_value_at(const std::vector<unsigned long long>& h, double lo, double hi, double rank) {
    const int bins = int(h.size()) - 2;
    double below = 0;
    for (int b = 0; b < int(h.size()); ++b) {
        const double here = double(h[b]);
        if (rank < below + here) {
            if (b == 0 || b == bins + 1) return kNaN;
            const double width = (hi - lo) / bins;
            return lo + width * (b - 1 + (rank - below) / here);
        }
        below += here;
    }
    return kNaN;
}

// Expected shortfall at `level`: minus the mean of the lowest (1 - level) share of
// P&L, from the histogram (values in a bin spread uniformly, the underflow bin at
// its exact mean), and VaR = minus the (1 - level) quantile.
void tail_risk(const std::vector<unsigned long long>& h, double lo, double hi, double underflow_sum, std::uint64_t n,
               double level, double& var, double& es) {
    var = es = kNaN;
    if (n == 0) return;
    const int bins = int(h.size()) - 2;
    const double width = (hi - lo) / bins;
    const double tail = (1 - level) * double(n);
    var = -histogram_value_at(h, lo, hi, tail);
    double taken = 0, sum = 0;
    if (h[0] > 0) {
        const double use = std::min<double>(double(h[0]), tail);
        sum += underflow_sum * use / double(h[0]);
        taken += use;
    }
    for (int b = 1; b <= bins && taken < tail; ++b) {
        if (h[b] == 0) continue;
        const double count = double(h[b]);
        const double use = std::min(count, tail - taken);
        const double left = lo + width * (b - 1);
        // The lowest `use` of `count` values spread over the bin have mean at use / (2 count) of its width.
        sum += use * (left + width * use / (2 * count));
        taken += use;
    }
    if (taken + 0.5 < tail) return;  // reaches the overflow bin: not a loss tail
    es = -sum / tail;
}

double median_from(const std::vector<unsigned long long>& by_day, double rank) {
    std::uint64_t below = 0;
    for (std::size_t d = 0; d < by_day.size(); ++d) {
        below += by_day[d];
        if (double(below) > rank) return double(d);
    }
    return kNaN;
}

}  // namespace

StrategyResults StrategyStatistics::summarize() const {
    StrategyResults r;
    const int n = params_->strategy_count;
    for (int s = 0; s < n; ++s) {
        const StrategySpec& spec = scenario_->strategies[s];
        const StrategyParams& st = params_->strategies[s];
        StrategySummary out;
        out.name = spec.name;
        out.entry_dte = spec.entry_dte;
        out.life_days = st.life_days;
        out.risk_budget = st.risk_budget;
        for (const HedgeLayerSpec& l : spec.layers) out.layer_names.push_back(l.name);
        const double lo = kPnlLowBudgets * st.risk_budget, hi = kPnlHighBudgets * st.risk_budget;
        for (int b = 0; b <= kPnlBins; ++b) out.pnl_histogram_edges.push_back(lo + (hi - lo) * b / kPnlBins);
        for (int c = 0; c < kPathClassCount; ++c) {
            const Accumulator& a = acc_[s * kPathClassCount + c];
            ClassSummary& k = out.classes[c];
            k.paths = a.paths;
            const double paths = double(a.paths);
            const MeanSd pnl = mean_sd(a.pnl, a.pnl_sq, a.paths);
            k.pnl_mean = pnl.mean;
            k.pnl_sd = pnl.sd;
            k.pnl_se = pnl.sd / std::sqrt(paths);
            for (double level : pnl_quantile_levels())
                k.pnl_quantiles.push_back(a.paths ? histogram_value_at(a.pnl_hist, lo, hi, level * paths) : kNaN);
            for (double level : risk_levels()) {
                double var, es;
                tail_risk(a.pnl_hist, lo, hi, a.underflow_sum.value(), a.paths, level, var, es);
                k.var.push_back(var);
                k.es.push_back(es);
            }
            k.prob_profit = double(a.profit) / paths;
            k.prob_stop = double(a.stop) / paths;
            k.return_on_risk_mean = 100 * pnl.mean / st.risk_budget;
            k.condor_pnl_mean = a.condor.value() / paths;
            k.hedge_pnl_mean = a.hedge.value() / paths;
            k.hedge_cost_mean = a.hedge_cost.value() / paths;
            k.mae_mean = a.mae.value() / paths;
            k.credit_mean = a.credit.value() / paths;
            k.exit_day_mean = mean_with_ci(mean_sd(a.exit_day, a.exit_day_sq, a.paths), a.paths, k.exit_day_ci);
            // Median and its distribution-free 95% CI from order statistics at ranks
            // n/2 -+ 1.96 sqrt(n)/2 (the binomial normal approximation).
            std::vector<unsigned long long> by_day(st.life_days + 1, 0);
            for (int reason = 0; reason < kExitReasonCount; ++reason)
                for (int d = 0; d <= st.life_days; ++d) by_day[d] += a.exit_days[reason * (st.life_days + 1) + d];
            const double half_width = kZ95 * std::sqrt(paths) / 2;
            k.exit_day_median = median_from(by_day, paths / 2);
            k.exit_day_median_ci[0] = median_from(by_day, std::max(0.0, std::floor(paths / 2 - half_width)));
            k.exit_day_median_ci[1] = median_from(by_day, std::min(paths - 1, std::ceil(paths / 2 + half_width)));
            k.reason_counts = a.reasons;
            k.exit_day_histogram = a.exit_days;
            k.pnl_histogram = a.pnl_hist;
            for (int l = 0; l < st.layer_count; ++l) {
                const MeanSd layer = mean_sd(a.layer[l], a.layer_sq[l], a.paths);
                k.layer_pnl_mean.push_back(layer.mean);
                k.layer_pnl_se.push_back(layer.sd / std::sqrt(paths));
            }
        }
        r.strategies.push_back(std::move(out));
    }
    int pair = 0;
    for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b, ++pair) {
            PairSummary out;
            out.a = a;
            out.b = b;
            for (int c = 0; c < kPathClassCount; ++c) {
                const PairAccumulator& p = pairs_[pair * kPathClassCount + c];
                PairClassSummary& k = out.classes[c];
                k.paths = p.paths;
                const double paths = double(p.paths);
                k.exit_day_diff_mean =
                    mean_with_ci(mean_sd(p.exit_diff, p.exit_diff_sq, p.paths), p.paths, k.exit_day_diff_ci);
                k.pnl_diff_mean = mean_with_ci(mean_sd(p.pnl_diff, p.pnl_diff_sq, p.paths), p.paths, k.pnl_diff_ci);
                k.prob_b_earlier = double(p.earlier) / paths;
                k.prob_b_better = double(p.better) / paths;
            }
            r.pairs.push_back(out);
        }
    r.verdict = make_verdict(*scenario_, r);
    return r;
}

double StrategyStatistics::half_width(const PrecisionStop& target) const {
    const Scenario& s = *scenario_;
    if (target.statistic == PrecisionStatistic::pnl_mean) {
        int index = 0;
        for (std::size_t i = 0; i < s.strategies.size(); ++i)
            if (s.strategies[i].name == target.strategy) index = int(i);
        const Accumulator& a = acc_[index * kPathClassCount + kAllPaths];
        const MeanSd m = mean_sd(a.pnl, a.pnl_sq, a.paths);
        return kZ95 * m.sd / std::sqrt(double(a.paths)) * 100 / params_->strategies[index].risk_budget;
    }
    const int pair = verdict_pair(s);
    const PairAccumulator& p = pairs_[pair * kPathClassCount + kAllPaths];
    if (target.statistic == PrecisionStatistic::exit_day_diff) {
        const MeanSd m = mean_sd(p.exit_diff, p.exit_diff_sq, p.paths);
        return kZ95 * m.sd / std::sqrt(double(p.paths));
    }
    const MeanSd m = mean_sd(p.pnl_diff, p.pnl_diff_sq, p.paths);
    return kZ95 * m.sd / std::sqrt(double(p.paths)) * 100 /
           params_->strategies[pair_strategies(pair, params_->strategy_count).first].risk_budget;
}

// Pairs are numbered (0, 1), (0, 2), ..., (1, 2), ...: a before b in file order.
std::pair<int, int> pair_strategies(int pair, int strategies) {
    for (int a = 0; a < strategies; ++a)
        for (int b = a + 1; b < strategies; ++b, --pair)
            if (pair == 0) return {a, b};
    return {-1, -1};
}

int verdict_pair(const Scenario& s) {
    const int n = int(s.strategies.size());
    if (n < 2) return -1;
    int naked = -1, hedged = -1;
    for (int i = 0; i < n; ++i) {
        if (s.strategies[i].layers.empty() && naked < 0) naked = i;
        if (!s.strategies[i].layers.empty() && hedged < 0) hedged = i;
    }
    int a = 0, b = 1;
    if (naked >= 0 && hedged >= 0) a = std::min(naked, hedged), b = std::max(naked, hedged);
    // Index of (a, b): the pairs of the a earlier strategies, then b's offset.
    return a * n - a * (a + 1) / 2 + (b - a - 1);
}

namespace {
std::string fixed(double v, int digits) { return text_printf("%.*f", digits, v); }
}  // namespace

std::string make_verdict(const Scenario& s, const StrategyResults& r) {
    const int k = r.strategies.size() < 2 ? -1 : verdict_pair(s);
    if (k < 0) {
        if (r.strategies.empty()) return "";
        const ClassSummary& c = r.strategies[0].classes[kAllPaths];
        return r.strategies[0].name + ": mean P&L " + fixed(c.return_on_risk_mean, 2) + "% of risk per trade (SE " +
               fixed(100 * c.pnl_se / r.strategies[0].risk_budget, 2) + "), mean exit day " +
               fixed(c.exit_day_mean, 1) + ", 99% ES " + fixed(100 * c.es[1] / r.strategies[0].risk_budget, 1) +
               "% of risk";
    }
    const PairSummary& p = r.pairs[k];
    // Orient the sentence so that the hedged strategy (b unless the file lists it first) is the subject.
    const bool b_hedged = !s.strategies[p.b].layers.empty() || s.strategies[p.a].layers.empty();
    const double sign = b_hedged ? 1 : -1;
    const StrategySummary& subject = r.strategies[b_hedged ? p.b : p.a];
    const StrategySummary& other = r.strategies[b_hedged ? p.a : p.b];
    const PairClassSummary& revert = p.classes[kSpikeRevert];
    const PairClassSummary& all = p.classes[kAllPaths];
    const double budget = other.risk_budget;

    std::string v = subject.name + " vs " + other.name + " on the same " + std::to_string(all.paths) + " paths: ";
    if (revert.paths >= 2) {
        // Differences are subject - other: negative days = the subject exits earlier.
        const double d = sign * revert.exit_day_diff_mean;
        const double lo = sign > 0 ? revert.exit_day_diff_ci[0] : -revert.exit_day_diff_ci[1];
        const double hi = sign > 0 ? revert.exit_day_diff_ci[1] : -revert.exit_day_diff_ci[0];
        v += "exits " + fixed(std::fabs(d), 2) + (d <= 0 ? " trading days earlier" : " trading days later") +
             " (difference " + fixed(d, 2) + ", 95% CI " + fixed(lo, 2) + " to " + fixed(hi, 2) +
             ") in spike-then-revert paths (" + std::to_string(revert.paths) + ", " +
             fixed(100.0 * revert.paths / all.paths, 1) + "%)";
    } else {
        v += "no spike-then-revert paths";
    }
    const double d_pnl = sign * all.pnl_diff_mean / budget * 100;
    const double lo = (sign > 0 ? all.pnl_diff_ci[0] : -all.pnl_diff_ci[1]) / budget * 100;
    const double hi = (sign > 0 ? all.pnl_diff_ci[1] : -all.pnl_diff_ci[0]) / budget * 100;
    v += ", " + std::string(d_pnl < 0 ? "costs " : "adds ") + fixed(std::fabs(d_pnl), 2) +
         "% of risk per trade on average (difference " + fixed(d_pnl, 2) + "%, 95% CI " + fixed(lo, 2) + " to " +
         fixed(hi, 2) + ")";
    const double es_subject = subject.classes[kAllPaths].es[1], es_other = other.classes[kAllPaths].es[1];
    if (std::isfinite(es_subject) && std::isfinite(es_other) && es_other > 0) {
        const double change = (es_subject - es_other) / es_other * 100;
        v += " and " + std::string(change <= 0 ? "cuts" : "raises") + " 99% expected shortfall by " +
             fixed(std::fabs(change), 1) + "% (" + fixed(100 * es_other / other.risk_budget, 1) + "% to " +
             fixed(100 * es_subject / subject.risk_budget, 1) + "% of risk)";
    }
    return v;
}

}  // namespace condor
