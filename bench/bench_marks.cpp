// Marks per second from the pricing tables on the CPU, after building them for
// the default scenario: SPX puts (kernels/spx_vol_table.h lookup plus Black's
// formula) or VIX calls (kernels/vix_option_table.h), over random states,
// expiries and strikes. Prints one CSV line (header with --header).
#include <omp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>

#include "host/build_info.h"
#include "host/pricing/spx_vol_table.h"
#include "host/pricing/vix_option_table.h"
#include "host/scenario.h"
#include "kernels/black_scholes.h"
#include "kernels/chunk_runner.h"

using namespace condor;

int main(int argc, char** argv) {
    CLI::App app{"condorsim table-marking benchmark (CPU)"};
    long long marks = 20000000;
    int threads = 0;
    bool header = false;
    std::string instrument = "spx-put";
    app.add_option("--marks", marks, "Options to mark")->capture_default_str();
    app.add_option("--instrument", instrument, "spx-put or vix-call")
        ->check(CLI::IsMember({"spx-put", "vix-call"}))
        ->capture_default_str();
    app.add_option("--threads", threads, "CPU threads (0 = all)");
    app.add_flag("--header", header, "Print the CSV header first");
    CLI11_PARSE(app, argc, argv);
    if (threads <= 0) threads = omp_get_num_procs();

    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {}).without_strategies();
    const AffineTransform model(risk_neutral_model(s));
    const bool vix = instrument == "vix-call";
    // Only the benchmarked table is built (both take seconds).
    std::unique_ptr<SpxVolTable> spx;
    std::unique_ptr<VixOptionTable> vix_table;
    if (vix)
        vix_table = std::make_unique<VixOptionTable>(model, VixOptionTableDomain{}, threads);
    else
        spx = std::make_unique<SpxVolTable>(model, SpxVolTableDomain{}, threads);
    const SpxVolTableView spx_view = vix ? SpxVolTableView{} : spx->view();
    const VixOptionTableView vix_view = vix ? vix_table->view() : VixOptionTableView{};
    const double build_seconds = vix ? vix_table->build_seconds() : spx->build_seconds();
    const double table_mb = (vix ? vix_table->bytes() : spx->bytes()) / 1e6;

    // Inputs drawn once, inside the domain: states, expiries and strikes (SPX
    // +-20% of spot, VIX 12 to 40 points).
    const int distinct = 1 << 16;
    std::vector<double> x(distinct), y(distinct), tau(distinct), strike(distinct);
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < distinct; ++i) {
        x[i] = 0.2 * u(rng) * u(rng);
        y[i] = 0.3 * u(rng) * u(rng) * u(rng);
        tau[i] = (1 + 60 * u(rng)) / 252;
        strike[i] = vix ? 12 + 28 * u(rng) : s.market.spot * (0.8 + 0.4 * u(rng));
    }
    const double forward_rate = s.market.rate - s.market.dividend_yield;
    const auto mark = [&](long long i) {
        const int j = int(i & (distinct - 1));
        if (vix) return table_vix_option(vix_view, x[j], y[j], tau[j], strike[j]).call;
        const double forward = s.market.spot * std::exp(forward_rate * tau[j]);
        const double vol = table_implied_vol(spx_view, x[j], y[j], tau[j], std::log(strike[j] / forward));
        return black_put(forward, strike[j], vol * std::sqrt(tau[j]));
    };
    double checksum = 0;
#pragma omp parallel for reduction(+ : checksum) num_threads(threads)
    for (long long i = 0; i < distinct; ++i) checksum += mark(i);  // warm-up
    const auto start = std::chrono::steady_clock::now();
#pragma omp parallel for reduction(+ : checksum) num_threads(threads)
    for (long long i = 0; i < marks; ++i) checksum += mark(i);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (header)
        std::cout << "device,commit,instrument,threads,table_build_s,table_mb,marks,seconds,marks_per_s,checksum\n";
    std::printf("\"%s\",%s,%s,%d,%.3f,%.2f,%lld,%.4f,%.4g,%.6g\n", cpu_model_name().c_str(), build_info::git_commit,
                instrument.c_str(), threads, build_seconds, table_mb, marks, seconds, marks / seconds, checksum);
    return 0;
}
