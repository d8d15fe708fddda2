#!/usr/bin/python3
"""Where the strategy kernel's time goes, function by function.

Joins what tools/device_job.sh's `profile` stage brings back: Nsight Compute's
per-instruction stall samples and execution counts (ncu-source-sass.csv.gz) and
the machine code with its function labels (sass-lines.txt.gz, nvdisasm). For each
function the double strategy kernel calls (or the kernel's own body): its share of
the stall samples, its machine code, how much of that ran, its calls per warp and
the threads active in a call. Standard library only.

Usage: tools/ncu_functions.py ncu-source-sass.csv.gz sass-lines.txt.gz [paths]
"""
import collections
import csv
import gzip
import re
import subprocess
import sys

KERNEL = "StrategyChunkFnIdE"  # for_each_trade<StrategyChunkFn<double>>


def demangle(name):
    if "for_each_trade" in name:
        return "the kernel's own code (run_strategy and what it inlines)"
    out = subprocess.run(["c++filt", name], capture_output=True, text=True).stdout.strip()
    return re.sub(r"\(.*", "", out).replace("condor::", "").replace("double ", "").replace("void ", "") or name


def functions_by_address(sass_path):
    """Start address -> function name, for the kernel's section of the disassembly."""
    starts, section, pending = {}, None, None
    for line in gzip.open(sass_path, "rt"):
        m = re.match(r"\s*\.section\s+\.text\.(\S+?),", line)
        if m:
            section = m.group(1)
            continue
        if not section or KERNEL not in section:
            continue
        m = re.match(r"^(\$?_Z\S+):\s*$", line)
        if m:
            pending = m.group(1).split("$")[-1]
            continue
        m = re.match(r"\s+/\*([0-9a-f]{4,})\*/", line)
        if m and pending:
            starts[int(m.group(1), 16)] = pending
            pending = None
    return sorted(starts.items())


def instructions(csv_path):
    """Offset from the kernel's start -> (stall samples, warp instructions, thread instructions)."""
    rows, base = {}, None
    for r in csv.reader(gzip.open(csv_path, "rt")):
        if not r or not r[0].startswith("0x"):
            continue
        address = int(r[0], 16)
        base = address if base is None else base
        rows[address - base] = (int(r[2]), int(r[5]), int(r[6]))
    return rows


def main():
    csv_path, sass_path = sys.argv[1], sys.argv[2]
    paths = float(sys.argv[3]) if len(sys.argv) > 3 else 1e5
    starts, rows = functions_by_address(sass_path), instructions(csv_path)
    total_samples = sum(s for s, _, _ in rows.values())
    table = []
    for n, (start, name) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else max(rows) + 16
        inside = [rows.get(a, (0, 0, 0)) for a in range(start, end, 16)]
        samples = sum(s for s, _, _ in inside)
        ran = sum(1 for _, w, _ in inside if w > 0)
        warp_calls, thread_calls = rows.get(start, (0, 0, 0))[1:]
        table.append((samples, name, (end - start), ran * 16, warp_calls, thread_calls))
    warps = paths / 32
    print(f"{'samples':>8} {'code KB':>8} {'ran KB':>7} {'calls/warp':>10} {'threads/call':>12}  function")
    for samples, name, size, ran, warp_calls, thread_calls in sorted(table, reverse=True):
        per_call = thread_calls / warp_calls if warp_calls else 0
        print(f"{100 * samples / total_samples:7.1f}% {size / 1024:8.1f} {ran / 1024:7.1f} "
              f"{warp_calls / warps:10.1f} {per_call:12.1f}  {demangle(name)}")


if __name__ == "__main__":
    main()
