#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Plots the SWEEP workload of a qforkrpc_bench JSON file as an SVG.

    python3 scripts/plot_bench.py bench.json docs/bench-sweep.svg

Two panels, both log-log against the payload size: the median round-trip latency of an echo call,
and the bandwidth derived from it (2 * size / time: the payload travels both ways). One line per
configuration and one for the raw floor. Python's standard library only, so it runs where
matplotlib is not installed (CI).
"""

import argparse
import json
import math
import os
import sys
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
FLOOR = "raw floor"
# Okabe-Ito colours (distinguishable with colour-blindness); octets draws circles, datastream
# squares, the floor diamonds and a dashed line.
STYLES = {
    FLOOR: ("#222222", "diamond", "6 4"),
    "sync+octets": ("#0072B2", "circle", None),
    "sync+datastream": ("#009E73", "square", None),
    "async+octets": ("#E69F00", "circle", None),
    "async+datastream": ("#CC79A7", "square", None),
}
SPARE_COLOURS = ["#D55E00", "#56B4E9", "#F0E442", "#999999"]

WIDTH = 960
MARGIN_LEFT = 96
MARGIN_RIGHT = 28
PANEL_HEIGHT = 300


def size_text(size):
    """16 -> "16 B", 4096 -> "4 KiB", 64 MiB -> "64 MiB"."""
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return "%d %s" % (size // factor, unit)
    return "%d B" % size


def number_text(value):
    """A power of ten without trailing noise: 0.01, 0.1, 1, 10, 1000."""
    if value >= 1:
        return "%d" % round(value)
    return ("%.6f" % value).rstrip("0")


def time_text(microseconds):
    for unit, factor in (("s", 1e6), ("ms", 1e3)):
        if microseconds >= factor:
            return "%s %s" % (number_text(microseconds / factor), unit)
    return "%s µs" % number_text(microseconds)


def value_text(value):
    """A measured value, three significant digits at most."""
    if value >= 100:
        return "%d" % round(value)
    if value >= 10:
        return "%.1f" % value
    return "%.2f" % value


def load_series(results):
    """{config: {"us": {size: row}, "MB/s": {size: row}}}, the floor first, then in run order."""
    series = {}
    for row in results:
        if row.get("workload") != "SWEEP" or row.get("median") is None:
            continue
        size = row.get("payload_bytes")
        if not size:
            continue
        series.setdefault(row["config"], {}).setdefault(row["unit"], {})[int(size)] = row
    ordered = sorted(series, key=lambda name: (name != FLOOR, list(series).index(name)))
    return [(name, series[name]) for name in ordered]


class Svg:
    def __init__(self):
        self.parts = []

    def add(self, text):
        self.parts.append(text)

    def text(self, x, y, content, size=13, anchor="start", weight="normal", colour="#222222", extra=""):
        self.add('<text x="%.1f" y="%.1f" font-size="%g" text-anchor="%s" font-weight="%s" fill="%s"%s>%s</text>'
                 % (x, y, size, anchor, weight, colour, extra, escape(content)))

    def line(self, x1, y1, x2, y2, colour, width=1.0, dash=None):
        self.add('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"%s/>'
                 % (x1, y1, x2, y2, colour, width, ' stroke-dasharray="%s"' % dash if dash else ""))

    def marker(self, shape, x, y, colour, tooltip=None):
        tip = "<title>%s</title>" % escape(tooltip) if tooltip else ""
        style = 'fill="%s" stroke="#ffffff" stroke-width="1.2"' % colour
        if shape == "circle":
            self.add('<circle cx="%.1f" cy="%.1f" r="4.8" %s>%s</circle>' % (x, y, style, tip))
        elif shape == "square":
            self.add('<rect x="%.1f" y="%.1f" width="8.6" height="8.6" %s>%s</rect>' % (x - 4.3, y - 4.3, style, tip))
        else:
            self.add('<polygon points="%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f" %s>%s</polygon>'
                     % (x, y - 6, x + 6, y, x, y + 6, x - 6, y, style, tip))


def decades(values):
    low = math.floor(math.log10(min(values)) + 1e-9)
    high = math.ceil(math.log10(max(values)) - 1e-9)
    if high <= low:
        high = low + 1
    return low, high


def draw_panel(svg, top, series, unit, sizes, title, y_title, tick_text, styles):
    """One log-log panel; top is the y of its title."""
    left = MARGIN_LEFT
    right = WIDTH - MARGIN_RIGHT
    plot_top = top + 14
    bottom = plot_top + PANEL_HEIGHT
    values = [row["median"] for _, by_unit in series for row in by_unit.get(unit, {}).values()]
    if not values:
        return
    low, high = decades(values)
    x_low = math.log2(min(sizes)) - 0.6
    x_high = math.log2(max(sizes)) + 0.6

    def x_of(size):
        return left + (math.log2(size) - x_low) / (x_high - x_low) * (right - left)

    def y_of(value):
        return bottom - (math.log10(value) - low) / (high - low) * (bottom - plot_top)

    svg.text(left, top, title, size=15, weight="bold")
    svg.add('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fbfbfb" stroke="none"/>'
            % (left, plot_top, right - left, bottom - plot_top))
    # Grid: every decade (labelled) and its 2..9 multiples; every power of two on the size axis,
    # the measured sizes labelled.
    for decade in range(low, high + 1):
        y = y_of(10.0 ** decade)
        svg.line(left, y, right, y, "#c8c8c8", 1)
        svg.text(left - 8, y + 4.5, tick_text(10.0 ** decade), size=12.5, anchor="end", colour="#444444")
        if decade < high:
            for multiple in range(2, 10):
                y = y_of(multiple * 10.0 ** decade)
                svg.line(left, y, right, y, "#ececec", 1)
    power = math.ceil(x_low)
    while power <= x_high:
        if 2 ** power not in sizes:
            svg.line(x_of(2 ** power), plot_top, x_of(2 ** power), bottom, "#ececec", 1)
        power += 1
    for size in sizes:
        x = x_of(size)
        svg.line(x, plot_top, x, bottom, "#c8c8c8", 1)
        svg.line(x, bottom, x, bottom + 5, "#444444", 1)
        svg.text(x, bottom + 20, size_text(size), size=12.5, anchor="middle", colour="#444444")
    svg.add('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="none" stroke="#888888" stroke-width="1"/>'
            % (left, plot_top, right - left, bottom - plot_top))
    svg.text((left + right) / 2, bottom + 42, "payload size (argument = result, log scale)", size=13,
             anchor="middle", colour="#333333")
    svg.text(24, (plot_top + bottom) / 2, y_title, size=13, anchor="middle", colour="#333333",
             extra=' transform="rotate(-90 24 %.1f)"' % ((plot_top + bottom) / 2))

    for name, by_unit in series:
        rows = by_unit.get(unit, {})
        points = sorted((size, row) for size, row in rows.items())
        if not points:
            continue
        colour, shape, dash = styles[name]
        path = " ".join("%s%.1f,%.1f" % ("M" if i == 0 else "L", x_of(size), y_of(row["median"]))
                        for i, (size, row) in enumerate(points))
        svg.add('<path d="%s" fill="none" stroke="%s" stroke-width="2.2" stroke-linejoin="round"%s/>'
                % (path, colour, ' stroke-dasharray="%s"' % dash if dash else ""))
        for size, row in points:
            tooltip = "%s, %s: median %s %s (%s .. %s, %d samples)" % (
                name, size_text(size), value_text(row["median"]), unit, value_text(row["min"]),
                value_text(row["max"]), len(row.get("samples", [])))
            svg.marker(shape, x_of(size), y_of(row["median"]), colour, tooltip)


def plot(document):
    series = load_series(document.get("results", []))
    if not series:
        raise ValueError("no SWEEP results (run qforkrpc_bench with the SWEEP workload)")
    sizes = sorted({size for _, by_unit in series for rows in by_unit.values() for size in rows})
    styles = {}
    spare = iter(SPARE_COLOURS * 4)
    for name, _ in series:
        styles[name] = STYLES.get(name) or (next(spare), "circle", None)

    env = document.get("environment", {})
    params = document.get("parameters", {})
    facts = ["Qt %s" % env.get("qt_version", "?")]
    if env.get("build_type"):
        facts.append("%s build" % env["build_type"])
    facts.append("Linux %s" % env.get("kernel", "?"))
    cpus = env.get("online_cpus")
    facts.append(("%s CPU%s %s" % (cpus if cpus is not None else "?", "" if cpus == 1 else "s",
                                   env.get("cpu_architecture", ""))).strip())
    if params.get("spawn"):
        facts.append("Spawn::%s" % params["spawn"])
    if document.get("started"):
        facts.append(document["started"][:10])
    if params.get("quick"):
        facts.append("QUICK RUN (few samples)")

    svg = Svg()
    svg.text(WIDTH / 2, 32, "QForkRpc echo call: round trip against payload size", size=20, anchor="middle",
             weight="bold")
    svg.text(WIDTH / 2, 56, " · ".join(facts), size=13.5, anchor="middle", colour="#444444")

    # Legend: one centred row.
    legend_y = 86
    entries = []
    for name, _ in series:
        entries.append((name, 34 + 8 + len(name) * 7.6 + 22))
    x = (WIDTH - sum(width for _, width in entries)) / 2
    for name, width in entries:
        colour, shape, dash = styles[name]
        svg.line(x, legend_y, x + 34, legend_y, colour, 2.2, dash)
        svg.marker(shape, x + 17, legend_y, colour)
        svg.text(x + 42, legend_y + 4.5, name, size=13.5)
        x += width

    panel_pitch = PANEL_HEIGHT + 100
    first_top = 124
    draw_panel(svg, first_top, series, "us", sizes, "Latency (median round trip, lower is better)",
               "round-trip time (log scale)", time_text, styles)
    draw_panel(svg, first_top + panel_pitch, series, "MB/s", sizes,
               "Bandwidth (2 × size / median round trip, higher is better)", "MB/s (10⁶ B/s, log scale)",
               number_text, styles)
    height = first_top + 2 * panel_pitch + 4
    svg.text(WIDTH - MARGIN_RIGHT, height - 12,
             "Each point: median of the samples after one warm-up call; the payload goes to the worker "
             "and comes back, so bandwidth counts both directions.", size=11.5, anchor="end", colour="#666666")

    header = ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
              'font-family="%s">' % (WIDTH, height, WIDTH, height, FONT))
    body = "\n".join(svg.parts)
    return '<?xml version="1.0" encoding="UTF-8"?>\n%s\n<rect width="100%%" height="100%%" fill="#ffffff"/>\n%s\n</svg>\n' % (
        header, body)


def main():
    parser = argparse.ArgumentParser(description="Plot qforkrpc_bench's SWEEP results as an SVG.")
    parser.add_argument("json", help="the benchmark's JSON (qforkrpc_bench --json FILE)")
    parser.add_argument("svg", help="the SVG to write")
    args = parser.parse_args()
    try:
        with open(args.json, encoding="utf-8") as file:
            document = json.load(file)
        svg = plot(document)
    except (OSError, ValueError) as error:
        print("plot_bench.py: %s: %s" % (args.json, error), file=sys.stderr)
        return 1
    directory = os.path.dirname(args.svg)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(args.svg, "w", encoding="utf-8") as file:
        file.write(svg)
    print("wrote %s" % args.svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
