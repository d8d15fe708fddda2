// Statistics of the strategies' per-path outcomes (DESIGN §6): per strategy and
// per path class, paired comparisons of every two strategies on the same paths,
// and the one-line verdict. Outcomes are summed per 1024-path block of the run
// where they are (kernels/trade_stats.h), the blocks' sums are added here in
// block order, and counts and histograms are integers, so every figure is
// bit-identical for any chunk size and thread count.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "host/scenario.h"
#include "host/statistics.h"
#include "kernels/chunk_runner.h"
#include "kernels/strategy_params.h"

namespace condor {

inline const std::array<const char*, kPathClassCount> kPathClassNames = {"all", "no_spike", "spike_revert",
                                                                         "spike_no_revert"};
inline const std::array<const char*, kExitReasonCount> kExitReasonNames = {"stop", "delta_breach", "profit_target",
                                                                           "time", "expiry"};
const std::vector<double>& pnl_quantile_levels();  // 0.001 ... 0.999
const std::vector<double>& risk_levels();          // 0.95, 0.99, 0.999

struct ClassSummary {
    std::uint64_t paths = 0;
    double pnl_mean = 0, pnl_sd = 0, pnl_se = 0;  // dollars
    std::vector<double> pnl_quantiles;            // at pnl_quantile_levels()
    std::vector<double> var, es;                  // at risk_levels(), dollars, positive = loss
    double prob_profit = 0, prob_stop = 0;
    double return_on_risk_mean = 0;  // percent of the risk budget
    double condor_pnl_mean = 0, hedge_pnl_mean = 0, hedge_cost_mean = 0, mae_mean = 0, credit_mean = 0;
    double exit_day_mean = 0, exit_day_ci[2] = {0, 0};
    double exit_day_median = 0, exit_day_median_ci[2] = {0, 0};
    std::vector<unsigned long long> reason_counts;       // [reason]
    std::vector<unsigned long long> exit_day_histogram;  // [reason][day 0..life]
    std::vector<unsigned long long> pnl_histogram;       // underflow, bins, overflow
    std::vector<double> layer_pnl_mean, layer_pnl_se;    // dollars, per layer
};

struct StrategySummary {
    std::string name;
    int entry_dte = 0, life_days = 0;
    double risk_budget = 0;
    std::vector<std::string> layer_names;
    std::vector<double> pnl_histogram_edges;  // dollars
    ClassSummary classes[kPathClassCount];
};

struct PairClassSummary {
    std::uint64_t paths = 0;
    double exit_day_diff_mean = 0, exit_day_diff_ci[2] = {0, 0};  // B - A, trading days
    double pnl_diff_mean = 0, pnl_diff_ci[2] = {0, 0};            // B - A, dollars
    double prob_b_earlier = 0, prob_b_better = 0;
};

struct PairSummary {
    int a = 0, b = 0;  // strategy indices, a < b
    PairClassSummary classes[kPathClassCount];
};

struct StrategyResults {
    std::vector<StrategySummary> strategies;
    std::vector<PairSummary> pairs;
    std::string verdict;
    double table_seconds = 0;     // building the pricing tables
    double strategy_seconds = 0;  // strategy kernel, summed over chunks
};

class StrategyStatistics {
public:
    StrategyStatistics(const Scenario& s, const StrategyRunParams& p);
    // Adds a chunk's block sums; chunks in path order.
    void add_chunk(const StrategyTotals& totals);
    // The whole run's exit-day and P&L counts (ChunkRunner::trade_histograms,
    // summed over runners), before summarize().
    void set_histograms(const std::vector<unsigned long long>& counts);
    StrategyResults summarize() const;
    // The 95% CI half-width of the precision target so far (percent of the risk
    // budget for P&L, trading days for exit days), over all paths.
    double half_width(const PrecisionStop& target) const;

private:
    // The sums and counts of one strategy and path class over the run.
    struct Accumulator {
        CompensatedSum pnl, pnl_sq, condor, hedge, hedge_cost, mae, credit, exit_day, exit_day_sq;
        CompensatedSum underflow_sum;  // P&L below the histogram, for exact tail means
        CompensatedSum layer[kMaxLayers], layer_sq[kMaxLayers];
        std::uint64_t paths = 0, profit = 0, stop = 0;
        std::vector<unsigned long long> reasons, exit_days, pnl_hist;
        void add(const TradeBlockSums& block);
    };
    struct PairAccumulator {
        CompensatedSum exit_diff, exit_diff_sq, pnl_diff, pnl_diff_sq;
        std::uint64_t paths = 0, earlier = 0, better = 0;
        void add(const PairBlockSums& block);
    };
    const Scenario* scenario_;
    const StrategyRunParams* params_;
    std::vector<Accumulator> acc_;        // [strategy * kPathClassCount + class]
    std::vector<PairAccumulator> pairs_;  // [pair * kPathClassCount + class]
};

// Which pair the verdict speaks about (an index into StrategyResults::pairs): the
// first hedged strategy against the first naked one, else the second strategy
// against the first; -1 with one strategy.
int verdict_pair(const Scenario& s);
// The strategies (a, b) of pair `pair` among `strategies`.
std::pair<int, int> pair_strategies(int pair, int strategies);
std::string make_verdict(const Scenario& s, const StrategyResults& r);

}  // namespace condor
