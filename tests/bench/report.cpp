// SPDX-License-Identifier: MIT
#include "report.h"

#include "qtfloor.h"

#include <QForkRpc>

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSysInfo>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace Bench {

const QString floorName = QStringLiteral("raw floor");
const QString unbatchedFloorName = QStringLiteral("floor, 1 write/reply");
const QString qtConcurrentName = QStringLiteral("QtConcurrent");
const QString poolName = QStringLiteral("QForkRpcPool");

QList<Row> rows;

void addRow(const QString &workload, const QString &title, const QString &config,
    const QString &unit, bool higherIsBetter, const QList<double> &samples, qint64 payloadBytes)
{
    if (samples.isEmpty())
        return; // the measurement failed; fail() has said why
    rows.append(Row { workload, title, config, unit, higherIsBetter, samples, payloadBytes });
}

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    return QStringLiteral("%1 B").arg(bytes);
}

void addSweepRows(const QString &config, qint64 size, const QList<double> &microseconds)
{
    QList<double> megabytesPerSecond;
    for (double sample : microseconds)
        megabytesPerSecond << 2.0 * double(size) / sample;
    const QString echo = QStringLiteral("echo ") + sizeText(size);
    addRow(QStringLiteral("SWEEP"), echo + QStringLiteral(" latency"), config, QStringLiteral("us"),
        false, microseconds, size);
    addRow(QStringLiteral("SWEEP"), echo + QStringLiteral(" bandwidth"), config,
        QStringLiteral("MB/s"), true, megabytesPerSecond, size);
}

void addMemoryRows(const QString &config, const Memory &memory)
{
    addRow(QStringLiteral("W5"), QStringLiteral("idle worker Rss"), config, QStringLiteral("kB"),
        false, { memory.rss });
    addRow(QStringLiteral("W5"), QStringLiteral("idle worker Pss"), config, QStringLiteral("kB"),
        false, { memory.pss });
    addRow(QStringLiteral("W5"), QStringLiteral("idle worker private"), config,
        QStringLiteral("kB"), false, { memory.privateKb });
}

void sortRows()
{
    QStringList titles;
    for (const Row &row : std::as_const(rows)) {
        if (!titles.contains(row.title))
            titles << row.title;
    }
    const QStringList workloads { QStringLiteral("W1"), QStringLiteral("W2"), QStringLiteral("W3"),
        QStringLiteral("W4"), QStringLiteral("W5"), QStringLiteral("C1"), QStringLiteral("SWEEP"),
        QStringLiteral("W6") };
    std::stable_sort(rows.begin(), rows.end(), [&titles, &workloads](const Row &a, const Row &b) {
        if (a.workload != b.workload)
            return workloads.indexOf(a.workload) < workloads.indexOf(b.workload);
        return titles.indexOf(a.title) < titles.indexOf(b.title);
    });
}

namespace {

// The row of `reference` with the same workload and metric as `row`, if any.
const Row *referenceRow(const Row &row, const QString &reference)
{
    for (const Row &candidate : std::as_const(rows)) {
        if (candidate.config == reference && candidate.workload == row.workload
            && candidate.title == row.title)
            return &candidate;
    }
    return nullptr;
}

double ratioTo(const Row &row, const QString &reference)
{
    const Row *other = referenceRow(row, reference);
    if (!other || other->median() == 0)
        return std::nan("");
    return row.median() / other->median();
}

// The first ratio column: to the raw floor's row; in W6, to QtConcurrent's.
double ratioToFloor(const Row &row)
{
    return ratioTo(row, row.workload == QLatin1String("W6") ? qtConcurrentName : floorName);
}

QString ratioText(double ratio)
{
    return std::isnan(ratio) ? QStringLiteral("n/a") : QString::number(ratio, 'f', 2);
}

QString formatNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    const double magnitude = std::fabs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
    return QString::number(value, 'f', decimals);
}

QJsonValue jsonNumber(double value)
{
    return std::isnan(value) ? QJsonValue() : QJsonValue(value);
}

} // namespace

void printTable()
{
    std::printf("\nRatio = median / the raw floor's median, Qt ratio = median / the Qt floor's "
                "median;\nfor calls/s and MB/s higher is better, for the rest lower is better.\n");
    std::printf("W6's ratio is to QtConcurrent's row instead: QForkRpcPool images/s over "
                "QtConcurrent's.\n");
    std::printf("MB = 10^6 bytes, kB as in /proc. Spawn: Template. Medians of the samples in the "
                "last column.\n");
    const qint64 threshold = QForkRpc::Options().sharedMemoryThreshold;
    std::printf("Payloads of %s go through shared memory (a sealed memfd); \", socket only\" "
                "sends every\npayload through the socket, \", all shm\" every one through "
                "shared memory.\n\n",
        threshold > 0 ? qPrintable(sizeText(threshold) + QStringLiteral(" and more"))
                      : "no size (the default is 0)");
    const char *format = "%-5s %-24s %-33s %12s %-8s %8s %8s   %s\n";
    std::printf(format, "", "Workload", "Configuration", "Median", "Unit", "Ratio", "Qt ratio",
        "min .. max (samples)");
    std::printf("%s\n", QByteArray(137, '-').constData());
    QString lastKey;
    for (const Row &row : std::as_const(rows)) {
        const QString key = row.workload + row.title;
        const bool first = key != lastKey;
        lastKey = key;
        const QString range = QStringLiteral("%1 .. %2 (%3)")
                                  .arg(formatNumber(row.min()), formatNumber(row.max()))
                                  .arg(row.samples.size());
        const double qtRatio = ratioTo(row, qtFloorName);
        std::printf(format, first ? qPrintable(row.workload) : "",
            first ? qPrintable(row.title) : "", qPrintable(row.config),
            qPrintable(formatNumber(row.median())), qPrintable(row.unit),
            qPrintable(ratioText(ratioToFloor(row))),
            std::isnan(qtRatio) ? "" : qPrintable(ratioText(qtRatio)), qPrintable(range));
    }
    std::printf("\n");
}

bool writeJson(
    const QString &path, const Params &params, const QString &dispatcher, const QDateTime &started)
{
    QJsonArray sweepSizes;
    for (const qint64 size : params.sweepSizes)
        sweepSizes.append(double(size));
    QJsonObject parameters {
        { QStringLiteral("quick"), params.quick },
        { QStringLiteral("w1_warmup_calls"), params.w1Warmup },
        { QStringLiteral("w1_calls_per_rep"), params.w1Calls },
        { QStringLiteral("w1_reps"), params.w1Reps },
        { QStringLiteral("w2_calls_per_rep"), params.w2Calls },
        { QStringLiteral("w2_reps"), params.w2Reps },
        { QStringLiteral("w3_bytes"), double(params.w3Size) },
        { QStringLiteral("w3_reps"), params.w3Reps },
        { QStringLiteral("w4_reps"), params.w4Reps },
        { QStringLiteral("w5_settle_ms"), params.w5SettleMs },
        { QStringLiteral("c1_checks_per_rep"), double(params.c1Checks) },
        { QStringLiteral("c1_reps"), params.c1Reps },
        { QStringLiteral("sweep_bytes"), sweepSizes },
        { QStringLiteral("sweep_min_reps"), params.sweepMinReps },
        { QStringLiteral("sweep_max_reps"), params.sweepMaxReps },
        { QStringLiteral("sweep_budget_ms"), params.sweepBudgetMs },
        { QStringLiteral("w6_images"), params.w6Images },
        { QStringLiteral("w6_reps"), params.w6Reps },
        { QStringLiteral("w6_max_side"), params.w6MaxSide },
        { QStringLiteral("w6_pool_load"), params.w6Load },
        { QStringLiteral("spawn"), QStringLiteral("Template") },
        // Options::sharedMemoryThreshold's default, which every configuration keeps but the
        // ", socket only" (0: never) and ", all shm" (1 byte) ones.
        { QStringLiteral("shared_memory_threshold"),
            double(QForkRpc::Options().sharedMemoryThreshold) },
    };
    QJsonArray results;
    for (const Row &row : std::as_const(rows)) {
        QJsonArray samples;
        for (double sample : row.samples)
            samples.append(sample);
        QJsonObject result {
            { QStringLiteral("workload"), row.workload },
            { QStringLiteral("metric"), row.title },
            { QStringLiteral("config"), row.config },
            { QStringLiteral("unit"), row.unit },
            { QStringLiteral("higher_is_better"), row.higherIsBetter },
            { QStringLiteral("median"), jsonNumber(row.median()) },
            { QStringLiteral("min"), jsonNumber(row.min()) },
            { QStringLiteral("max"), jsonNumber(row.max()) },
            { QStringLiteral("samples"), samples },
            { QStringLiteral("ratio_to_floor"), jsonNumber(ratioToFloor(row)) },
            { QStringLiteral("ratio_to_qt_floor"), jsonNumber(ratioTo(row, qtFloorName)) },
        };
        if (row.payloadBytes >= 0)
            result.insert(QStringLiteral("payload_bytes"), double(row.payloadBytes));
        results.append(result);
    }
    const QJsonObject root {
        { QStringLiteral("tool"), QStringLiteral("qforkrpc_bench") },
        { QStringLiteral("started"), started.toString(Qt::ISODate) },
        { QStringLiteral("ok"), failureCount == 0 },
        { QStringLiteral("failures"), QJsonArray::fromStringList(failures) },
        { QStringLiteral("environment"),
            QJsonObject {
                { QStringLiteral("qt_version"), QString::fromLatin1(qVersion()) },
                { QStringLiteral("build_type"), QStringLiteral(QFORKRPC_BENCH_BUILD_TYPE) },
                { QStringLiteral("kernel"), QSysInfo::kernelVersion() },
                { QStringLiteral("cpu_architecture"), QSysInfo::currentCpuArchitecture() },
                { QStringLiteral("online_cpus"), int(sysconf(_SC_NPROCESSORS_ONLN)) },
                { QStringLiteral("parent_event_dispatcher"), dispatcher },
            } },
        { QStringLiteral("parameters"), parameters },
        { QStringLiteral("results"), results },
    };
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 || !file.flush()) {
        std::fprintf(
            stderr, "cannot write %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
        return false;
    }
    return true;
}

} // namespace Bench
