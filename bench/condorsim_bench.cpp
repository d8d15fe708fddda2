// The benchmark suite (docs/performance.md): the two standard workloads on every
// available backend, in float and double, over a list of path counts; the
// machine's ceilings measured in the same run; each timing set against the
// floor of bench/floor_model.h; QuantLib's Heston paths as the CPU reference.
// Writes DIR/bench-TAG-DATE.csv and .md.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "bench/ceilings.h"
#include "bench/floor_model.h"
#include "bench/workloads.h"
#include "host/build_info.h"
#include "host/engine.h"
#include "host/sim_setup.h"
#include "host/strategy_setup.h"
#include "host/text_format.h"
#include "kernels/chunk_runner.h"
#if defined(CONDOR_BENCH_QUANTLIB)
#include "bench/quantlib_heston.h"
#endif

using namespace condor;
using namespace condor::bench;

namespace {

struct Row {
    std::string device, driver, workload, backend, precision;
    std::uint64_t paths = 0;
    int steps = 0, threads = 0;
    double wall_s = 0, kernel_s = 0, table_s = 0;
    double simulate_s = 0, reduce_s = 0, strategy_s = 0;  // the kernel time's parts
    Floor floor;
    std::string note;

    double path_steps_per_s() const { return kernel_s > 0 ? double(paths) * steps / kernel_s : 0; }
    double per_core() const { return backend == "cuda" ? path_steps_per_s() : path_steps_per_s() / threads; }
    double ratio() const { return floor.seconds() > 0 ? kernel_s / floor.seconds() : 0; }
};

struct Options {
    std::vector<std::string> workloads = {"paths-only", "standard"};
    std::vector<std::string> backends;  // empty: every available one
    std::vector<std::string> precisions = {"float", "double"};
    std::vector<double> sizes = {1e5, 1e6, 1e7, 1e8};
    std::uint64_t max_cpu_paths = 1000000;
    long quantlib_paths = 20000;
    int threads = 0;
    std::string output_dir = "results", tag;
};

std::string today_utc() {
    const std::time_t now = std::time(nullptr);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&now));
    return text;
}

// The condor-days a run's trades had to mark, per path. Strategies in a row
// that trade the same condor share its marks (kernels/strategy_chunk.h), so a
// group costs the days of its longest-held member. The largest of the members'
// mean holdings is at most the mean of the per-path largest, so the floor stays
// a lower bound.
double marked_condor_days(const RunOutput& out, const StrategyRunParams& p) {
    const auto& strategies = out.strategies.strategies;
    double days = 0, group_days = 0;
    for (std::size_t s = 0; s < strategies.size(); ++s) {
        if (!p.strategies[s].shares_previous_condor) {
            days += group_days;
            group_days = 0;
        }
        group_days = std::max(group_days, strategies[s].classes[kAllPaths].exit_day_mean + 1);
    }
    return days + group_days;
}

// The floor's work for one run (bench/floor_model.h): per-step and per-close
// counts times the run's steps and closes, plus the condor-days its trades
// actually marked (`tables`: the run's pricing tables, when it trades).
OpCounts run_counts(const WorkloadRun& w, const RunOutput& out, int real_bytes, const StrategyTables* tables) {
    const SimParams<double> p = make_sim_params<double>(w.scenario);
    OpCounts step = qe_step_counts();
    if (p.regime[0].lambda > 0 || p.regime[1].lambda > 0) step += jump_check_counts();
    if (p.regime_enabled) step += OpCounts{kPhiloxOps + 2, 0, 0};
    OpCounts per_path = double(w.steps) * step;
    per_path += double(out.days) * daily_close_counts(!w.terminal_only, real_bytes);
    per_path += OpCounts{0, 0, 2.0 * (2 * real_bytes + 12)};  // per-path series written and reduced
    if (!out.strategies.strategies.empty()) {
        if (!tables) throw std::logic_error("run_counts: a run with strategies needs its pricing tables");
        per_path +=
            marked_condor_days(out, make_strategy_params(w.scenario, *tables)) * strategy_day_counts(real_bytes);
    }
    return double(out.paths) * per_path;
}

// `warm_tables`: the standard workload's tables for the warm-up runs, built by
// the first one that needs them and kept by the caller.
Row run_one(const std::string& workload, Backend backend, Precision precision, std::uint64_t paths, int threads,
            const Ceilings& ceilings, std::shared_ptr<const StrategyTables>& warm_tables) {
    const WorkloadRun w = make_workload(workload, paths);
    RunOptions o;
    o.backend = backend;
    o.precision = precision;
    o.threads = threads;
    o.terminal_statistics_only = w.terminal_only;
    // Warm-up: first touch of memory, CUDA context and module load. It gets
    // prebuilt tables only to save time; the timed run builds its own, as a
    // user's run does, and reports them apart (table_s).
    const WorkloadRun warm = make_workload(workload, std::min<std::uint64_t>(paths, 4096));
    RunOptions warm_options = o;
    if (!warm.scenario.strategies.empty()) {
        if (!warm_tables) warm_tables = build_strategy_tables(warm.scenario, threads);
        warm_options.tables = warm_tables;
    }
    run_paths(warm.scenario, warm_options);
    const RunOutput out = run_paths(w.scenario, o);

    Row r;
    r.device = out.device;
    r.driver = out.backend == "cuda" ? cuda_driver_version() : "-";
    r.workload = workload;
    r.backend = out.backend;
    r.precision = out.precision;
    r.paths = out.paths;
    r.steps = w.steps;
    r.threads = out.backend == "cuda" ? 0 : out.threads;
    r.wall_s = out.timings.total_seconds;
    r.kernel_s = out.timings.simulate_seconds + out.timings.reduce_seconds + out.timings.strategy_seconds;
    r.table_s = out.timings.table_seconds;
    r.simulate_s = out.timings.simulate_seconds;
    r.reduce_s = out.timings.reduce_seconds;
    r.strategy_s = out.timings.strategy_seconds;
    r.floor = floor_of(run_counts(w, out, precision == Precision::single ? 4 : 8, warm_tables.get()), ceilings);
    return r;
}

const char* kCsvHeader =
    "device,driver,commit,workload,backend,precision,paths,steps,threads,wall_s,kernel_s,table_s,path_steps_per_s,"
    "path_steps_per_s_per_core,floor_s,floor_arithmetic_s,floor_special_s,floor_memory_s,floor_dominant,"
    "kernel_over_floor,simulate_s,reduce_s,strategy_s,note";

std::string csv_line(const Row& r) {
    return text_printf(
        "\"%s\",%s,%s,%s,%s,%s,%llu,%d,%d,%.4f,%.4f,%.3f,%.4g,%.4g,%.4g,%.4g,%.4g,%.4g,%s,%.3g,%.4f,%.4f,%.4f,\"%s\"",
        r.device.c_str(), r.driver.c_str(), build_info::git_commit, r.workload.c_str(), r.backend.c_str(),
        r.precision.c_str(), (unsigned long long)r.paths, r.steps, r.threads, r.wall_s, r.kernel_s, r.table_s,
        r.path_steps_per_s(), r.per_core(), r.floor.seconds(), r.floor.arithmetic_s, r.floor.special_s,
        r.floor.memory_s, r.floor.dominant().c_str(), r.ratio(), r.simulate_s, r.reduce_s, r.strategy_s,
        r.note.c_str());
}

std::string markdown(const std::vector<Row>& rows, const std::map<std::string, Ceilings>& ceilings,
                     const std::vector<std::string>& notes) {
    std::ostringstream md;
    md << "# condorsim benchmark, " << today_utc() << "\n\n";
    md << "Commit `" << build_info::git_commit << "`, built " << build_info::build_type << " with "
       << build_info::compiler << ". Generated by `bench/condorsim_bench` (docs/performance.md).\n\n";
    md << "| workload | backend | precision | paths | steps | threads | wall s | kernel s | path-steps/s | per core "
          "| floor s (dominant) | kernel / floor |\n";
    md << "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n";
    for (const Row& r : rows)
        md << text_printf("| %s | %s | %s | %.0e | %d | %s | %.3f | %.4f | %.3g | %.3g | %.3g (%s) | %.3g |\n",
                          r.workload.c_str(), r.backend.c_str(), r.precision.c_str(), double(r.paths), r.steps,
                          r.backend == "cuda" ? "-" : std::to_string(r.threads).c_str(), r.wall_s, r.kernel_s,
                          r.path_steps_per_s(), r.per_core(), r.floor.seconds(), r.floor.dominant().c_str(), r.ratio());
    md << "\nDevices: ";
    std::vector<std::string> seen;
    for (const Row& r : rows)
        if (std::find(seen.begin(), seen.end(), r.device) == seen.end()) seen.push_back(r.device);
    for (std::size_t i = 0; i < seen.size(); ++i) md << (i ? "; " : "") << seen[i];
    md << ".\n\nCeilings measured in this run (multiply-adds/s, special calls/s, copy bytes/s). The floor uses "
          "\"special/s\", our functions as the engine calls them; \"library special/s\" is the same mix with the "
          "platform's log, sine and cosine (libm on the CPU, one value at a time; CUDA's log and sincospi):\n\n";
    md << "| backend, precision | multiply-add/s | special/s | library special/s | copy B/s |\n"
          "|---|---:|---:|---:|---:|\n";
    for (const auto& [key, c] : ceilings)
        md << text_printf("| %s | %.3g | %.3g | %.3g | %.3g |\n", key.c_str(), c.arithmetic_per_s, c.special_per_s,
                          c.library_special_per_s, c.copy_bytes_per_s);
    if (!notes.empty()) {
        md << "\n";
        for (const std::string& n : notes) md << "- " << n << "\n";
    }
    return md.str();
}

// "h100" from "NVIDIA H100 80GB HBM3 (...)"; "cpu" without a GPU.
std::string default_tag(const std::vector<Backend>& backends) {
    if (std::find(backends.begin(), backends.end(), Backend::cuda) == backends.end()) return "cpu";
    std::istringstream words(cuda_device_description(0));
    std::string word, tag = "gpu";
    while (words >> word)
        if (word != "NVIDIA" && word != "Tesla") {
            tag = word;
            break;
        }
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return tag;
}

std::vector<Backend> available_backends(const Options& o) {
    std::vector<Backend> out;
    const bool gpu = cuda_backend_built() && cuda_device_count() > 0;
    if (o.backends.empty()) {
        out.push_back(Backend::cpu);
        if (gpu) out.push_back(Backend::cuda);
        return out;
    }
    for (const std::string& b : o.backends) {
        if (b == "cuda" && !gpu) throw std::runtime_error("--backends cuda: no CUDA device is visible");
        out.push_back(b == "cuda" ? Backend::cuda : Backend::cpu);
    }
    return out;
}

Ceilings ceilings_for(Backend b, Precision p, int threads) {
#if defined(CONDOR_HAVE_CUDA)
    if (b == Backend::cuda) return measure_cuda_ceilings(0, p == Precision::single);
#endif
    (void)b;
    return measure_cpu_ceilings(threads, p == Precision::single);
}

// QuantLib against the CPU backend on one thread each, paths-only, double.
void compare_with_quantlib(const Options& o, std::vector<Row>& rows, std::vector<std::string>& notes,
                           const std::map<std::string, Ceilings>& ceilings) {
#if defined(CONDOR_BENCH_QUANTLIB)
    if (o.quantlib_paths <= 0) return;
    const WorkloadRun w = make_workload("paths-only", std::uint64_t(o.quantlib_paths));
    const SimParams<double> p = make_sim_params<double>(w.scenario);
    const HestonInputs in{double(p.spot),      w.scenario.market.rate, w.scenario.market.dividend_yield,
                          double(p.x0),        p.regime[0].kappa_x,    p.regime[0].theta_x,
                          p.regime[0].sigma_x, p.regime[0].rho};
    const QuantLibTiming ql = time_quantlib_heston(in, o.quantlib_paths, w.steps, w.steps / 252.0);
    Row q;
    q.device = cpu_model_name() + ", 1 threads";
    q.driver = "-";
    q.workload = "paths-only";
    q.backend = "quantlib";
    q.precision = "double";
    q.paths = std::uint64_t(o.quantlib_paths);
    q.steps = w.steps;
    q.threads = 1;
    q.wall_s = q.kernel_s = q.simulate_s = ql.seconds;
    q.note = text_printf("QuantLib HestonProcess QE-M + MultiPathGenerator; mean terminal spot %.2f", ql.mean_terminal);
    // One thread's share of the all-thread ceilings.
    const auto c = ceilings.find("cpu, double");
    const Ceilings one_thread = c == ceilings.end() ? Ceilings{} : (1.0 / o.threads) * c->second;
    const OpCounts per_path = double(w.steps) * qe_step_counts();
    q.floor = floor_of(double(q.paths) * per_path, one_thread);
    rows.push_back(q);
    std::shared_ptr<const StrategyTables> no_tables;  // paths-only has no strategies
    Row ours = run_one("paths-only", Backend::cpu, Precision::double_, std::uint64_t(o.quantlib_paths) * 5, 1,
                       one_thread, no_tables);
    ours.note = "one thread, against QuantLib";
    rows.push_back(ours);
    notes.push_back(text_printf(
        "Paths-only, double, one thread each: condorsim %.3g path-steps/s, QuantLib %.3g: %.1fx faster per core.",
        ours.per_core(), q.per_core(), ours.per_core() / q.per_core()));
#else
    (void)o;
    (void)rows;
    (void)ceilings;
    notes.push_back("QuantLib comparison not built (QuantLib not found at configure time).");
#endif
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"condorsim benchmark suite (docs/performance.md)"};
    Options o;
    app.add_option("--workloads", o.workloads, "paths-only, standard")
        ->delimiter(',')
        ->check(CLI::IsMember({"paths-only", "standard"}))
        ->capture_default_str();
    app.add_option("--backends", o.backends, "cpu, cuda (default: every available one)")
        ->delimiter(',')
        ->check(CLI::IsMember({"cpu", "cuda"}));
    app.add_option("--precisions", o.precisions, "float, double")
        ->delimiter(',')
        ->check(CLI::IsMember({"float", "double"}))
        ->capture_default_str();
    app.add_option("--sizes", o.sizes, "Path counts, e.g. 1e5,1e6")
        ->delimiter(',')
        ->check(CLI::Range(1.0, 1e12))
        ->capture_default_str();
    app.add_option("--max-cpu-paths", o.max_cpu_paths, "Largest path count run on the CPU backend")
        ->capture_default_str();
    app.add_option("--quantlib-paths", o.quantlib_paths, "Paths for the QuantLib reference (0: skip)")
        ->check(CLI::Range(0l, 100000000l))
        ->capture_default_str();
    app.add_option("--threads", o.threads, "CPU threads (0 = all)");
    app.add_option("--output-dir", o.output_dir, "Where bench-TAG-DATE.csv and .md go")->capture_default_str();
    app.add_option("--tag", o.tag, "File name tag (default: gpu model, else cpu)");
    CLI11_PARSE(app, argc, argv);

    try {
        if (o.threads <= 0) o.threads = omp_get_num_procs();
        const std::vector<Backend> backends = available_backends(o);
        std::vector<Row> rows;
        std::vector<std::string> notes;
        std::map<std::string, Ceilings> ceilings;
        std::shared_ptr<const StrategyTables> warm_tables;
        for (Backend b : backends)
            for (const std::string& prec : o.precisions) {
                const Precision p = prec == "float" ? Precision::single : Precision::double_;
                const std::string key = std::string(b == Backend::cuda ? "cuda" : "cpu") + ", " + prec;
                ceilings[key] = ceilings_for(b, p, o.threads);
                for (const std::string& workload : o.workloads)
                    for (double size : o.sizes) {
                        const auto paths = std::uint64_t(std::llround(size));
                        if (b == Backend::cpu && paths > o.max_cpu_paths) continue;
                        rows.push_back(run_one(workload, b, p, paths, o.threads, ceilings[key], warm_tables));
                        std::cerr << csv_line(rows.back()) << "\n";
                    }
            }
        compare_with_quantlib(o, rows, notes, ceilings);

        if (o.tag.empty()) o.tag = default_tag(backends);
        std::filesystem::create_directories(o.output_dir);
        const std::string stem = o.output_dir + "/bench-" + o.tag + "-" + today_utc();
        std::ofstream csv(stem + ".csv");
        csv << kCsvHeader << "\n";
        for (const Row& r : rows) csv << csv_line(r) << "\n";
        std::ofstream(stem + ".md") << markdown(rows, ceilings, notes);
        if (!csv) throw std::runtime_error("cannot write " + stem + ".csv");
        std::cout << markdown(rows, ceilings, notes) << "\nwrote " << stem << ".csv and .md\n";
    } catch (const std::exception& e) {
        std::cerr << "condorsim_bench: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
