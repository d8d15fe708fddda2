// Paths-only throughput: simulate N paths x D daily steps and reduce the daily
// statistics, on a chosen backend and precision, timing the path kernel alone
// after a warm-up chunk. Prints one CSV line per run (header with --header).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "host/build_info.h"
#include "host/engine.h"
#include "host/scenario.h"

using namespace condor;

int main(int argc, char** argv) {
    CLI::App app{"condorsim paths-only benchmark"};
    std::uint64_t paths = 1000000;
    int days = 252, threads = 0;
    std::string backend = "cpu", precision = "double", model = "svcj";
    std::uint64_t chunk = 0;
    bool header = false;
    app.add_option("--paths", paths, "Paths")->capture_default_str();
    app.add_option("--days", days, "Trading days (one step each)")->capture_default_str();
    app.add_option("--backend", backend, "cpu or cuda")->check(CLI::IsMember({"cpu", "cuda"}))->capture_default_str();
    app.add_option("--precision", precision, "float or double")
        ->check(CLI::IsMember({"float", "double"}))
        ->capture_default_str();
    app.add_option("--threads", threads, "CPU threads (0 = all)");
    app.add_option("--chunk-paths", chunk, "Paths per chunk (0 = automatic)");
    app.add_option("--model", model, "svcj: the default scenario (the calibrated two-factor SVCJ); heston: its Heston special case (no jumps, y = 0)")
        ->check(CLI::IsMember({"svcj", "heston"}))
        ->capture_default_str();
    app.add_flag("--header", header, "Print the CSV header first");
    CLI11_PARSE(app, argc, argv);

    try {
        std::vector<std::string> overrides = {"run.days=" + std::to_string(days), "run.paths=" + std::to_string(paths),
                                              "run.sample_paths=0"};
        if (model == "heston")
            for (const char* o : {"model.p.lambda=0.0", "model.q.lambda=0.0", "state.y0=0.0"}) overrides.push_back(o);
        const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, overrides).without_strategies();

        RunOptions options;
        options.backend = backend == "cuda" ? Backend::cuda : Backend::cpu;
        options.precision = precision == "float" ? Precision::single : Precision::double_;
        options.threads = threads;
        options.chunk_paths = chunk;

        // Warm-up: one small run (first-touch of memory, CUDA context and module load).
        Scenario warm = s;
        warm.run.paths = std::min<std::uint64_t>(paths, 16384);
        run_paths(warm, options);

        const RunOutput out = run_paths(s, options);
        const double path_steps = double(paths) * days;
        if (header)
            std::cout << "device,commit,backend,precision,model,paths,steps,threads,chunk_paths,simulate_s,reduce_s,"
                         "total_s,path_steps_per_s,path_steps_per_s_per_thread\n";
        std::printf("\"%s\",%s,%s,%s,%s,%llu,%d,%d,%u,%.4f,%.4f,%.4f,%.4g,%.4g\n", out.device.c_str(),
                    build_info::git_commit, out.backend.c_str(), out.precision.c_str(), model.c_str(),
                    (unsigned long long)paths, days, out.threads, out.chunk_paths, out.timings.simulate_seconds,
                    out.timings.reduce_seconds, out.timings.total_seconds, path_steps / out.timings.simulate_seconds,
                    path_steps / out.timings.simulate_seconds / (out.backend == "cpu" ? out.threads : 1));
    } catch (const std::exception& e) {
        std::cerr << "bench_paths: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
