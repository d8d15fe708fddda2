// condorsim: the command line (CLI11).
#include <omp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/build_info.h"
#include "host/calibration/calibrate.h"
#include "host/calibration/fit_report.h"
#include "host/calibration/market_data.h"
#include "host/config_reader.h"
#include "host/engine.h"
#include "host/h5_output.h"
#include "host/price_quote.h"
#include "host/report.h"
#include "host/scenario.h"
#include "host/sim_setup.h"
#include "host/table_cache.h"
#include "kernels/chunk_runner.h"
#include "kernels/lanes.h"

namespace {

using namespace condor;

struct RunArgs {
    std::string scenario;
    std::string output = "results.h5";
    std::uint64_t paths = 0;
    std::uint64_t seed = 0;
    bool seed_given = false;
    std::string backend = "auto";
    std::string precision = "double";
    int threads = 0;
    std::uint64_t chunk_paths = 0;
    std::string devices = "1";
    std::vector<std::string> sets;
    std::string table_cache = default_table_cache_dir();
    bool no_table_cache = false;
    bool quiet = false;
};

Scenario load(const RunArgs& a, std::vector<std::string> overrides) {
    if (a.paths) overrides.push_back("run.paths=" + std::to_string(a.paths));
    if (a.seed_given) overrides.push_back("run.seed=" + std::to_string(a.seed));
    if (a.scenario.empty()) return load_scenario_text(default_scenario_text(), kDefaultScenarioName, overrides);
    return load_scenario_file(a.scenario, overrides);
}

void print_progress(std::uint64_t done, std::uint64_t total, double seconds) {
    const double rate = seconds > 0 ? double(done) / seconds : 0;
    const double left = rate > 0 ? double(total - done) / rate : 0;
    std::fprintf(stderr, "\r%5.1f%%  %.3g paths/s  %.0f s left   ", 100.0 * double(done) / double(total), rate, left);
    if (done == total) std::fprintf(stderr, "\n");
}

int run_command(const RunArgs& a) {
    Scenario scenario = load(a, a.sets);
    for (const auto& w : scenario.warnings) std::cerr << "condorsim: warning: " << w << "\n";
    for (const auto& w : ignored_under_q(scenario)) std::cerr << "condorsim: warning: " << w << "\n";

    RunOptions options;
    options.backend = a.backend == "cpu" ? Backend::cpu : a.backend == "cuda" ? Backend::cuda : Backend::automatic;
    options.precision = a.precision == "float" ? Precision::single : Precision::double_;
    options.threads = a.threads;
    options.chunk_paths = a.chunk_paths;
    options.devices = a.devices == "all" ? 0 : std::stoi(a.devices);
    if (!a.no_table_cache) options.table_cache_dir = a.table_cache;
    const auto start = std::chrono::steady_clock::now();
    if (isatty(STDERR_FILENO) && !a.quiet)
        options.progress = [start](std::uint64_t done, std::uint64_t total) {
            print_progress(done, total,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        };

    ResultsFile file(a.output);  // fails now, before the run, if the path is unwritable
    const RunOutput output = run_paths(scenario, options);
    if (output.backend == "cpu" && a.devices != "1")
        std::cerr << "condorsim: warning: --devices " << a.devices
                  << " applies to the CUDA backend; this run used the CPU\n";
    file.write(scenario, output);
    file.commit();
    if (!a.quiet) print_summary(std::cout, scenario, output, a.output);
    return 0;
}

struct PriceArgs {
    std::string scenario;
    std::string instrument;
    std::optional<double> strike;
    double years = 0;
    std::optional<double> x, y, spot;
    std::string method = "exact";
    std::vector<std::string> sets;
    bool json = false;
};

int price_command(const PriceArgs& a) {
    const Scenario scenario = a.scenario.empty()
                                  ? load_scenario_text(default_scenario_text(), kDefaultScenarioName, a.sets)
                                  : load_scenario_file(a.scenario, a.sets);
    for (const auto& w : scenario.warnings) std::cerr << "condorsim: warning: " << w << "\n";
    // CLI11's range checks let NaN through.
    for (const auto& [option, value] :
         {std::pair{"--strike", a.strike}, std::pair{"--x", a.x}, std::pair{"--y", a.y}, std::pair{"--spot", a.spot},
          std::pair{"--years", std::optional<double>(a.years)}})
        if (value && !std::isfinite(*value))
            throw std::invalid_argument(std::string(option) + ": must be a finite number");
    const double spot = a.spot.value_or(scenario.market.spot);
    if (a.strike && a.instrument.rfind("spx", 0) == 0 && (*a.strike < 1e-6 * spot || *a.strike > 1e6 * spot))
        throw std::invalid_argument("--strike: " + format_number(*a.strike) + " is outside [1e-6, 1e6] x spot");
    QuoteRequest request;
    request.type = a.instrument == "spx-put" || a.instrument == "vix-put" ? OptionType::put : OptionType::call;
    request.years = a.years;
    request.spot = a.spot.value_or(scenario.market.spot);
    request.x = a.x.value_or(scenario.state.x0);
    request.y = a.y.value_or(scenario.state.y0);
    if (a.instrument == "vix-future") {
        if (a.strike) throw std::invalid_argument("--strike: a VIX future has no strike");
        print_vix_future(std::cout, vix_future_quote(scenario, request), a.json);
        return 0;
    }
    if (!a.strike) throw std::invalid_argument("--strike is required for " + a.instrument);
    request.strike = *a.strike;
    const bool vix_option = a.instrument == "vix-call" || a.instrument == "vix-put";
    Quote quote;
    if (vix_option && a.method == "table") {
        check_vix_table_domain(request, VixOptionTableDomain{});  // before the build, which takes seconds
        quote = quote_vix_option_from_table(
            scenario, request, VixOptionTable(AffineTransform(risk_neutral_model(scenario)), VixOptionTableDomain{}));
    } else if (vix_option)
        quote = quote_vix_option(scenario, request);
    else if (a.method == "table") {
        check_spx_table_domain(request, SpxVolTableDomain{});  // before the build, which takes seconds
        quote = quote_spx_option_from_table(
            scenario, request, SpxVolTable(AffineTransform(risk_neutral_model(scenario)), SpxVolTableDomain{}));
    } else
        quote = quote_spx_option(scenario, request);
    if (!quote.cos_converged)
        std::cerr << "condorsim: warning: the COS series reached its term limit (the law at this state and expiry is "
                     "nearly a point mass); the price may be inaccurate in its last digits\n";
    if (a.json)
        print_quote_json(std::cout, quote, a.instrument);
    else
        print_quote_text(std::cout, quote, a.instrument);
    return 0;
}

struct CalibrateArgs {
    std::string scenario;
    std::string vix, spx;
    std::string from = "0001-01-01", to = "9999-12-31";
    std::string output;
    std::string report;  // default: the output's name with .h5
    int histories = 48;
    std::uint64_t seed = 20261127;
    int threads = 0;
    int max_iterations = 30;
    int starts = 4;
    std::vector<std::string> fit;
    std::vector<std::string> sets;
    bool quiet = false;
};

DayNumber date_option(const char* option, const std::string& text) {
    DayNumber day;
    if (!parse_date(text, day))
        throw std::invalid_argument(std::string(option) + ": unparsable date '" + text + "' (expected YYYY-MM-DD)");
    return day;
}

// The fragment is written beside its target and renamed into place, like the
// HDF5 files: an unwritable path fails before the fit, a failed run leaves nothing.
class AtomicTextFile {
public:
    explicit AtomicTextFile(const std::string& path) : path_(path), temp_(path + ".tmp-" + std::to_string(getpid())) {
        out_.open(temp_);
        if (!out_) throw std::runtime_error(path + ": cannot create output file (is the directory writable?)");
    }
    ~AtomicTextFile() {
        if (!committed_) std::remove(temp_.c_str());
    }
    void commit(const std::string& text) {
        out_ << text;
        out_.close();
        if (!out_ || std::rename(temp_.c_str(), path_.c_str()) != 0)
            throw std::runtime_error(path_ + ": cannot write the output file");
        committed_ = true;
    }

private:
    std::string path_, temp_;
    std::ofstream out_;
    bool committed_ = false;
};

int calibrate_command(const CalibrateArgs& a, const std::string& command_line) {
    const Scenario start = a.scenario.empty()
                               ? load_scenario_text(default_scenario_text(), kDefaultScenarioName, a.sets)
                               : load_scenario_file(a.scenario, a.sets);
    const DayNumber from = date_option("--from", a.from), to = date_option("--to", a.to);
    if (from > to) throw std::invalid_argument("--from: " + a.from + " is after --to " + a.to);
    const CloseSeries vix = read_close_series(a.vix), spx = read_close_series(a.spx);
    const MarketHistory history = align_history(vix, spx, from, to, 252);

    std::string report_path = a.report;
    if (report_path.empty()) {
        const std::size_t dot = a.output.find_last_of('.'), slash = a.output.find_last_of('/');
        const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash);
        report_path = (has_extension ? a.output.substr(0, dot) : a.output) + ".h5";
    }
    AtomicTextFile fragment_file(a.output);   // both fail now, before the fit,
    h5::AtomicFile report_file(report_path);  // if their paths are unwritable

    CalibrationSettings settings;
    settings.histories.histories = a.histories;
    settings.histories.seed = a.seed;
    settings.histories.threads = a.threads;
    settings.max_iterations = a.max_iterations;
    settings.starts = a.starts;
    settings.parameters = a.fit;
    if (!a.quiet) settings.log = [](const std::string& line) { std::cerr << line << "\n"; };
    const CalibrationResult result = calibrate(start, history, settings);

    CalibrationInputs inputs;
    inputs.command_line = command_line;
    inputs.vix_file = a.vix;
    inputs.spx_file = a.spx;
    inputs.first_date = format_date(history.dates.front());
    inputs.last_date = format_date(history.dates.back());
    inputs.days = history.dates.size();
    const std::string fragment = scenario_fragment(result, inputs);
    write_fit_report(report_file.id(), result, inputs);
    report_file.commit();
    fragment_file.commit(fragment);
    if (!a.quiet) {
        print_fit_report(std::cout, result, inputs);
        std::cout << "  wrote " << a.output << " and " << report_path << "\n";
    }
    return 0;
}

// How many paths the CPU backend advances per vector (kernels/lanes.h).
std::string cpu_lanes_description() {
#if defined(CONDOR_HAVE_LANES)
    return std::to_string(LaneTypes<double>::width) + " paths per vector in double, " +
           std::to_string(LaneTypes<float>::width) + " in float (" + std::to_string(8 * kLaneBytes) + "-bit vectors)";
#else
    return "none: one path at a time (build with CONDOR_NATIVE=ON on an AVX2 or AVX-512 machine for vector lanes)";
#endif
}

int info_command() {
    std::cout << "condorsim " << build_info::version << "\n"
              << "  git commit:   " << build_info::git_commit << "\n"
              << "  build type:   " << build_info::build_type << "\n"
              << "  compiler:     " << build_info::compiler << "\n"
              << "  backends:     cpu (OpenMP, " << omp_get_num_procs() << " cores)"
              << (cuda_backend_built() ? ", cuda" : "") << "\n"
              << "  precisions:   float, double\n"
              << "  CPU lanes:    " << cpu_lanes_description() << "\n"
              << "  table cache:  " << table_cache_summary(default_table_cache_dir()) << "\n";
    if (cuda_backend_built()) {
        std::cout << "  CUDA archs:   " << build_info::cuda_architectures << "\n";
        const int n = cuda_device_count();
        std::cout << "  visible GPUs: " << n << "\n";
        for (int d = 0; d < n; ++d) std::cout << "    [" << d << "] " << cuda_device_description(d) << "\n";
    } else {
        std::cout << "  visible GPUs: none (CUDA backend not built: nvcc was not found at configure time)\n";
    }
    return 0;
}

// Reprints the summary `condorsim run` printed for the strategies, from the
// text and metadata stored in results.h5.
int report_command(const std::string& path) {
    std::unique_ptr<h5::ReadOnlyFile> opened;
    try {
        opened = std::make_unique<h5::ReadOnlyFile>(path);
    } catch (const std::runtime_error& e) {
        throw std::invalid_argument(e.what());  // bad input: exit status 2
    }
    const h5::ReadOnlyFile& file = *opened;
    std::string type;
    try {
        type = h5::read_string_attribute(file.id(), "file_type");
    } catch (const std::runtime_error&) {
    }
    if (type != kResultsFileType)
        throw std::invalid_argument(path + ": not a condorsim results file (no file_type = \"" +
                                    std::string(kResultsFileType) + "\" attribute)");
    std::cout << "condorsim report: " << path << " (condorsim "
              << h5::read_string_attribute(file.id(), "condorsim_version") << ", commit "
              << h5::read_string_attribute(file.id(), "git_commit") << ", "
              << h5::read_string_attribute(file.id(), "backend") << ", "
              << h5::read_string_attribute(file.id(), "precision") << ")\n";
    if (!h5::exists(file.id(), "strategies")) {
        std::cout << "  no strategies in this file (the scenario had no [[strategy]] tables)\n";
        return 0;
    }
    std::cout << h5::read_string(file.id(), "strategies/report");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"condorsim: Monte Carlo SPX/VIX scenario engine (two-factor SVCJ paths on CPU or CUDA)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(build_info::version) + " (" + build_info::git_commit + ")");

    RunArgs args;
    CLI::App* run = app.add_subcommand("run", "Simulate a scenario's paths and write statistics to HDF5");
    run->add_option("SCENARIO", args.scenario, "Scenario TOML file (default: the built-in scenarios/default.toml)")
        ->type_name("FILE");
    run->add_option("-o,--output", args.output, "Output HDF5 file, written atomically")->capture_default_str();
    run->add_option("--paths", args.paths, "Number of paths (overrides run.paths)")
        ->check(CLI::Range(1ull, 1ull << 48));
    run->add_option_function<std::uint64_t>(
           "--seed", [&](const std::uint64_t& s) { args.seed = s, args.seed_given = true; },
           "Random seed (overrides run.seed)")
        ->check(CLI::Range(std::uint64_t(0), std::uint64_t(INT64_MAX)));
    run->add_option("--backend", args.backend, "auto (CUDA if a GPU is visible, else CPU), cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    run->add_option("--precision", args.precision, "Floating-point precision of the path kernels")
        ->check(CLI::IsMember({"float", "double"}))
        ->capture_default_str();
    run->add_option("--threads", args.threads, "CPU threads (0 = all cores)")->check(CLI::Range(0, 4096));
    run->add_option("--chunk-paths", args.chunk_paths,
                    "Paths per chunk, rounded up to a multiple of 1024 (0 = automatic; results do not depend on it)");
    run->add_option("--devices", args.devices,
                    "CUDA devices used together: a count from device 0, or all (same results as one device)")
        ->check(CLI::IsMember({"all"}) | CLI::Range(1, 64))
        ->capture_default_str();
    run->add_option("--set", args.sets,
                    "Override a scenario key, repeatable: --set model.rho=-0.7 --set event[0].day=5 "
                    "(TOML value syntax; docs/scenario-format.md)")
        ->take_all()
        ->allow_extra_args(false);
    run->add_option("--table-cache", args.table_cache,
                    "Folder where the pricing tables are kept between runs of the same model (default: "
                    "$CONDORSIM_TABLE_CACHE, else $XDG_CACHE_HOME/condorsim, else ~/.cache/condorsim; "
                    "results do not depend on it)")
        ->type_name("DIR");
    run->add_flag("--no-table-cache", args.no_table_cache,
                  "Build the pricing tables in this run, neither load nor save them");
    run->add_flag("-q,--quiet", args.quiet, "Print nothing but errors and warnings");

    PriceArgs price_args;
    CLI::App* price = app.add_subcommand("price",
                                         "Price one instrument under the scenario's risk-neutral model (exact "
                                         "Fourier/Laplace methods, docs/pricing.md)");
    price->add_option("SCENARIO", price_args.scenario, "Scenario TOML file (default: the built-in default)")
        ->type_name("FILE");
    price
        ->add_option("--instrument", price_args.instrument,
                     "spx-call, spx-put, vix-call, vix-put (European) or vix-future")
        ->required()
        ->check(CLI::IsMember({"spx-call", "spx-put", "vix-call", "vix-put", "vix-future"}));
    price->add_option("--strike", price_args.strike, "Strike: index points (SPX) or VIX points (VIX options)")
        ->check(CLI::PositiveNumber);
    price->add_option("--years", price_args.years, "Time to expiry in years (one trading day = 1/252)")
        ->required()
        ->check(CLI::Range(1e-6, 30.0));
    price->add_option("--x", price_args.x, "Slow variance factor x (annual variance; default state.x0)")
        ->check(CLI::Range(0.0, 10.0));
    price->add_option("--y", price_args.y, "Spike variance factor y (annual variance; default state.y0)")
        ->check(CLI::Range(0.0, 10.0));
    price->add_option("--spot", price_args.spot, "SPX level (default market.spot)")->check(CLI::PositiveNumber);
    price
        ->add_option("--method", price_args.method,
                     "exact (Fourier/Laplace) or table (the kernels' SPX implied-vol or VIX option table)")
        ->check(CLI::IsMember({"exact", "table"}))
        ->capture_default_str();
    price->add_option("--set", price_args.sets, "Override a scenario key, repeatable (as for run)")
        ->take_all()
        ->allow_extra_args(false);
    price->add_flag("--json", price_args.json,
                    "Print one JSON object: price, implied_vol, delta, vega (Black, per 1.00 vol), vix, forward, ...");

    CalibrateArgs cal;
    CLI::App* calibrate =
        app.add_subcommand("calibrate",
                           "Fit the model's P parameters and Q variance level to daily VIX and SPX closes "
                           "(simulated method of moments, docs/calibration.md)");
    calibrate->add_option("SCENARIO", cal.scenario, "Starting scenario (default: the built-in default)")
        ->type_name("FILE");
    calibrate->add_option("--vix", cal.vix, "VIX daily closes, CSV with Date and Close columns")->required();
    calibrate->add_option("--spx", cal.spx, "SPX daily closes, CSV with Date and Close columns")->required();
    calibrate->add_option("--from", cal.from, "First date used, YYYY-MM-DD (default: the first common date)");
    calibrate->add_option("--to", cal.to, "Last date used, YYYY-MM-DD (default: the last common date)");
    calibrate->add_option("-o,--output", cal.output, "Scenario fragment to write (TOML)")->required();
    calibrate->add_option("--report", cal.report, "Fit report (HDF5; default: the output's name with .h5)");
    calibrate->add_option("--histories", cal.histories, "Simulated histories per evaluation, each as long as the data")
        ->check(CLI::Range(8, 100000))
        ->capture_default_str();
    calibrate->add_option("--seed", cal.seed, "Seed of the simulated histories (common to all evaluations)")
        ->capture_default_str();
    calibrate->add_option("--threads", cal.threads, "CPU threads (0 = all cores)")->check(CLI::Range(0, 4096));
    calibrate->add_option("--max-iterations", cal.max_iterations, "Levenberg-Marquardt iterations per descent")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    calibrate->add_option("--starts", cal.starts, "First-stage descents: the start and points around it")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    calibrate
        ->add_option("--fit", cal.fit,
                     "Parameters to fit, comma-separated or repeated (default: all; docs/calibration.md)")
        ->delimiter(',')
        ->allow_extra_args(false);
    calibrate->add_option("--set", cal.sets, "Override a key of the starting scenario, repeatable")
        ->take_all()
        ->allow_extra_args(false);
    calibrate->add_flag("-q,--quiet", cal.quiet, "Print nothing but errors and warnings");

    std::string report_file;
    CLI::App* report = app.add_subcommand("report", "Print the strategy summary and verdict stored in a results file");
    report->add_option("FILE", report_file, "results.h5 written by condorsim run")->required();

    app.add_subcommand("info", "Print build options, backends and visible GPUs");

    CLI11_PARSE(app, argc, argv);
    try {
        if (*run) return run_command(args);
        if (*price) return price_command(price_args);
        if (*report) return report_command(report_file);
        if (*calibrate) {
            std::string command_line = "condorsim";
            for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
            return calibrate_command(cal, command_line);
        }
        return info_command();
    } catch (const DataError& e) {
        std::cerr << "condorsim: error: " << e.what() << "\n";
        return 2;
    } catch (const std::invalid_argument& e) {
        std::cerr << "condorsim: error: " << e.what() << "\n";
        return 2;
    } catch (const ScenarioError& e) {
        std::cerr << "condorsim: error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "condorsim: error: " << e.what() << "\n";
        return 1;
    }
}
