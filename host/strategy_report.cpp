#include "host/strategy_report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "host/text_format.h"

namespace condor {

std::string strategy_report(const StrategyResults& r) {
    std::ostringstream os;
    if (r.strategies.empty()) return "";
    os << "strategies (P&L in percent of each strategy's risk budget; CI = 95% confidence interval)\n";
    os << text_printf("  %-14s %-15s %9s %8s %6s %7s %6s %18s %6s %7s %7s %7s\n", "strategy", "class", "paths", "mean",
                      "se", "P(win)", "P(stop)", "exit day [CI]", "median", "ES99", "MAE", "hedge");
    for (const StrategySummary& s : r.strategies) {
        for (int c = 0; c < kPathClassCount; ++c) {
            const ClassSummary& k = s.classes[c];
            const double to_pct = 100 / s.risk_budget;
            if (k.paths == 0) {
                os << text_printf("  %-14s %-15s %9d\n", c == 0 ? s.name.c_str() : "", kPathClassNames[c], 0);
                continue;
            }
            os << text_printf(
                "  %-14s %-15s %9llu %8.2f %6.2f %6.1f%% %5.1f%% %5.2f [%5.2f,%5.2f] %6.0f %7.1f %7.1f %7.2f\n",
                c == 0 ? s.name.c_str() : "", kPathClassNames[c], (unsigned long long)k.paths, k.return_on_risk_mean,
                k.pnl_se * to_pct, 100 * k.prob_profit, 100 * k.prob_stop, k.exit_day_mean, k.exit_day_ci[0],
                k.exit_day_ci[1], k.exit_day_median, k.es[1] * to_pct, k.mae_mean * to_pct, k.hedge_cost_mean * to_pct);
        }
        const ClassSummary& all = s.classes[kAllPaths];
        os << "    exits:";
        for (int reason = 0; reason < kExitReasonCount; ++reason)
            os << text_printf(" %s %.1f%%", kExitReasonNames[reason], 100.0 * all.reason_counts[reason] / all.paths);
        os << text_printf("; credit %.2f%% of risk; condor %.2f%%, hedge %.2f%%", all.credit_mean * 100 / s.risk_budget,
                          all.condor_pnl_mean * 100 / s.risk_budget, all.hedge_pnl_mean * 100 / s.risk_budget);
        for (std::size_t l = 0; l < s.layer_names.size(); ++l)
            os << text_printf("; %s %.3f%% (se %.3f)", s.layer_names[l].c_str(),
                              all.layer_pnl_mean[l] * 100 / s.risk_budget, all.layer_pnl_se[l] * 100 / s.risk_budget);
        os << "\n";
    }
    for (const PairSummary& p : r.pairs) {
        const StrategySummary& a = r.strategies[p.a];
        const StrategySummary& b = r.strategies[p.b];
        os << "paired " << b.name << " - " << a.name << " (same paths; P&L in percent of " << a.name
           << "'s risk budget)\n";
        os << text_printf("  %-15s %9s %24s %26s %10s %9s\n", "class", "paths", "exit day diff [CI]", "P&L diff [CI]",
                          "P(earlier)", "P(better)");
        for (int c = 0; c < kPathClassCount; ++c) {
            const PairClassSummary& k = p.classes[c];
            if (k.paths < 2) {
                os << text_printf("  %-15s %9llu\n", kPathClassNames[c], (unsigned long long)k.paths);
                continue;
            }
            const double to_pct = 100 / a.risk_budget;
            os << text_printf("  %-15s %9llu %7.2f [%6.2f,%6.2f] %8.3f [%7.3f,%7.3f] %9.1f%% %8.1f%%\n",
                              kPathClassNames[c], (unsigned long long)k.paths, k.exit_day_diff_mean,
                              k.exit_day_diff_ci[0], k.exit_day_diff_ci[1], k.pnl_diff_mean * to_pct,
                              k.pnl_diff_ci[0] * to_pct, k.pnl_diff_ci[1] * to_pct, 100 * k.prob_b_earlier,
                              100 * k.prob_b_better);
        }
    }
    if (!r.verdict.empty()) os << "verdict: " << r.verdict << "\n";
    return os.str();
}

}  // namespace condor
