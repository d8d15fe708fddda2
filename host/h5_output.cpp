#include "host/h5_output.h"

#include <stdexcept>
#include <vector>

#include "host/build_info.h"
#include "host/h5_file.h"
#include "host/strategy_report.h"

namespace condor {
namespace {

using namespace h5;

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

void write_metadata(hid_t file, const Scenario& s, const RunOutput& out) {
    attribute(file, "file_type", std::string(kResultsFileType));
    attribute(file, "format_version", kResultsFormatVersion);
    attribute(file, "condorsim_version", std::string(build_info::version));
    attribute(file, "git_commit", std::string(build_info::git_commit));
    attribute(file, "seed", std::uint64_t(s.run.seed));
    attribute(file, "backend", out.backend);
    attribute(file, "precision", out.precision);
    attribute(file, "device", out.device);
    attribute(file, "devices", out.devices);
    attribute(file, "paths", std::uint64_t(out.paths));
    attribute(file, "days", out.days);
    attribute(file, "substeps_per_day", out.substeps_per_day);
    attribute(file, "measure", std::string(s.run.measure == Measure::physical ? "P" : "Q"));
    attribute(file, "scheme", std::string(s.run.scheme == Scheme::qe ? "qe" : "euler"));

    Group scenario(file, "scenario");
    attribute(scenario.id(), "source_path", s.source_path);
    write_string(scenario.id(), "text", s.text);
    write_string(scenario.id(), "overrides", join(s.overrides));
    write_string(scenario.id(), "warnings", join(s.warnings));
}

void write_timings(hid_t file, const RunOutput& out) {
    Group timings(file, "timings");
    const Timings& t = out.timings;
    attribute(timings.id(), "created_utc", utc_now());
    attribute(timings.id(), "threads", out.threads);
    attribute(timings.id(), "chunk_paths", int(out.chunk_paths));
    attribute(timings.id(), "setup_seconds", t.setup_seconds);
    attribute(timings.id(), "simulate_seconds", t.simulate_seconds);
    attribute(timings.id(), "reduce_seconds", t.reduce_seconds);
    attribute(timings.id(), "merge_seconds", t.merge_seconds);
    attribute(timings.id(), "table_seconds", t.table_seconds);
    attribute(timings.id(), "table_source", t.table_source);
    attribute(timings.id(), "table_spx_seconds", t.table_spx_seconds);
    attribute(timings.id(), "table_vix_future_seconds", t.table_vix_future_seconds);
    attribute(timings.id(), "table_vix_option_seconds", t.table_vix_option_seconds);
    attribute(timings.id(), "strategy_seconds", t.strategy_seconds);
    attribute(timings.id(), "strategy_reduce_seconds", t.strategy_reduce_seconds);
    attribute(timings.id(), "total_seconds", t.total_seconds);
    const double path_steps = double(out.paths) * out.days * out.substeps_per_day;
    attribute(timings.id(), "path_steps_per_second", t.simulate_seconds > 0 ? path_steps / t.simulate_seconds : 0.0);
}

void write_series(hid_t group, const std::string& prefix, const SeriesSummary& s, hsize_t rows) {
    write_dataset(group, (prefix + "_mean").c_str(), s.mean);
    write_dataset(group, (prefix + "_sd").c_str(), s.sd);
    if (!s.quantiles.empty())
        write_dataset(group, (prefix + "_quantiles").c_str(), s.quantiles, {rows, hsize_t(quantile_levels().size())});
}

void write_statistics(hid_t file, const RunOutput& out) {
    if (out.first_day != 0)
        throw std::logic_error("results.h5 needs daily statistics; this run kept the last close only");
    Group stats(file, "statistics");
    write_dataset(stats.id(), "quantile_levels", quantile_levels());
    write_scalar(stats.id(), "jumps_per_path", out.jumps_per_path);
    write_scalar(stats.id(), "events_per_path", out.events_per_path);
    write_scalar(stats.id(), "shocks_capped", out.shocks_capped);

    Group daily(stats.id(), "daily");
    std::vector<int> days(out.days + 1);
    for (int d = 0; d <= out.days; ++d) days[d] = d;
    write_dataset(daily.id(), "day", days);
    const char* names[kDailySeriesCount] = {"spx", "vix", "x", "y"};
    for (int s = 0; s < kDailySeriesCount; ++s) write_series(daily.id(), names[s], out.daily[s], hsize_t(out.days + 1));
    attribute(daily.id(), "spx_quantile_max_log_error", out.quantile_max_log_error[kSpx]);
    attribute(daily.id(), "vix_quantile_max_log_error", out.quantile_max_log_error[kVix]);

    const char* path_names[kPathSeriesCount] = {"max_vix", "realized_vol"};
    for (int s = 0; s < kPathSeriesCount; ++s) {
        Group g(stats.id(), path_names[s]);
        write_scalar(g.id(), "mean", out.per_path[s].mean.at(0));
        write_scalar(g.id(), "sd", out.per_path[s].sd.at(0));
        write_dataset(g.id(), "quantiles", out.per_path[s].quantiles);
        write_dataset(g.id(), "histogram_counts", out.per_path_histogram[s]);
        write_dataset(g.id(), "histogram_edges", out.per_path_edges[s]);
        attribute(g.id(), "quantile_max_log_error", out.quantile_max_log_error[kDailySeriesCount + s]);
    }
}

// Sample paths transposed to [path][day], the layout plots want.
void write_paths(hid_t file, const RunOutput& out) {
    Group paths(file, "paths");
    const int k = out.sample_paths, days = out.days + 1;
    std::vector<std::uint64_t> index(k);
    for (int i = 0; i < k; ++i) index[i] = std::uint64_t(i);
    write_dataset(paths.id(), "path_index", index);
    const char* names[kDailySeriesCount] = {"spx", "vix", "x", "y"};
    for (int s = 0; s < kDailySeriesCount; ++s) {
        std::vector<double> by_path(std::size_t(k) * days);
        for (int i = 0; i < k; ++i)
            for (int d = 0; d < days; ++d) by_path[std::size_t(i) * days + d] = out.samples[s][std::size_t(d) * k + i];
        write_dataset(paths.id(), names[s], by_path, {hsize_t(k), hsize_t(days)});
    }
}

void write_class(hid_t parent, const char* name, const ClassSummary& k, int life_days,
                 const std::vector<double>& pnl_edges) {
    Group g(parent, name);
    write_scalar(g.id(), "paths", (unsigned long long)k.paths);
    write_scalar(g.id(), "pnl_mean", k.pnl_mean);
    write_scalar(g.id(), "pnl_sd", k.pnl_sd);
    write_scalar(g.id(), "pnl_se", k.pnl_se);
    write_dataset(g.id(), "pnl_quantiles", k.pnl_quantiles);
    write_dataset(g.id(), "var", k.var);
    write_dataset(g.id(), "es", k.es);
    write_scalar(g.id(), "prob_profit", k.prob_profit);
    write_scalar(g.id(), "prob_stop", k.prob_stop);
    write_scalar(g.id(), "return_on_risk_mean", k.return_on_risk_mean);
    write_scalar(g.id(), "condor_pnl_mean", k.condor_pnl_mean);
    write_scalar(g.id(), "hedge_pnl_mean", k.hedge_pnl_mean);
    write_scalar(g.id(), "hedge_cost_mean", k.hedge_cost_mean);
    write_scalar(g.id(), "credit_mean", k.credit_mean);
    write_scalar(g.id(), "mae_mean", k.mae_mean);
    write_scalar(g.id(), "exit_day_mean", k.exit_day_mean);
    write_dataset(g.id(), "exit_day_mean_ci", std::vector<double>{k.exit_day_ci[0], k.exit_day_ci[1]});
    write_scalar(g.id(), "exit_day_median", k.exit_day_median);
    write_dataset(g.id(), "exit_day_median_ci", std::vector<double>{k.exit_day_median_ci[0], k.exit_day_median_ci[1]});
    write_dataset(g.id(), "exit_reason_counts", k.reason_counts);
    write_dataset(g.id(), "exit_day_histogram", k.exit_day_histogram,
                  {hsize_t(kExitReasonCount), hsize_t(life_days + 1)});
    write_dataset(g.id(), "pnl_histogram", k.pnl_histogram);
    write_dataset(g.id(), "pnl_histogram_edges", pnl_edges);
    if (!k.layer_pnl_mean.empty()) {
        write_dataset(g.id(), "layer_pnl_mean", k.layer_pnl_mean);
        write_dataset(g.id(), "layer_pnl_se", k.layer_pnl_se);
    }
}

void write_strategies(hid_t file, const RunOutput& out) {
    const StrategyResults& r = out.strategies;
    attribute(file, "entry_day", out.entry_day);
    attribute(file, "strategy_count", int(r.strategies.size()));
    if (r.strategies.empty()) return;
    Group top(file, "strategies");
    std::vector<std::string> names;
    for (const StrategySummary& s : r.strategies) names.push_back(s.name);
    write_strings(top.id(), "names", names);
    write_strings(top.id(), "class_names", std::vector<std::string>(kPathClassNames.begin(), kPathClassNames.end()));
    write_strings(top.id(), "reason_names", std::vector<std::string>(kExitReasonNames.begin(), kExitReasonNames.end()));
    write_dataset(top.id(), "pnl_quantile_levels", pnl_quantile_levels());
    write_dataset(top.id(), "risk_levels", risk_levels());
    attribute(top.id(), "verdict", r.verdict);
    write_string(top.id(), "report", strategy_report(r));
    write_string(file, "verdict", r.verdict);
    if (out.precision_half_width > 0) {
        attribute(top.id(), "precision_half_width", out.precision_half_width);
        attribute(top.id(), "precision_met", int(out.precision_met));
    }
    for (std::size_t i = 0; i < r.strategies.size(); ++i) {
        const StrategySummary& s = r.strategies[i];
        Group g(top.id(), s.name.c_str());
        attribute(g.id(), "index", int(i));
        attribute(g.id(), "entry_dte_calendar", s.entry_dte);
        attribute(g.id(), "life_days", s.life_days);
        attribute(g.id(), "risk_budget", s.risk_budget);
        attribute(g.id(), "hedged", int(!s.layer_names.empty()));
        std::string layers;
        for (const std::string& l : s.layer_names) layers += (layers.empty() ? "" : ",") + l;
        attribute(g.id(), "layer_names", layers);
        for (int c = 0; c < kPathClassCount; ++c)
            write_class(g.id(), kPathClassNames[c], s.classes[c], s.life_days, s.pnl_histogram_edges);
    }
    Group comparisons(file, "comparisons");
    for (const PairSummary& p : r.pairs) {
        const std::string a = r.strategies[p.a].name, b = r.strategies[p.b].name;
        Group g(comparisons.id(), (b + "_vs_" + a).c_str());
        attribute(g.id(), "a", a);
        attribute(g.id(), "b", b);
        for (int c = 0; c < kPathClassCount; ++c) {
            const PairClassSummary& k = p.classes[c];
            Group cg(g.id(), kPathClassNames[c]);
            write_scalar(cg.id(), "paths", (unsigned long long)k.paths);
            write_scalar(cg.id(), "exit_day_diff_mean", k.exit_day_diff_mean);
            write_dataset(cg.id(), "exit_day_diff_ci",
                          std::vector<double>{k.exit_day_diff_ci[0], k.exit_day_diff_ci[1]});
            write_scalar(cg.id(), "pnl_diff_mean", k.pnl_diff_mean);
            write_dataset(cg.id(), "pnl_diff_ci", std::vector<double>{k.pnl_diff_ci[0], k.pnl_diff_ci[1]});
            write_scalar(cg.id(), "prob_b_earlier", k.prob_b_earlier);
            write_scalar(cg.id(), "prob_b_better", k.prob_b_better);
        }
    }
}

// Sample P&L paths per strategy, [path][day] like the other sample series.
void write_strategy_paths(hid_t file, const RunOutput& out) {
    if (out.sample_pnl.empty() || out.sample_paths == 0) return;
    const int k = out.sample_paths, days = out.days + 1;
    Group paths(file, "paths/strategies");
    for (std::size_t s = 0; s < out.sample_pnl.size(); ++s) {
        Group g(paths.id(), out.strategies.strategies[s].name.c_str());
        std::vector<double> by_path(std::size_t(k) * days);
        for (int i = 0; i < k; ++i)
            for (int d = 0; d < days; ++d)
                by_path[std::size_t(i) * days + d] = out.sample_pnl[s][std::size_t(d) * k + i];
        write_dataset(g.id(), "pnl", by_path, {hsize_t(k), hsize_t(days)});
        write_dataset(g.id(), "exit_day", out.sample_exit_day[s]);
        write_dataset(g.id(), "exit_reason", out.sample_exit_reason[s]);
    }
}

}  // namespace

ResultsFile::ResultsFile(const std::string& path) : file_(path) {}

void ResultsFile::write(const Scenario& scenario, const RunOutput& output) {
    write_metadata(file_.id(), scenario, output);
    write_timings(file_.id(), output);
    write_statistics(file_.id(), output);
    write_paths(file_.id(), output);
    write_strategies(file_.id(), output);
    write_strategy_paths(file_.id(), output);
}

void ResultsFile::commit() { file_.commit(); }

}  // namespace condor
