// A model of the GPU strategy kernel's warps, run on the CPU: 32 paths per warp
// step through their strategies in lockstep, one close per pass, as
// StrategyChunkFn does on the GPU (kernels/strategy_chunk.h), and each pass
// counts the calls the warp makes as a whole: a function is run once for the
// warp when any of its threads runs it (SIMT). The profile of the kernel
// (docs/performance.md, "Instruction footprint") found a call's cost nearly
// independent of how many threads take part, so these warp-call counts, not
// the threads' own work, are what the order of the paths and the schedule of
// the strategies change.
//
// It compares the kernel's schedules since ad86aba (strategies one at a time or
// back to back; hedge marks per layer or per open layer) and orders of the
// paths over the warps: the path index, sorted by trade_order_key (computed
// from the path before the strategies run), and an oracle sorted by what the
// strategies did (the best a key could do). The machine code's size, which
// sets the cycles of a call, is not modelled: the weights are ad86aba's.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

#include "host/scenario.h"
#include "host/sim_setup.h"
#include "host/strategy_setup.h"
#include "host/table_cache.h"
#include "kernels/chunk_runner.h"
#include "kernels/strategy_order.h"

using namespace condor;

namespace {

constexpr int kWarp = 32;

// What one warp's passes cost, in warp-wide calls.
struct WarpCalls {
    long long passes = 0;         // passes of the step loop
    long long thread_passes = 0;  // passes a thread had work in (active threads)
    long long condor_marks = 0;   // mark_condor for a close not in the mark log
    long long strike_searches = 0;
    long long hedge_marks = 0;           // mark_hedge, k-th open layer in the k-th call
    long long hedge_marks_by_layer = 0;  // the same with one call per layer any thread holds (before 651d514)
    long long layer_entries = 0;
    // As the ad86aba kernel made them (a loop over the layers, the entry's marks
    // per layer), for a check against its profile: calls of mark_condor and of
    // vix_call (one per VIX call, two per call spread, none for a future), and
    // the threads taking part in the vix_call calls.
    long long ad86aba_condor_calls = 0, ad86aba_vix_calls = 0, ad86aba_vix_call_threads = 0;
    void add(const WarpCalls& o) {
        ad86aba_condor_calls += o.ad86aba_condor_calls;
        ad86aba_vix_calls += o.ad86aba_vix_calls;
        ad86aba_vix_call_threads += o.ad86aba_vix_call_threads;
        hedge_marks_by_layer += o.hedge_marks_by_layer;
        passes += o.passes;
        thread_passes += o.thread_passes;
        condor_marks += o.condor_marks;
        strike_searches += o.strike_searches;
        hedge_marks += o.hedge_marks;
        layer_entries += o.layer_entries;
    }
};

struct Thread {
    PathHistory<double> history;
    IndicatorState warm[kMaxIndicators];
    CondorMarkLog log;
    TradeRun run;
    int strategy = 0;
    bool done = false;
    bool waiting = false;  // one strategy at a time: ended, until the warp's others end theirs
};

void begin(const StrategyRunParams& p, Thread& t) {
    if (!p.strategies[t.strategy].shares_previous_condor) t.log.days = 0;
    begin_trade(p, t.strategy, t.warm, t.run);
}

int open_layers(const TradeRun& run) {
    int n = 0;
    for (const LayerPosition& l : run.layers) n += l.open;
    return n;
}

int layer_entries(const TradeRun& run) {
    int n = 0;
    for (const LayerPosition& l : run.layers) n += l.entries;
    return n;
}

// How a warp's threads go through their strategies.
struct Schedule {
    int per_warp = kWarp;  // paths per warp
    // With more paths than threads, idle threads take the next paths when at
    // least this many are idle (all at once, so that their strike searches
    // share calls): a kernel that regroups live trades.
    int refill = kWarp;
    // The warp's threads start strategy s + 1 only when all have ended s (the
    // kernel up to 651d514, and from the commit after 5c3c06f), not each on the
    // pass after its own ended (back to back, cc1e962 to 5c3c06f).
    bool one_strategy_at_a_time = true;
};

// One warp over the given paths, as StrategyChunkFn runs them (at most 32: one
// path per thread), or as `schedule` says.
WarpCalls run_warp(const StrategyRunParams& p, const std::vector<PathHistory<double>>& paths,
                   const Schedule& schedule) {
    const int refill = schedule.refill;
    std::vector<Thread> threads(std::min<std::size_t>(kWarp, paths.size()));
    std::size_t next = 0;
    auto start = [&](Thread& t) {
        t = Thread{};
        t.history = paths[next++];
        warm_up_indicators(p, p.indicators_used, t.history, t.warm);
        begin(p, t);
    };
    for (Thread& t : threads) start(t);
    WarpCalls w;
    for (;;) {
        bool all_waiting = true;
        for (const Thread& t : threads) all_waiting = all_waiting && (t.done || t.waiting);
        if (all_waiting)
            for (Thread& t : threads)
                if (t.waiting) {
                    t.waiting = false;
                    begin(p, t);
                }
        int idle = 0;
        for (const Thread& t : threads) idle += t.done;
        if (next < paths.size() && idle >= std::min<int>(refill, int(paths.size() - next)))
            for (Thread& t : threads)
                if (t.done && next < paths.size()) start(t);
        bool mark = false, search = false, entry = false;
        int most_open = 0, active = 0;
        bool layer_open[kMaxLayers] = {};
        int open_threads[kMaxLayers] = {}, entering_threads[kMaxLayers] = {};
        int vix_calls_per_mark[kMaxLayers] = {};  // of the layers of the strategy the threads are in
        for (Thread& t : threads) {
            if (t.done || t.waiting) continue;
            const StrategyParams& st = p.strategies[t.run.strategy];
            for (int l = 0; l < st.layer_count; ++l) {
                const HedgeInstrument k = st.layers[l].instrument;
                vix_calls_per_mark[l] = k == HedgeInstrument::vix_future ? 0 : k == HedgeInstrument::vix_call ? 1 : 2;
            }
            ++active;
            const int d = t.run.day - p.entry_day;
            const bool logged = d >= 0 && d < t.log.days;
            mark = mark || (d >= 0 && !logged);
            search = search || (d == 0 && !logged);
            most_open = std::max(most_open, d >= 0 ? open_layers(t.run) : 0);
            for (int l = 0; l < kMaxLayers; ++l) {
                layer_open[l] = layer_open[l] || (d >= 0 && t.run.layers[l].open);
                open_threads[l] += d >= 0 && t.run.layers[l].open;
            }
            const int entries_before = layer_entries(t.run);
            int layer_entries_before[kMaxLayers];
            for (int l = 0; l < kMaxLayers; ++l) layer_entries_before[l] = t.run.layers[l].entries;
            if (step_trade(p, t.history, t.run, nullptr, &t.log)) {
                if (++t.strategy == p.strategy_count)
                    t.done = true;
                else if (schedule.one_strategy_at_a_time)
                    t.waiting = true;
                else
                    begin(p, t);
            } else {
                entry = entry || layer_entries(t.run) > entries_before;
                for (int l = 0; l < kMaxLayers; ++l)
                    entering_threads[l] += t.run.layers[l].entries > layer_entries_before[l];
            }
        }
        w.ad86aba_condor_calls += mark;
        for (int l = 0; l < kMaxLayers; ++l) {
            // A mark of each open layer; an entry marks the layer twice (VIX bumped) and the condor once.
            w.ad86aba_vix_calls += (open_threads[l] > 0) * vix_calls_per_mark[l];
            w.ad86aba_vix_call_threads += open_threads[l] * vix_calls_per_mark[l];
            w.ad86aba_vix_calls += (entering_threads[l] > 0) * 2 * vix_calls_per_mark[l];
            w.ad86aba_vix_call_threads += entering_threads[l] * 2 * vix_calls_per_mark[l];
            w.ad86aba_condor_calls += entering_threads[l] > 0;
        }
        if (active == 0) {
            bool all_done = next >= paths.size();
            for (const Thread& t : threads) all_done = all_done && t.done;
            if (all_done) break;
            continue;  // a strategy's end for all (one at a time): the next starts on the next pass
        }
        ++w.passes;
        w.thread_passes += active;
        w.condor_marks += mark;
        w.strike_searches += search;
        w.hedge_marks += most_open;
        for (bool open : layer_open) w.hedge_marks_by_layer += open;
        w.layer_entries += entry;
    }
    return w;
}

// Warps of `schedule.per_warp` consecutive paths of `order` each.
WarpCalls run_order(const StrategyRunParams& p, const std::vector<PathHistory<double>>& paths,
                    const std::vector<std::uint32_t>& order, const Schedule& schedule) {
    const int per_warp_paths = schedule.per_warp;
    const long long warps = (long long)(order.size() + per_warp_paths - 1) / per_warp_paths;
    std::vector<WarpCalls> per_warp(warps);
#pragma omp parallel for schedule(dynamic, 4)
    for (long long w = 0; w < warps; ++w) {
        std::vector<PathHistory<double>> group;
        for (std::size_t k = std::size_t(w) * per_warp_paths;
             k < std::min(order.size(), std::size_t(w + 1) * per_warp_paths); ++k)
            group.push_back(paths[order[k]]);
        per_warp[w] = run_warp(p, group, schedule);
    }
    WarpCalls total;
    for (const WarpCalls& w : per_warp) total.add(w);
    return total;
}

std::vector<std::uint32_t> sorted_by(const std::vector<std::uint64_t>& keys) {
    std::vector<std::uint32_t> order(keys.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    return order;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"condorsim GPU warp model of the strategy kernel (runs on the CPU)"};
    std::string scenario_file;
    std::uint32_t paths = 32768;
    std::string cache_dir;
    // Cycles of one warp-wide call, from the Nsight Compute profile at ad86aba on
    // an H200 (docs/performance.md, "Instruction footprint"): mark_condor and
    // vix_call measured; a pass's other work is the rest of the samples
    // (indicators, rules, interpolation outside the marks) over its ~38 passes.
    // A strike search in marks is a guess; the ranking of orders barely moves
    // with it (4 to 12 marks: key 0.71-0.76 of path order).
    double mark_cycles = 207000, hedge_cycles = 171000, search_marks = 8, pass_cycles = 120000;
    app.add_option("scenario", scenario_file, "Scenario TOML file (default: the built-in default scenario)");
    app.add_option("--paths", paths, "Paths (a multiple of 32)")->capture_default_str();
    app.add_option("--table-cache", cache_dir, "Folder of cached pricing tables");
    app.add_option("--mark-cycles", mark_cycles, "Cycles of a warp's mark_condor call")->capture_default_str();
    app.add_option("--hedge-cycles", hedge_cycles, "Cycles of a warp's mark_hedge (VIX call) call")
        ->capture_default_str();
    app.add_option("--search-marks", search_marks, "A strike search in mark_condor calls")->capture_default_str();
    app.add_option("--pass-cycles", pass_cycles, "Cycles of a pass beyond its marks (indicators, rules)")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    const Scenario s = scenario_file.empty() ? load_scenario_text(default_scenario_text(), kDefaultScenarioName, {})
                                             : load_scenario_file(scenario_file, {});
    const auto tables =
        cache_dir.empty() ? build_strategy_tables(s, 0) : load_or_build_strategy_tables(s, 0, cache_dir);
    const StrategyRunParams p = make_strategy_params(s, *tables);
    auto runner = make_cpu_runner<double>(make_sim_params<double>(s), make_stats_layout(s), paths, 0, &p);
    ChunkTotals totals;
    runner->run_chunk(0, paths, totals);
    std::vector<double> daily[kDailySeriesCount];
    runner->copy_first_paths(int(paths), daily);
    std::vector<PathHistory<double>> histories;
    for (std::uint32_t i = 0; i < paths; ++i)
        histories.push_back(PathHistory<double>{daily[kSpx].data(), daily[kVix].data(), daily[kVarX].data(),
                                                daily[kVarY].data(), paths, i});
    StrategyTotals blocks;
    runner->run_strategies(blocks);
    std::vector<TradeOutcome> outcomes;
    std::vector<std::uint8_t> classes;
    runner->copy_outcomes(outcomes, classes);

    // What the strategies did: any layer opened first, then the passes the
    // path's trades took (the best a key read before the trades could do).
    std::vector<std::uint64_t> key(paths), by_class(paths), oracle(paths);
    for (std::uint32_t i = 0; i < paths; ++i) {
        key[i] = trade_order_key(p, histories[i]);
        by_class[i] = classes[i];
        std::uint64_t opened = 0, days = 0;
        for (int k = 0; k < p.strategy_count; ++k) {
            const TradeOutcome& o = outcomes[std::size_t(k) * paths + i];
            opened |= o.layers_opened;
            days += o.exit_day;
        }
        oracle[i] = std::uint64_t(opened != 0) << 16 | days;
    }
    std::vector<std::uint32_t> identity(paths);
    std::iota(identity.begin(), identity.end(), 0u);
    const std::vector<std::uint32_t> by_key = sorted_by(key);
    struct Variant {
        const char* name;
        std::vector<std::uint32_t> order;
        Schedule schedule;
        bool hedge_by_layer;  // one mark_hedge call per layer any thread holds (before 651d514)
    };
    Schedule back_to_back;
    back_to_back.one_strategy_at_a_time = false;
    Schedule refill;  // live trades regrouped: 256 paths per warp, idle threads refilled 16 at a time
    refill.per_warp = 256;
    refill.refill = 16;
    refill.one_strategy_at_a_time = false;
    const std::vector<std::uint32_t> by_oracle = sorted_by(oracle);
    const Variant variants[] = {
        // The kernels since the profile: ad86aba; 651d514 (hedge marks per open
        // layer); cc1e962 (strategies back to back); 5c3c06f (and sorted).
        {"ad86aba", identity, {}, true},
        {"651d514", identity, {}, false},
        {"cc1e962", identity, back_to_back, false},
        {"5c3c06f", by_key, back_to_back, false},
        // This kernel: one strategy at a time, the paths sorted by the key.
        {"key", by_key, {}, false},
        {"path class", sorted_by(by_class), {}, false},
        {"oracle", by_oracle, {}, false},
        {"oracle, b2b", by_oracle, back_to_back, false},
        {"index, refill", identity, refill, false},
        {"key, refill", by_key, refill, false},
    };
    std::printf(
        "%u paths, %d strategies, warps of %d; per warp: passes, active threads, warp calls of mark_condor, "
        "strike search, mark_hedge, layer entry; modelled cycles (mark %.0f, hedge %.0f, search %.1f marks, "
        "pass %.0f)\n",
        paths, p.strategy_count, kWarp, mark_cycles, hedge_cycles, search_marks, pass_cycles);
    std::printf("%-16s %8s %8s %8s %8s %8s %8s %12s %8s\n", "kernel", "passes", "active", "marks", "search", "hedge",
                "l.entry", "Mcycles", "vs ad86aba");
    double base = 0;
    WarpCalls check;
    for (const Variant& v : variants) {
        const WarpCalls w = run_order(p, histories, v.order, v.schedule);
        const double warps = double(paths) / kWarp;
        const long long hedge = v.hedge_by_layer ? w.hedge_marks_by_layer : w.hedge_marks;
        const double cycles = w.passes * pass_cycles +
                              (w.condor_marks + w.strike_searches * search_marks + w.layer_entries) * mark_cycles +
                              (hedge + 2.0 * w.layer_entries) * hedge_cycles;
        if (base == 0) base = cycles;
        std::printf("%-16s %8.1f %8.1f %8.1f %8.2f %8.1f %8.2f %12.2f %8.3f\n", v.name, w.passes / warps,
                    double(w.thread_passes) / w.passes, w.condor_marks / warps, w.strike_searches / warps,
                    hedge / warps, w.layer_entries / warps, cycles / warps / 1e6, cycles / base);
        if (v.hedge_by_layer) check = w;
    }
    // The ad86aba kernel's calls against its Nsight Compute profile (1e5 paths of
    // the default scenario on an H200, docs/performance.md "Instruction footprint").
    const double warps = double(paths) / kWarp;
    std::printf(
        "ad86aba's calls per warp, modelled (profiled on the default scenario): mark_condor %.1f (34.6), "
        "vix_call %.1f (32.4), threads per vix_call %.1f (1.8)\n",
        check.ad86aba_condor_calls / warps, check.ad86aba_vix_calls / warps,
        double(check.ad86aba_vix_call_threads) / double(std::max(1LL, check.ad86aba_vix_calls)));
    return 0;
}
