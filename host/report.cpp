#include "host/report.h"

#include <cstdio>

#include "host/strategy_report.h"
#include "host/text_format.h"

namespace condor {
namespace {

// Quantile k (of quantile_levels()) of row `row` of a daily series.
double q(const SeriesSummary& s, int row, int k) {
    return s.quantiles[std::size_t(row) * quantile_levels().size() + k];
}

}  // namespace

void print_summary(std::ostream& os, const Scenario& s, const RunOutput& o, const std::string& file) {
    const int last = o.days;
    const double path_steps = double(o.paths) * o.days * o.substeps_per_day;
    os << "condorsim run: " << o.paths << " paths x " << o.days << " days x " << o.substeps_per_day
       << " steps/day, measure " << (s.run.measure == Measure::physical ? "P" : "Q") << ", " << o.backend << " ("
       << o.device << "), " << o.precision << "\n";
    os << text_printf("  time %.3f s (setup %.3f s, simulate %.3f s, reduce %.3f s, merge %.3f s); %.3g path-steps/s\n",
                      o.timings.total_seconds, o.timings.setup_seconds, o.timings.simulate_seconds,
                      o.timings.reduce_seconds, o.timings.merge_seconds,
                      o.timings.simulate_seconds > 0 ? path_steps / o.timings.simulate_seconds : 0.0);
    os << "  day " << last << "            mean        p1        p5       p50       p95       p99\n";
    const SeriesSummary& spx = o.daily[kSpx];
    const SeriesSummary& vix = o.daily[kVix];
    os << text_printf("  SPX       %10.2f%10.1f%10.1f%10.1f", spx.mean[last], q(spx, last, 0), q(spx, last, 1),
                      q(spx, last, 3))
       << text_printf("%10.1f%10.1f\n", q(spx, last, 5), q(spx, last, 6));
    os << text_printf("  VIX       %10.2f%10.2f%10.2f%10.2f", vix.mean[last], q(vix, last, 0), q(vix, last, 1),
                      q(vix, last, 3))
       << text_printf("%10.2f%10.2f\n", q(vix, last, 5), q(vix, last, 6));
    const SeriesSummary& max_vix = o.per_path[kMaxVix];
    os << text_printf("  max VIX   %10.2f%10.2f%10.2f%10.2f", max_vix.mean[0], max_vix.quantiles[0],
                      max_vix.quantiles[1], max_vix.quantiles[3])
       << text_printf("%10.2f%10.2f\n", max_vix.quantiles[5], max_vix.quantiles[6]);
    const SeriesSummary& rv = o.per_path[kRealizedVol];
    os << text_printf("  real. vol %10.4f%10.4f%10.4f%10.4f", rv.mean[0], rv.quantiles[0], rv.quantiles[1],
                      rv.quantiles[3])
       << text_printf("%10.4f%10.4f\n", rv.quantiles[5], rv.quantiles[6]);
    os << text_printf("  jumps per path %.4f, scheduled events per path %.4f", o.jumps_per_path, o.events_per_path);
    if (o.shocks_capped) os << ", shocks whose VIX target was unreachable: " << o.shocks_capped;
    os << "\n";
    if (!o.strategies.strategies.empty()) {
        os << text_printf("  entry after %.0f warm-up days; pricing tables %.1f s, strategy kernel %.3f s",
                          double(o.entry_day), o.timings.table_seconds, o.timings.strategy_seconds);
        if (o.timings.strategy_reduce_seconds > 0)
            os << text_printf(", their block statistics %.3f s", o.timings.strategy_reduce_seconds);
        os << "\n";
        const Timings& t = o.timings;
        if (!t.table_source.empty() && t.table_source != "built") os << "  pricing tables " << t.table_source << "\n";
        if (t.table_spx_seconds > 0) {
            os << text_printf("  table builds: SPX %.2f s", t.table_spx_seconds);
            if (t.table_vix_option_seconds > 0)  // only strategies with VIX hedges need the VIX tables
                os << text_printf(", VIX futures %.2f s, VIX options %.2f s", t.table_vix_future_seconds,
                                  t.table_vix_option_seconds);
            os << text_printf(" on %d threads\n", o.threads);
        }
        if (s.precision.enabled)
            os << text_printf("  stopped on precision: 95%% CI half-width %.4g after %.0f paths (target %.4g",
                              o.precision_half_width, double(o.paths), s.precision.half_width)
               << (o.precision_met ? ", met)\n" : ", NOT met: run.paths reached first)\n");
        os << strategy_report(o.strategies);
    }
    os << "  wrote " << file << "\n";
}

}  // namespace condor
