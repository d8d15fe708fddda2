#include "host/h5_output.h"

#include <hdf5.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <vector>

#include "host/build_info.h"

namespace condor {
namespace {

void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("HDF5: " + what);
}

// Thin helpers over the HDF5 C API; each closes what it opens.
class Group {
public:
    Group(hid_t parent, const char* name) : id_(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) {
        require(id_ >= 0, std::string("cannot create group ") + name);
    }
    ~Group() { H5Gclose(id_); }
    hid_t id() const { return id_; }

private:
    hid_t id_;
};

template <class T>
hid_t h5_type();
template <>
hid_t h5_type<double>() {
    return H5T_NATIVE_DOUBLE;
}
template <>
hid_t h5_type<unsigned long long>() {
    return H5T_NATIVE_ULLONG;
}
template <>
hid_t h5_type<int>() {
    return H5T_NATIVE_INT;
}
template <>
hid_t h5_type<std::uint64_t>() {
    return H5T_NATIVE_UINT64;
}

// Creates dataset `name` of `type` over `space`, writes `data` (nothing if null),
// and closes the dataset and the space.
void write_raw_dataset(hid_t where, const char* name, hid_t type, hid_t space, const void* data) {
    const hid_t set = H5Dcreate2(where, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    require(set >= 0, std::string("cannot create dataset ") + name);
    const herr_t status = data ? H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) : 0;
    H5Dclose(set);
    H5Sclose(space);
    require(status >= 0, std::string("cannot write dataset ") + name);
}

// The same for a scalar attribute.
void write_raw_attribute(hid_t where, const char* name, hid_t type, const void* data) {
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attr = H5Acreate2(where, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    require(attr >= 0, std::string("cannot create attribute ") + name);
    const herr_t status = H5Awrite(attr, type, data);
    H5Aclose(attr);
    H5Sclose(space);
    require(status >= 0, std::string("cannot write attribute ") + name);
}

template <class T>
void write_dataset(hid_t where, const char* name, const std::vector<T>& data, std::vector<hsize_t> dims = {}) {
    if (dims.empty()) dims = {hsize_t(data.size())};
    write_raw_dataset(where, name, h5_type<T>(), H5Screate_simple(int(dims.size()), dims.data(), nullptr),
                      data.empty() ? nullptr : data.data());
}

template <class T>
void write_scalar(hid_t where, const char* name, T value) {
    write_raw_dataset(where, name, h5_type<T>(), H5Screate(H5S_SCALAR), &value);
}

// A fixed-length UTF-8 string type holding `value` (at least one byte).
hid_t string_type(const std::string& value) {
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, value.empty() ? 1 : value.size());
    H5Tset_cset(type, H5T_CSET_UTF8);
    return type;
}

void write_string(hid_t where, const char* name, const std::string& value) {
    const hid_t type = string_type(value);
    write_raw_dataset(where, name, type, H5Screate(H5S_SCALAR), value.c_str());
    H5Tclose(type);
}

void attribute(hid_t where, const char* name, const std::string& value) {
    const hid_t type = string_type(value);
    write_raw_attribute(where, name, type, value.c_str());
    H5Tclose(type);
}

template <class T>
void attribute(hid_t where, const char* name, T value) {
    write_raw_attribute(where, name, h5_type<T>(), &value);
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return text;
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

ResultsFile::ResultsFile(const std::string& path) : path_(path), temp_path_(path + ".tmp-" + std::to_string(getpid())) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported by exceptions
    file_ = H5Fcreate(temp_path_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (file_ < 0) throw std::runtime_error(path + ": cannot create output file (is the directory writable?)");
}

ResultsFile::~ResultsFile() {
    if (file_ >= 0) H5Fclose(file_);
    if (!committed_) std::remove(temp_path_.c_str());
}

void ResultsFile::write(const Scenario& scenario, const RunOutput& output) {
    write_metadata(file_, scenario, output);
    write_timings(file_, output);
    write_statistics(file_, output);
    write_paths(file_, output);
}

void ResultsFile::commit() {
    const herr_t status = H5Fclose(file_);
    file_ = -1;
    if (status < 0) throw std::runtime_error(path_ + ": cannot finish writing the output file");
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
        throw std::runtime_error(path_ + ": cannot move the finished file into place");
    committed_ = true;
}

}  // namespace condor
