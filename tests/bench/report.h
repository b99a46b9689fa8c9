// SPDX-License-Identifier: MIT
// The results of a qforkrpc_bench run: one row per workload, metric and configuration, with its
// samples, in the order they were measured; then sorted, printed as a table with each row's
// ratios to the raw floor's row and the Qt floor's (qtfloor.h), and written as JSON.
#pragma once

#include "benchsupport.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Bench {

extern const QString floorName;
// W2 only: the floor child writing each reply at once, as the sync backend does (rawfloor.h).
extern const QString unbatchedFloorName;
// W6's rows: its reference (in the ratio column) is QtConcurrent, not the floor.
extern const QString qtConcurrentName;
extern const QString poolName;

struct Row
{
    QString workload; // "W1".."W5", "SWEEP"
    QString title;
    QString config;
    QString unit;
    bool higherIsBetter = false;
    QList<double> samples;
    qint64 payloadBytes = -1; // SWEEP only

    double median() const
    {
        if (samples.isEmpty())
            return std::nan("");
        QList<double> sorted = samples;
        std::sort(sorted.begin(), sorted.end());
        const qsizetype n = sorted.size();
        return n % 2 ? sorted.at(n / 2) : (sorted.at(n / 2 - 1) + sorted.at(n / 2)) / 2;
    }
    double min() const
    {
        return samples.isEmpty() ? std::nan("") : *std::min_element(samples.begin(), samples.end());
    }
    double max() const
    {
        return samples.isEmpty() ? std::nan("") : *std::max_element(samples.begin(), samples.end());
    }
};

extern QList<Row> rows;

// Adds a row, unless the measurement failed (no samples; fail() has said why).
void addRow(const QString &workload, const QString &title, const QString &config,
    const QString &unit, bool higherIsBetter, const QList<double> &samples,
    qint64 payloadBytes = -1);

// "16 B", "4 KiB", "64 MiB"
QString sizeText(qint64 bytes);

// Two rows per size and configuration: the latency, and the bandwidth derived from each sample
// (both directions count: 2 * size bytes per round trip; bytes per microsecond are MB/s).
void addSweepRows(const QString &config, qint64 size, const QList<double> &microseconds);

// W5's three rows: Rss, Pss and private memory.
void addMemoryRows(const QString &config, const Memory &memory);

// In workload order, and within a workload one metric after the other (W3 and W5 measure
// several metrics per configuration).
void sortRows();

void printTable();
bool writeJson(
    const QString &path, const Params &params, const QString &dispatcher, const QDateTime &started);

} // namespace Bench
