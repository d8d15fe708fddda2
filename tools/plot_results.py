#!/usr/bin/python3
"""Plot a condorsim results file (docs/results-format.md, with the strategy additions).

Usage:
    tools/plot_results.py results.h5 -o DIR [--strategies A B]
                          [--class all|no_spike|spike_revert|spike_no_revert]

Writes into DIR (created if missing):
    exit_days.png  exit-day histograms stacked by exit reason, two strategies side by side
    pnl.png        P&L densities in percent of each strategy's risk budget, VaR and ES at 99%
    vix_fan.png    VIX quantile fan (1-99, 5-95, 25-75, median) with sample paths
    pnl_paths.png  the first 20 sample P&L paths per strategy (when /paths/strategies exists)

--strategies picks the two strategies (default: the first two in file order); --class picks
the path class for exit_days.png and pnl.png (default all). A file without /strategies gets
vix_fan.png only. Errors are one line on stderr and exit status 2.
Needs Debian's python3-h5py and python3-matplotlib (hence /usr/bin/python3).
"""
import argparse
import os
import sys

import h5py
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)

CLASSES = ["all", "no_spike", "spike_revert", "spike_no_revert"]
REASON_COLOURS = ["tab:red", "tab:orange", "tab:green", "tab:blue", "tab:purple"]
STRATEGY_COLOURS = ["tab:blue", "tab:orange"]


def fail(message):
    print(f"plot_results: {message}", file=sys.stderr)
    sys.exit(2)


def text(value):
    """A string attribute or dataset element as str (the engine writes fixed-length bytes)."""
    return value.decode() if isinstance(value, (bytes, np.bytes_)) else str(value)


def strings(dataset):
    return [text(v) for v in dataset[()]]


def open_results(path):
    if not os.path.exists(path):
        fail(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError:
        fail(f"{path}: not a condorsim results file (not HDF5)")
    if text(f.attrs.get("file_type", "")) != "condorsim-results":
        fail(f"{path}: not a condorsim results file (file_type is not condorsim-results)")
    return f


def pick_strategies(f, requested):
    names = strings(f["strategies/names"])
    if not requested:
        return names[:2]
    if requested[0] == requested[1]:
        fail("--strategies needs two different strategies")
    for name in requested:
        if name not in names:
            fail(f"no strategy {name!r} in the file (have: {', '.join(names)})")
    return requested


def save(fig, out_dir, name):
    path = os.path.join(out_dir, name)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"wrote {path}")


def plot_exit_days(f, names, cls, out_dir):
    reasons = strings(f["strategies/reason_names"])
    hists = [f[f"strategies/{n}/{cls}/exit_day_histogram"][()] for n in names]
    used = [r for r in range(len(reasons)) if any(h[r].sum() for h in hists)]
    fig, axes = plt.subplots(1, len(names), figsize=(6 * len(names), 4.5), sharey=True, squeeze=False)
    for ax, name, hist in zip(axes[0], names, hists):
        g = f[f"strategies/{name}/{cls}"]
        days, bottom = np.arange(hist.shape[1]), np.zeros(hist.shape[1])
        for r in used:
            ax.bar(days, hist[r], bottom=bottom, width=0.85, color=REASON_COLOURS[r % 5], label=reasons[r])
            bottom += hist[r]
        ax.set_title(f"{name}: mean exit day {g['exit_day_mean'][()]:.1f}, median {g['exit_day_median'][()]:.0f}")
        ax.set_xlabel("exit day (trading days after entry)")
        ax.set_xlim(-0.5, hist.shape[1] - 0.5)
    axes[0][0].set_ylabel("paths")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, title="exit reason", loc="center right", fontsize=9)
    counts = sorted({int(f[f"strategies/{n}/{cls}/paths"][()]) for n in names})
    fig.suptitle(f"Exit day by reason, class {cls} ({' / '.join(f'{c:,}' for c in counts)} paths)")
    fig.tight_layout(rect=(0, 0, 0.88, 1))
    save(fig, out_dir, "exit_days.png")


def rebin(counts, edges, factor):
    """Sum groups of `factor` adjacent bins (the last group may be shorter)."""
    starts = np.arange(0, len(counts), factor)
    return np.add.reduceat(counts, starts), np.append(edges[starts], edges[-1])


def plot_pnl(f, names, cls, out_dir):
    levels = f["strategies/pnl_quantile_levels"][()]
    i99 = int(np.argmin(np.abs(f["strategies/risk_levels"][()] - 0.99)))
    lo_q, hi_q = int(np.argmin(np.abs(levels - 0.001))), int(np.argmin(np.abs(levels - 0.999)))
    fig, ax = plt.subplots(figsize=(12, 5))
    lo, hi = np.inf, -np.inf
    for name, colour in zip(names, STRATEGY_COLOURS):
        g = f[f"strategies/{name}/{cls}"]
        pct = 100.0 / float(f[f"strategies/{name}"].attrs["risk_budget"])
        hist = g["pnl_histogram"][()].astype(float)
        counts, edges = rebin(hist[1:-1], g["pnl_histogram_edges"][()] * pct, max(1, len(hist) // 400))
        density = counts / (hist.sum() * np.diff(edges))
        ax.stairs(density, edges, fill=True, alpha=0.3, color=colour, label=f"{name} ({int(g['paths'][()]):,} paths)")
        ax.stairs(density, edges, color=colour, linewidth=0.8)
        var, es = g["var"][i99] * pct, g["es"][i99] * pct
        ax.axvline(-var, color=colour, linestyle="--", label=f"{name} VaR 99% = {var:.1f}%")
        ax.axvline(-es, color=colour, linestyle=":", linewidth=2, label=f"{name} ES 99% = {es:.1f}%")
        q = g["pnl_quantiles"][()] * pct
        lo, hi = min(lo, q[lo_q], -es), max(hi, q[hi_q])
    pad = 0.05 * (hi - lo)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_yscale("log")
    ax.set_xlabel("P&L at exit (% of risk budget)")
    ax.set_ylabel("density (per percentage point, log scale)")
    ax.set_title(f"P&L distribution, class {cls} (VaR/ES: loss at 99%, drawn at -value)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    save(fig, out_dir, "pnl.png")


def plot_vix_fan(f, out_dir):
    levels = f["statistics/quantile_levels"][()]
    q = f["statistics/daily/vix_quantiles"][()]
    col = {lv: int(np.argmin(np.abs(levels - lv))) for lv in (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)}
    has_entry = "entry_day" in f.attrs
    entry = int(f.attrs.get("entry_day", 0))
    x = np.arange(q.shape[0]) - entry
    fig, ax = plt.subplots(figsize=(11, 5))
    for (a, b), alpha in (((0.01, 0.99), 0.15), ((0.05, 0.95), 0.25), ((0.25, 0.75), 0.4)):
        ax.fill_between(x, q[:, col[a]], q[:, col[b]], color="tab:blue", alpha=alpha, linewidth=0,
                        label=f"{round(a * 100)}-{round(b * 100)}%")
    ax.plot(x, q[:, col[0.5]], color="navy", linewidth=1.8, label="median")
    if "paths/vix" in f:
        samples = f["paths/vix"][:10]
        for i, path in enumerate(samples):
            label = f"{len(samples)} sample paths" if i == 0 else None
            ax.plot(x, path, color="0.3", linewidth=0.6, alpha=0.7, label=label)
    if has_entry:
        ax.axvline(0, color="black", linestyle="--", linewidth=1, label=f"entry (day {entry})")
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("trading days relative to entry" if has_entry else "trading day")
    ax.set_ylabel("VIX")
    ax.set_title(f"VIX quantiles over {int(f.attrs.get('paths', 0)):,} paths")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    fig.tight_layout()
    save(fig, out_dir, "vix_fan.png")


def plot_pnl_paths(f, names, out_dir, count=20):
    reasons = strings(f["strategies/reason_names"])
    entry = int(f.attrs.get("entry_day", 0))
    fig, axes = plt.subplots(1, len(names), figsize=(6 * len(names), 4.5), sharey=True, squeeze=False)
    seen = set()
    for ax, name in zip(axes[0], names):
        g = f[f"paths/strategies/{name}"]
        pct = 100.0 / float(f[f"strategies/{name}"].attrs["risk_budget"])
        pnl = g["pnl"][:count] * pct
        x = np.arange(pnl.shape[1]) - entry
        for path, day, reason in zip(pnl, g["exit_day"][:count], g["exit_reason"][:count]):
            ax.plot(x, path, color="0.5", linewidth=0.7)
            label = reasons[reason] if reason not in seen else None
            seen.add(reason)
            ax.plot(day, path[entry + day], "o", color=REASON_COLOURS[reason % 5], markersize=5, label=label)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_xlim(0, int(f[f"strategies/{name}"].attrs["life_days"]))
        ax.set_title(f"{name}: first {len(pnl)} sample paths")
        ax.set_xlabel("trading days after entry")
    axes[0][0].set_ylabel("mark-to-market P&L (% of risk budget)")
    handles = [h for ax in axes[0] for h in ax.get_legend_handles_labels()[0]]
    fig.legend(handles=sorted(handles, key=lambda h: reasons.index(h.get_label())), title="exit",
               loc="center right", fontsize=8)
    fig.tight_layout(rect=(0, 0, 0.9, 1))
    save(fig, out_dir, "pnl_paths.png")


def main():
    ap = argparse.ArgumentParser(description="Plot a condorsim results file.")
    ap.add_argument("results", help="results.h5 written by condorsim run")
    ap.add_argument("-o", "--out-dir", required=True, help="directory for the PNGs (created if missing)")
    ap.add_argument("--strategies", nargs=2, metavar=("A", "B"), help="two strategies (default: the first two)")
    ap.add_argument("--class", dest="cls", choices=CLASSES, default="all", help="path class (default all)")
    args = ap.parse_args()
    with open_results(args.results) as f:
        try:
            names = pick_strategies(f, args.strategies) if "strategies" in f else None
            try:
                os.makedirs(args.out_dir, exist_ok=True)
            except OSError as e:
                fail(f"{args.out_dir}: cannot create directory ({e.strerror})")
            plot_vix_fan(f, args.out_dir)
            if names is None:
                print(f"note: {args.results} has no /strategies group: wrote vix_fan.png only", file=sys.stderr)
                return
            plot_exit_days(f, names, args.cls, args.out_dir)
            plot_pnl(f, names, args.cls, args.out_dir)
            if "paths/strategies" in f:
                plot_pnl_paths(f, names, args.out_dir)
        except KeyError as e:
            fail(f"{args.results}: missing data ({e})")


if __name__ == "__main__":
    main()
