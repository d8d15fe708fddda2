#!/usr/bin/python3
"""Write a synthetic condorsim results file for testing tools/plot_results.py without the engine.

Usage: tools/make_plot_fixture.py OUT.h5 [--paths N] [--seed S] [--no-strategies]

The layout follows docs/results-format.md plus the strategy additions (/strategies,
/comparisons, /paths/strategies, root attributes entry_day and strategy_count): two
strategies "naked" and "alvh", four path classes, life_days 31, B = 2000 P&L bins,
K = 20 sample paths, days = 231, entry_day = 200. Strings are fixed-length UTF-8, as the
engine writes them. The numbers come from a toy model (SPX and VIX with joint spikes, an
iron condor marked by a crude payoff rule, a VIX-call hedge for "alvh"): plausible in
shape, meaningless in value.
"""
import argparse

import h5py
import numpy as np

DAYS, ENTRY, LIFE, BINS, K = 231, 200, 31, 2000, 20
CLASSES = ["all", "no_spike", "spike_revert", "spike_no_revert"]
REASONS = ["stop", "delta_breach", "profit_target", "time", "expiry"]
PNL_LEVELS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999]
RISK_LEVELS = [0.95, 0.99, 0.999]
Q_LEVELS = [0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99]
# name: (risk_budget, credit, hedged, layer names, stop multiple of credit, profit share, time exit day)
STRATEGIES = {
    "naked": (4000.0, 1000.0, 0, [], 2.0, 0.8, None),
    "alvh": (4000.0, 1000.0, 1, ["vix_call_25", "vix_call_35"], 2.5, 0.6, 25),
}


def string_attr(obj, name, text):
    data = text.encode()
    obj.attrs.create(name, data, dtype=h5py.string_dtype("utf-8", max(len(data), 1)))


def string_dataset(group, name, values):
    data = [v.encode() for v in values]
    width = max([len(d) for d in data] + [1])
    group.create_dataset(name, data=np.array(data, dtype=h5py.string_dtype("utf-8", width)))


def simulate_market(rng, n):
    """SPX and VIX daily closes [n, DAYS+1]: log-OU VIX, SPX vol from VIX, rare joint spikes."""
    vix = np.empty((n, DAYS + 1))
    spx = np.empty((n, DAYS + 1))
    vix[:, 0], spx[:, 0] = 16.0, 6000.0
    for d in range(1, DAYS + 1):
        z1, z2 = rng.standard_normal(n), rng.standard_normal(n)
        jump = rng.random(n) < 0.006
        ret = vix[:, d - 1] / 100 / np.sqrt(252) * z1 - 0.045 * jump
        lv = np.log(vix[:, d - 1])
        lv += 0.04 * (np.log(17.0) - lv) + 0.07 * (-0.7 * z1 + 0.714 * z2) + 0.6 * jump
        vix[:, d], spx[:, d] = np.exp(lv), spx[:, d - 1] * np.exp(ret)
    return spx, vix


def classify(vix):
    """Path class index 1..3 from VIX over the trade's life (spike: 1.5x entry; revert: back below 1.2x)."""
    v0, life = vix[:, ENTRY], vix[:, ENTRY:ENTRY + LIFE + 1]
    spike = life.max(axis=1) >= 1.5 * v0
    revert = life[:, -1] < 1.2 * v0
    return np.where(~spike, 1, np.where(revert, 2, 3))


def run_strategy(spx, vix, params):
    """Mark-to-market P&L paths over the life [n, LIFE+1] with exit day, reason and components."""
    budget, credit, hedged, layers, stop_mult, profit_share, time_exit = params
    t = np.arange(LIFE + 1)
    move = np.abs(np.log(spx[:, ENTRY:ENTRY + LIFE + 1] / spx[:, [ENTRY]]))
    theta = credit * (t / LIFE) ** 1.5
    condor = theta - np.minimum(np.maximum(move - 0.065, 0) * 60000, budget + theta)  # loss capped at the budget
    hedge = np.zeros_like(condor)
    if hedged:
        dv = vix[:, ENTRY:ENTRY + LIFE + 1] - vix[:, [ENTRY]]
        hedge = 60 * np.maximum(dv - 4, 0) + 40 * np.maximum(dv - 12, 0) - 6.0 * t - 40
    total = condor + hedge
    n = len(total)
    rules = [(total <= -stop_mult * credit, 0), (move > 0.085, 1), (total >= profit_share * credit, 2)]
    exit_day, reason = np.full(n, LIFE), np.full(n, 4)
    for d in range(LIFE + 1):
        open_ = exit_day == LIFE
        for hit, code in rules:
            now = open_ & (reason == 4) & hit[:, d] & (d > 0)
            exit_day[now], reason[now] = d, code
        if time_exit is not None and d == time_exit:
            now = open_ & (reason == 4)
            exit_day[now], reason[now] = d, 3
    frozen = np.where(t[None, :] > exit_day[:, None], total[np.arange(n), exit_day][:, None], total)
    rows = np.arange(n)
    cost = (6.0 * exit_day + 40) if hedged else np.zeros(n)
    return dict(pnl_path=frozen, pnl=frozen[:, -1], exit_day=exit_day, reason=reason,
                condor=condor[rows, exit_day], hedge=hedge[rows, exit_day], cost=cost,
                mae=np.minimum(frozen.min(axis=1), 0.0))


def with_tails(values, inner, edges):
    """Histogram counts with the underflow and overflow bins added, as the engine writes them."""
    tails = [(values < edges[0]).sum()], [(values >= edges[-1]).sum()]
    return np.concatenate([tails[0], inner, tails[1]]).astype(np.uint64)


def median_ci(x):
    s, n = np.sort(x), len(x)
    lo, hi = int(np.floor(n / 2 - 0.98 * np.sqrt(n))), int(np.ceil(n / 2 + 0.98 * np.sqrt(n)))
    return [float(s[max(lo, 0)]), float(s[min(hi, n - 1)])]


def class_stats(g, r, params, mask):
    budget, credit = params[0], params[1]
    pnl, days, reason = r["pnl"][mask], r["exit_day"][mask], r["reason"][mask]
    n = len(pnl)
    g["paths"] = np.uint64(n)
    g["pnl_mean"], g["pnl_sd"] = pnl.mean(), pnl.std(ddof=1)
    g["pnl_se"] = pnl.std(ddof=1) / np.sqrt(n)
    g["pnl_quantiles"] = np.quantile(pnl, PNL_LEVELS)
    var = [-np.quantile(pnl, 1 - p) for p in RISK_LEVELS]
    g["var"] = var
    g["es"] = [-pnl[pnl <= -v].mean() for v in var]
    g["prob_profit"], g["prob_stop"] = (pnl > 0).mean(), (reason == 0).mean()
    g["return_on_risk_mean"] = 100 * pnl.mean() / budget
    g["condor_pnl_mean"], g["hedge_pnl_mean"] = r["condor"][mask].mean(), r["hedge"][mask].mean()
    g["hedge_cost_mean"], g["mae_mean"] = r["cost"][mask].mean(), r["mae"][mask].mean()
    se = days.std(ddof=1) / np.sqrt(n)
    g["exit_day_mean"], g["exit_day_mean_ci"] = days.mean(), [days.mean() - 1.96 * se, days.mean() + 1.96 * se]
    g["exit_day_median"], g["exit_day_median_ci"] = float(np.median(days)), median_ci(days)
    g["exit_reason_counts"] = np.bincount(reason, minlength=5).astype(np.uint64)
    hist = np.zeros((5, LIFE + 1), dtype=np.uint64)
    np.add.at(hist, (reason, days), 1)
    g["exit_day_histogram"] = hist
    edges = np.linspace(-budget, 3.0 * credit, BINS + 1)
    inner = np.histogram(pnl, bins=edges)[0]
    g["pnl_histogram"] = with_tails(pnl, inner, edges)
    g["pnl_histogram_edges"] = edges
    if params[3]:
        share = np.array([0.6, 0.4])
        g["layer_pnl_mean"] = share * r["hedge"][mask].mean()
        g["layer_pnl_se"] = share * r["hedge"][mask].std(ddof=1) / np.sqrt(n)


def daily_stats(f, spx, vix):
    f["statistics/quantile_levels"] = Q_LEVELS
    f["statistics/jumps_per_path"], f["statistics/events_per_path"] = 1.4, 0.0
    f["statistics/shocks_capped"] = np.uint64(0)
    d = f.create_group("statistics/daily")
    d["day"] = np.arange(DAYS + 1)
    x = (vix / 100) ** 2 * 0.6
    for name, a in [("spx", spx), ("vix", vix), ("x", x), ("y", x / 1.5)]:
        d[f"{name}_mean"], d[f"{name}_sd"] = a.mean(axis=0), a.std(axis=0, ddof=1)
        if name in ("spx", "vix"):
            d[f"{name}_quantiles"] = np.quantile(a, Q_LEVELS, axis=0).T
    d.attrs["spx_quantile_max_log_error"] = d.attrs["vix_quantile_max_log_error"] = 0.0008
    per_path = {"max_vix": (vix.max(axis=1), 0, np.log(1000)),
                "realized_vol": (np.sqrt(252 / DAYS * (np.diff(np.log(spx), axis=1) ** 2).sum(axis=1)),
                                 np.log(0.001), np.log(10))}
    for name, (v, lo, hi) in per_path.items():
        g = f.create_group(f"statistics/{name}")
        g["mean"], g["sd"], g["quantiles"] = v.mean(), v.std(ddof=1), np.quantile(v, Q_LEVELS)
        edges = np.exp(np.linspace(lo, hi, 8193))
        inner = np.histogram(v, bins=edges)[0]
        g["histogram_counts"] = with_tails(v, inner, edges)
        g["histogram_edges"] = edges
        g.attrs["quantile_max_log_error"] = (hi - lo) / 8192


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--paths", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--no-strategies", action="store_true", help="write only the format-1 layout")
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    spx, vix = simulate_market(rng, args.paths)
    cls = classify(vix)
    with h5py.File(args.out, "w") as f:
        for k, v in [("file_type", "condorsim-results"), ("condorsim_version", "0.1.0"), ("git_commit", "fixture"),
                     ("backend", "cpu"), ("precision", "double"), ("device", "synthetic"), ("measure", "P"),
                     ("scheme", "qe")]:
            string_attr(f, k, v)
        f.attrs["format_version"], f.attrs["seed"] = 1, np.uint64(args.seed)
        f.attrs["paths"], f.attrs["days"], f.attrs["substeps_per_day"] = np.uint64(args.paths), DAYS, 1
        sc = f.create_group("scenario")
        string_attr(sc, "source_path", "fixture.toml")
        for k in ("text", "overrides", "warnings"):
            v = "# synthetic fixture\n" if k == "text" else ""
            sc.create_dataset(k, data=v.encode() or b"\0", dtype=h5py.string_dtype("utf-8", max(len(v), 1)))
        t = f.create_group("timings")
        string_attr(t, "created_utc", "2026-01-01T00:00:00Z")
        for k in ("threads", "chunk_paths", "setup_seconds", "simulate_seconds", "reduce_seconds",
                  "merge_seconds", "total_seconds", "path_steps_per_second"):
            t.attrs[k] = 1
        daily_stats(f, spx, vix)
        p = f.create_group("paths")
        p["path_index"] = np.arange(K, dtype=np.uint64)
        p["spx"], p["vix"] = spx[:K], vix[:K]
        p["x"] = (vix[:K] / 100) ** 2 * 0.6
        p["y"] = p["x"][:] / 1.5
        if args.no_strategies:
            return
        f.attrs["entry_day"], f.attrs["strategy_count"] = ENTRY, len(STRATEGIES)
        s = f.create_group("strategies")
        string_dataset(s, "names", list(STRATEGIES))
        string_dataset(s, "class_names", CLASSES)
        string_dataset(s, "reason_names", REASONS)
        s["pnl_quantile_levels"], s["risk_levels"] = PNL_LEVELS, RISK_LEVELS
        results = {}
        for i, (name, params) in enumerate(STRATEGIES.items()):
            r = results[name] = run_strategy(spx, vix, params)
            g = s.create_group(name)
            g.attrs["index"], g.attrs["entry_dte_calendar"], g.attrs["life_days"] = i, 45, LIFE
            g.attrs["risk_budget"], g.attrs["hedged"] = params[0], params[2]
            string_attr(g, "layer_names", ",".join(params[3]))
            for c, cname in enumerate(CLASSES):
                class_stats(g.create_group(cname), r, params, (cls == c) if c else np.ones(len(cls), bool))
            ps = f.create_group(f"paths/strategies/{name}")
            pnl = np.full((K, DAYS + 1), np.nan)
            pnl[:, ENTRY:] = r["pnl_path"][:K]
            ps["pnl"] = pnl
            ps["exit_day"], ps["exit_reason"] = r["exit_day"][:K].astype(np.int32), r["reason"][:K].astype(np.int32)
        names = list(STRATEGIES)
        for ia, a in enumerate(names):
            for b in names[ia + 1:]:
                cg = f.create_group(f"comparisons/{b}_vs_{a}")
                string_attr(cg, "a", a)
                string_attr(cg, "b", b)
                ra, rb = results[a], results[b]
                for c, cname in enumerate(CLASSES):
                    m = (cls == c) if c else np.ones(len(cls), bool)
                    g = cg.create_group(cname)
                    g["paths"] = np.uint64(m.sum())
                    for key, field in (("exit_day", "exit_day"), ("pnl", "pnl")):
                        diff = (rb[field][m] - ra[field][m]).astype(float)
                        half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff))
                        g[f"{key}_diff_mean"] = diff.mean()
                        g[f"{key}_diff_ci"] = [diff.mean() - half, diff.mean() + half]
                    g["prob_b_earlier"] = (rb["exit_day"][m] < ra["exit_day"][m]).mean()
                    g["prob_b_better"] = (rb["pnl"][m] > ra["pnl"][m]).mean()
        verdict = "synthetic fixture: alvh vs naked numbers are toy-model output"
        string_attr(s, "verdict", verdict)
        f.create_dataset("verdict", data=verdict.encode(), dtype=h5py.string_dtype("utf-8", len(verdict)))


if __name__ == "__main__":
    main()
