#include "host/h5_output.h"

#include <vector>

#include "host/build_info.h"
#include "host/h5_file.h"

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

}  // namespace

ResultsFile::ResultsFile(const std::string& path) : file_(path) {}

void ResultsFile::write(const Scenario& scenario, const RunOutput& output) {
    write_metadata(file_.id(), scenario, output);
    write_timings(file_.id(), output);
    write_statistics(file_.id(), output);
    write_paths(file_.id(), output);
}

void ResultsFile::commit() { file_.commit(); }

}  // namespace condor
