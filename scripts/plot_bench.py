#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Plots the SWEEP workload of a qforkrpc_bench JSON file with matplotlib.

    python3 scripts/plot_bench.py bench.json docs/bench-sweep.svg [--title TEXT]

Reads the JSON that `qforkrpc_bench --json FILE` writes and draws its SWEEP (echo call) rows in two
panels side by side, log-log against the payload size: the median round-trip latency (us) and the
bandwidth derived from it (MB/s, 2 * size / time: the payload travels both ways). One line per
configuration, with its samples' min..max as error bars; the "raw floor" (fork + socketpair in
C) is black and dashed, the "Qt floor" (a plain QLocalSocket parent), when present, grey and
dotted. The configurations keep QForkRpc's default shared-memory threshold (payloads from that
size on go through a sealed memfd), drawn as a vertical line with the region from it on shaded; a
configuration named "..., socket only" sends every payload through the socket (dash-dot), one
named "..., all shm" every payload through shared memory (dashed). Writes SVG (deterministic:
fixed hash salt, no date), or PNG if the name ends in .png.
"""

import argparse
import json
import os
import sys

FLOORS = {"raw floor": {"color": "black", "linestyle": "--", "marker": "D"},
          "Qt floor": {"color": "0.5", "linestyle": ":", "marker": "D"}}
# Okabe-Ito colours (distinguishable with colour-blindness), in run order.
COLOURS = ["#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]
# The variants of a configuration that move the shared-memory threshold (qforkrpc_bench's bench.cpp).
VARIANTS = {", socket only": "-.", ", all shm": (0, (5, 1.5))}
DEFAULT_THRESHOLD = 1 << 20  # Options::sharedMemoryThreshold, for a JSON that does not say it
PANELS = [("us", "Latency (median round trip, lower is better)", "round-trip time"),
          ("MB/s", "Bandwidth (2 × size / round trip, higher is better)", "MB/s (10⁶ B/s)")]


def size_text(size):
    """16 -> "16 B", 4096 -> "4 KiB", 64 MiB -> "64 MiB"."""
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return "%d %s" % (size // factor, unit)
    return "%d B" % size


def size_labels(sizes):
    """The sizes' texts; one less than 8 times its left neighbour goes a line lower, not to overlap it."""
    labels = []
    for index, size in enumerate(sizes):
        lower = index > 0 and size < 8 * sizes[index - 1] and not labels[-1].startswith("\n")
        labels.append(("\n" if lower else "") + size_text(size))
    return labels


def value_text(value, unit):
    """A tick on the y axis: 0.1, 10, 1000 (MB/s); 10 µs, 1 ms, 1 s (us)."""
    scales = (("s", 1e6), ("ms", 1e3), ("µs", 1)) if unit == "us" else (("", 1),)
    text, factor = next((text, factor) for text, factor in scales if value >= factor or factor == 1)
    return ("%g %s" % (value / factor, text)).strip()


def load_series(results):
    """{config: {unit: [(size, median, min, max)]}}, the floors first, then in run order."""
    series = {}
    for row in results:
        if row.get("workload") == "SWEEP" and row.get("median") is not None and row.get("payload_bytes"):
            median = row["median"]
            low, high = (row[key] if row.get(key) is not None else median for key in ("min", "max"))
            point = (int(row["payload_bytes"]), median, low, high)
            series.setdefault(row["config"], {}).setdefault(row["unit"], []).append(point)
    rank = {name: index for index, name in enumerate(FLOORS)}
    order = sorted(series, key=lambda name: rank.get(name, len(rank)))  # stable: the rest in run order
    return {name: {unit: sorted(points) for unit, points in series[name].items()} for name in order}


def facts(document):
    env, params = document.get("environment", {}), document.get("parameters", {})
    cpus = env.get("online_cpus", "?")
    parts = ["Qt %s" % env.get("qt_version", "?"), "%s build" % env.get("build_type", "?"),
             "Linux %s" % env.get("kernel", "?"),
             "%s CPU%s %s" % (cpus, "" if cpus == 1 else "s", env.get("cpu_architecture", ""))]
    if params.get("spawn"):
        parts.append("Spawn::%s" % params["spawn"])
    parts.append(document.get("started", "")[:10])
    if params.get("quick"):
        parts.append("QUICK RUN (few samples)")
    return " · ".join(part.strip() for part in parts if part)


def plot(plt, document, title):
    series = load_series(document.get("results", []))
    if not series:
        raise ValueError("no SWEEP results (run qforkrpc_bench with the SWEEP workload)")
    sizes = sorted({point[0] for units in series.values() for points in units.values() for point in points})
    colours = iter(COLOURS * 4)
    styles = {name: FLOORS.get(name) or {"color": next(colours), "marker": "s" if "datastream" in name else "o",
                                          "linestyle": next((style for suffix, style in VARIANTS.items()
                                                             if name.endswith(suffix)), "-")}
              for name in series}
    threshold = document.get("parameters", {}).get("shared_memory_threshold", DEFAULT_THRESHOLD)

    figure, axes = plt.subplots(1, 2, figsize=(12, 5.2))
    for ax, (unit, panel_title, y_label) in zip(axes, PANELS):
        for index, (name, units) in enumerate(series.items()):
            points = units.get(unit)
            if not points:
                continue
            sizes_here, median, low, high = zip(*points)
            # Each config's points move a little sideways so that the min..max bars do not overlap.
            shift = 2 ** (0.12 * (index - (len(series) - 1) / 2))
            spread = ([m - lo for m, lo in zip(median, low)], [hi - m for m, hi in zip(median, high)])
            bars = ax.errorbar([size * shift for size in sizes_here], median, yerr=spread, label=name,
                               linewidth=1.8, markersize=5, elinewidth=0.9, capsize=2, **styles[name])
            bars[-1][0].set_linestyle("-")  # the bars themselves solid, even for the dashed floors
        if threshold and threshold > 0:
            ax.axvspan(threshold, max(sizes) * 4, color="#0072B2", alpha=0.06, linewidth=0, zorder=0)
            ax.axvline(threshold, color="#0072B2", linestyle=":", linewidth=1.2, zorder=1)
            ax.annotate("shared memory from %s\n(default threshold)" % size_text(threshold),
                        xy=(threshold, 0), xycoords=("data", "axes fraction"), xytext=(4, 4),
                        textcoords="offset points", ha="left", va="bottom", fontsize=8, color="#0072B2")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(sizes, size_labels(sizes))
        ax.set_xlim(min(sizes) / 2, max(sizes) * 2)
        ax.xaxis.set_minor_locator(plt.NullLocator())
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _, unit=unit: value_text(value, unit)))
        ax.grid(True, which="major", color="0.85", linewidth=0.8)
        ax.set_title(panel_title, fontsize=11, loc="left")
        ax.set_xlabel("payload size (argument = result)")
        ax.set_ylabel(y_label)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="upper center", ncol=min(len(labels), 5), frameon=False,
                  bbox_to_anchor=(0.5, 0.925))
    figure.suptitle(title, fontsize=14, fontweight="bold", y=0.995)
    figure.text(0.5, 0.94, facts(document), ha="center", fontsize=9, color="0.3")
    figure.text(0.99, 0.01, "Points: median of the samples after one warm-up call; bars: their min..max.",
                ha="right", fontsize=8, color="0.4")
    figure.tight_layout(rect=(0, 0.02, 1, 0.9))
    return figure


def main():
    parser = argparse.ArgumentParser(description="Plot qforkrpc_bench's SWEEP results (SVG or PNG).")
    parser.add_argument("json", help="the benchmark's JSON (qforkrpc_bench --json FILE)")
    parser.add_argument("output", help="the SVG (or .png) to write")
    parser.add_argument("--title", default="QForkRpc echo call: round trip against payload size")
    args = parser.parse_args()
    try:
        import matplotlib
    except ImportError:
        print("plot_bench.py: needs matplotlib: apt-get install python3-matplotlib", file=sys.stderr)
        return 2
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({"svg.hashsalt": "qforkrpc", "svg.fonttype": "none"})  # text stays text: small
    try:
        with open(args.json, encoding="utf-8") as file:
            figure = plot(plt, json.load(file), args.title)
    except (OSError, ValueError) as error:
        print("plot_bench.py: %s: %s" % (args.json, error), file=sys.stderr)
        return 1
    if os.path.dirname(args.output):
        os.makedirs(os.path.dirname(args.output), exist_ok=True)
    png = args.output.lower().endswith(".png")
    figure.savefig(args.output, format="png" if png else "svg", dpi=110,
                   metadata=None if png else {"Date": None})
    print("wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
