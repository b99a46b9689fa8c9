// SPDX-License-Identifier: MIT
// qforkrpc_bench: what QForkRpc costs, next to the least a fork + socketpair RPC can cost (the
// "raw floor", rawfloor.cpp). One run measures, for the four backend/serialiser combinations
// (Spawn::Template) and for the floor:
//   W1  round-trip latency of a tiny call, each call issued from the previous call's callback
//   W2  throughput of many tiny calls queued at once
//   W3  one 64 MiB argument, and separately one 64 MiB result, on a warm worker
//   W4  spawn + first call answered (QForkRpc::run() to the first callback)
//   W5  memory of an idle worker after one call (/proc/PID/smaps_rollup)
//   SWEEP  round trip of an echo call from 16 B to 64 MiB: latency and bandwidth against size
// It prints a table and writes the same numbers as JSON (--json FILE). Every result is checked:
// the exit code is non-zero if any call failed, timed out or returned something wrong. Timings
// are reported, never judged.
#include "rawfloor.h"

#include <QForkRpc>

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QSysInfo>
#include <QtCore/QTimer>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#ifndef QFORKRPC_BENCH_BUILD_TYPE
#define QFORKRPC_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

// rmdir() on this fails with ENOENT: the tiny call does a real system call and returns an error.
constexpr char nonexistentPath[] = "/tmp/qforkrpc-bench-nonexistent/1";
constexpr char nonexistentDir[] = "/tmp/qforkrpc-bench-nonexistent";

// ---- The worker side ---------------------------------------------------------------------------

// Example 1 of the original, plus two commands for bulk data:
//   ("rmdir", path)  -> (1) or (0, strerror(errno))
//   ("length", data) -> (size of data)
//   ("bytes", n)     -> (n bytes of 'x')
// With the octets serialiser every value is a QByteArray, numbers included, in both directions.
QVariantList benchRun(const QVariantList &args)
{
    if (args.isEmpty())
        throw std::runtime_error("bench.run: no command");
    const QVariant &command = args.at(0);
    const QVariant argument = args.value(1);
    if (command.typeId() == QMetaType::QByteArray) {
        const QByteArray name = command.toByteArray();
        const QByteArray value = argument.toByteArray();
        if (name == "rmdir") {
            if (::rmdir(value.constData()) == 0)
                return { QByteArray("1") };
            const int error = errno;
            return { QByteArray("0"), QByteArray(strerror(error)) };
        }
        if (name == "length")
            return { QByteArray::number(value.size()) };
        if (name == "bytes")
            return { QByteArray(qsizetype(value.toLongLong()), 'x') };
    } else {
        const QString name = command.toString();
        if (name == QLatin1String("rmdir")) {
            const QByteArray path = QFile::encodeName(argument.toString());
            if (::rmdir(path.constData()) == 0)
                return { 1 };
            const int error = errno;
            return { 0, QString::fromLocal8Bit(strerror(error)) };
        }
        if (name == QLatin1String("length"))
            return { qint64(argument.toByteArray().size()) };
        if (name == QLatin1String("bytes"))
            return { QByteArray(qsizetype(argument.toLongLong()), 'x') };
    }
    throw std::runtime_error("bench.run: unknown command");
}
QFORKRPC_REGISTER("bench.run", benchRun);
QFORKRPC_REGISTER("bench.runAsync", [](QForkRpcDone done, const QVariantList &args) { done(benchRun(args)); });

// SWEEP: (data) -> (data). Returning the arguments shares their buffer, so the worker copies
// nothing; what is measured is the transport and the serialiser, both ways.
QVariantList benchEcho(const QVariantList &args)
{
    return args;
}
QFORKRPC_REGISTER("bench.echo", benchEcho);
QFORKRPC_REGISTER("bench.echoAsync", [](QForkRpcDone done, const QVariantList &args) { done(args); });

// ---- Failures and waiting ----------------------------------------------------------------------

QStringList failures;
int failureCount = 0;

class Waiter;
Waiter *currentWaiter = nullptr;

void fail(const QString &message);

// Runs the event loop until finish(), a failure or a timeout. Only one exists at a time.
class Waiter
{
public:
    Waiter() : m_failuresAtStart(failureCount) { currentWaiter = this; }
    ~Waiter() { currentWaiter = nullptr; }
    Waiter(const Waiter &) = delete;
    Waiter &operator=(const Waiter &) = delete;

    void finish()
    {
        m_done = true;
        m_loop.quit();
    }
    void abort() { m_loop.quit(); }

    // True if finish() was called and nothing failed meanwhile.
    bool wait(int timeoutMs, const QString &what)
    {
        if (!m_done && failureCount == m_failuresAtStart) {
            QTimer timer;
            timer.setSingleShot(true);
            bool timedOut = false;
            QObject::connect(&timer, &QTimer::timeout, &m_loop, [&] {
                timedOut = true;
                m_loop.quit();
            });
            timer.start(timeoutMs);
            m_loop.exec();
            if (timedOut && !m_done)
                fail(QStringLiteral("%1: no answer within %2 ms").arg(what).arg(timeoutMs));
        }
        return m_done && failureCount == m_failuresAtStart;
    }

private:
    QEventLoop m_loop;
    bool m_done = false;
    int m_failuresAtStart;
};

void fail(const QString &message)
{
    ++failureCount;
    if (failures.size() < 50)
        failures << message;
    if (failureCount <= 20)
        std::fprintf(stderr, "FAILURE: %s\n", qPrintable(message));
    if (currentWaiter)
        currentWaiter->abort();
}

// Lets the event loop run for a while (an idle worker settles meanwhile).
void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

using Clock = std::chrono::steady_clock;

double microsecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::micro>(to - from).count();
}

// ---- Results -----------------------------------------------------------------------------------

const QString floorName = QStringLiteral("raw floor");
// W2 only: the floor child writing each reply at once, as the sync backend does (rawfloor.h).
const QString unbatchedFloorName = QStringLiteral("floor, 1 write/reply");

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
    double min() const { return samples.isEmpty() ? std::nan("") : *std::min_element(samples.begin(), samples.end()); }
    double max() const { return samples.isEmpty() ? std::nan("") : *std::max_element(samples.begin(), samples.end()); }
};

QList<Row> rows;

void addRow(const QString &workload, const QString &title, const QString &config, const QString &unit,
            bool higherIsBetter, const QList<double> &samples, qint64 payloadBytes = -1)
{
    if (samples.isEmpty())
        return; // the measurement failed; fail() has said why
    rows.append(Row { workload, title, config, unit, higherIsBetter, samples, payloadBytes });
}

// "16 B", "4 KiB", "64 MiB"
QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return QStringLiteral("%1 KiB").arg(bytes / 1024);
    return QStringLiteral("%1 B").arg(bytes);
}

const Row *floorRow(const Row &row)
{
    for (const Row &candidate : std::as_const(rows)) {
        if (candidate.config == floorName && candidate.workload == row.workload && candidate.title == row.title)
            return &candidate;
    }
    return nullptr;
}

double ratioToFloor(const Row &row)
{
    const Row *floor = floorRow(row);
    if (!floor || floor->median() == 0)
        return std::nan("");
    return row.median() / floor->median();
}

// ---- Parameters --------------------------------------------------------------------------------

struct Params
{
    bool quick = false;
    int w1Warmup = 1000;
    int w1Calls = 20000;
    int w1Reps = 5;
    int w2Calls = 100000;
    int w2Reps = 5;
    qsizetype w3Size = 64 * 1024 * 1024;
    int w3Reps = 5;
    int w4Warmup = 3;
    int w4Reps = 50;
    int w5SettleMs = 100;
    // SWEEP: after a warm-up call per size, at least sweepMinReps calls, more while the size has
    // used less than sweepBudgetMs, at most sweepMaxReps (and an odd count, see sweepSamples()).
    QList<qint64> sweepSizes { 16, 256, 4 * 1024, 64 * 1024, 1024 * 1024, 16 * 1024 * 1024, 64 * 1024 * 1024 };
    int sweepMinReps = 3;
    int sweepMaxReps = 1001;
    int sweepBudgetMs = 200;
    int timeoutMs = 300000;
    QSet<QString> only;

    bool wants(const QString &workload) const { return only.isEmpty() || only.contains(workload); }
    QString sizeText() const { return QStringLiteral("%1 MiB").arg(w3Size / (1024 * 1024)); }
};

// ---- What the calls are and what they must return ----------------------------------------------

QByteArrayList enoentBytes; // strerror(ENOENT) in the C locale and in the program's locale
QStringList enoentStrings;

void rememberEnoentText()
{
    const QByteArray text(strerror(ENOENT));
    if (!enoentBytes.contains(text))
        enoentBytes << text;
    const QString string = QString::fromLocal8Bit(text);
    if (!enoentStrings.contains(string))
        enoentStrings << string;
}

struct Config
{
    QString name;
    bool async;
    QString serialiser;

    bool octets() const { return serialiser == QLatin1String("octets"); }
};

class Calls
{
public:
    explicit Calls(bool octets)
        : m_octets(octets),
          rmdirArgs(octets ? QVariantList { QByteArray("rmdir"), QByteArray(nonexistentPath) }
                           : QVariantList { QStringLiteral("rmdir"), QString::fromLatin1(nonexistentPath) })
    {
    }

    bool rmdirOk(const QVariantList &r) const
    {
        if (r.size() != 2)
            return false;
        if (m_octets) {
            return r.at(0).typeId() == QMetaType::QByteArray && r.at(0).toByteArray() == "0"
                    && r.at(1).typeId() == QMetaType::QByteArray && enoentBytes.contains(r.at(1).toByteArray());
        }
        return r.at(0).typeId() == QMetaType::Int && r.at(0).toInt() == 0
                && r.at(1).typeId() == QMetaType::QString && enoentStrings.contains(r.at(1).toString());
    }

    QVariantList lengthArgs(const QByteArray &data) const
    {
        return { m_octets ? QVariant(QByteArray("length")) : QVariant(QStringLiteral("length")), data };
    }
    bool lengthOk(const QVariantList &r, qsizetype size) const
    {
        if (r.size() != 1)
            return false;
        if (m_octets)
            return r.at(0).typeId() == QMetaType::QByteArray && r.at(0).toByteArray() == QByteArray::number(size);
        return r.at(0).typeId() == QMetaType::LongLong && r.at(0).toLongLong() == size;
    }

    QVariantList bytesArgs(qsizetype size) const
    {
        if (m_octets)
            return { QByteArray("bytes"), QByteArray::number(size) };
        return { QStringLiteral("bytes"), qint64(size) };
    }
    static bool bytesOk(const QVariantList &r, qsizetype size)
    {
        if (r.size() != 1 || r.at(0).typeId() != QMetaType::QByteArray)
            return false;
        const QByteArray bytes = r.at(0).toByteArray();
        return bytes.size() == size && std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return c == 'x'; });
    }

private:
    bool m_octets;

public:
    const QVariantList rmdirArgs;
};

QString describe(const QVariantList &values)
{
    QStringList parts;
    for (const QVariant &value : values) {
        QString text = value.toString();
        if (text.size() > 60)
            text = text.left(60) + QStringLiteral("...");
        parts << QStringLiteral("%1(%2)").arg(QLatin1String(value.metaType().name() ? value.metaType().name() : "invalid"), text);
    }
    return QStringLiteral("(") + parts.join(QStringLiteral(", ")) + QStringLiteral(")");
}

// ---- QForkRpc measurements ---------------------------------------------------------------------
//
// Callbacks point at state on the measuring function's stack. That is safe because a measurement
// either ends with every callback run, or deletes the worker (which drops its callbacks) before it
// returns.

using RpcPtr = std::unique_ptr<QForkRpc>;

// function: the sync worker's name; the async one has "Async" appended.
RpcPtr startWorker(const Config &config, const QString &function = QStringLiteral("bench.run"))
{
    QForkRpc::Options options;
    options.async = config.async;
    options.serialiser = config.serialiser;
    options.spawn = QForkRpc::Spawn::Template;
    RpcPtr rpc(QForkRpc::run(config.async ? function + QStringLiteral("Async") : function, options));
    const QString name = config.name;
    QObject::connect(rpc.get(), &QForkRpc::error, rpc.get(),
                     [name](const QString &message) { fail(name + QStringLiteral(": ") + message); });
    return rpc;
}

// W1: n sequential calls, the next issued from the previous one's callback; microseconds per call.
bool measureLatency(RpcPtr &rpc, const Config &config, const Calls &calls, int n, const Params &params,
                    double *microsecondsPerCall)
{
    struct Chain
    {
        QForkRpc *rpc;
        const Calls *calls;
        const Config *config;
        Waiter waiter;
        int remaining;
        std::function<void(const QVariantList &)> next;
    } chain { rpc.get(), &calls, &config, {}, n, {} };
    chain.next = [c = &chain](const QVariantList &results) {
        if (!c->calls->rmdirOk(results)) {
            fail(QStringLiteral("%1: wrong result of a tiny call: %2").arg(c->config->name, describe(results)));
            return;
        }
        if (--c->remaining == 0)
            c->waiter.finish();
        else
            c->rpc->call(c->calls->rmdirArgs, c->next);
    };
    const Clock::time_point start = Clock::now();
    rpc->call(calls.rmdirArgs, chain.next);
    const bool ok = chain.waiter.wait(params.timeoutMs, config.name + QStringLiteral(": sequential calls"));
    const Clock::time_point end = Clock::now();
    if (!ok) {
        rpc.reset();
        return false;
    }
    *microsecondsPerCall = microsecondsBetween(start, end) / n;
    return true;
}

// W2: n calls queued at once; calls per second until the last callback ran.
bool measureThroughput(RpcPtr &rpc, const Config &config, const Calls &calls, int n, const Params &params,
                       double *callsPerSecond)
{
    struct State
    {
        const Calls *calls;
        const Config *config;
        Waiter waiter;
        int expected;
        int received = 0;
        bool reported = false;
    } state { &calls, &config, {}, n };
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < n; ++i) {
        rpc->call(calls.rmdirArgs, [s = &state](const QVariantList &results) {
            if (!s->calls->rmdirOk(results)) {
                if (!s->reported)
                    fail(QStringLiteral("%1: wrong result of a queued call: %2").arg(s->config->name, describe(results)));
                s->reported = true;
                return;
            }
            if (++s->received == s->expected)
                s->waiter.finish();
        });
    }
    const bool ok = state.waiter.wait(params.timeoutMs, config.name + QStringLiteral(": queued calls"));
    const Clock::time_point end = Clock::now();
    if (!ok) {
        rpc.reset();
        return false;
    }
    *callsPerSecond = n / (microsecondsBetween(start, end) / 1e6);
    return true;
}

// W3: one call with a big argument or a big result; MB/s (10^6 bytes per second).
bool measureBulk(RpcPtr &rpc, const Config &config, const Calls &calls, bool bigResult, const QByteArray &data,
                 qsizetype size, const Params &params, double *megabytesPerSecond)
{
    const QVariantList args = bigResult ? calls.bytesArgs(size) : calls.lengthArgs(data);
    Waiter waiter;
    Clock::time_point end;
    bool right = false;
    QVariantList wrong;
    const Clock::time_point start = Clock::now();
    rpc->call(args, [&](const QVariantList &results) {
        end = Clock::now();
        right = bigResult ? Calls::bytesOk(results, size) : calls.lengthOk(results, size);
        if (!right)
            wrong = results;
        waiter.finish();
    });
    const QString what = QStringLiteral("%1: %2").arg(config.name, bigResult ? QStringLiteral("big result") : QStringLiteral("big argument"));
    if (!waiter.wait(params.timeoutMs, what)) {
        rpc.reset();
        return false;
    }
    if (!right) {
        fail(QStringLiteral("%1: wrong result %2").arg(what, describe(wrong)));
        rpc.reset();
        return false;
    }
    *megabytesPerSecond = double(size) / microsecondsBetween(start, end);
    return true;
}

// W3 on a warm worker of one configuration.
void runBulkWorkloads(const Config &config, const Params &params, const QByteArray &bigArgument)
{
    const Calls calls(config.octets());
    RpcPtr rpc = startWorker(config);
    double value = 0;
    // Warm-up: the worker is up, its code paths and both sides' buffers are warm.
    if (!measureLatency(rpc, config, calls, params.w1Warmup, params, &value))
        return;
    for (const bool bigResult : { false, true }) {
        QList<double> samples;
        for (int rep = -1; rep < params.w3Reps; ++rep) { // rep -1 warms up
            if (!measureBulk(rpc, config, calls, bigResult, bigArgument, params.w3Size, params, &value))
                return;
            if (rep >= 0)
                samples << value;
        }
        addRow(QStringLiteral("W3"),
               QStringLiteral("%1 %2").arg(params.sizeText(), bigResult ? QStringLiteral("result") : QStringLiteral("argument")),
               config.name, QStringLiteral("MB/s"), true, samples);
    }
}

// ---- SWEEP (both sides) ------------------------------------------------------------------------

// The echo payload: no two neighbouring bytes alike and a period (251, prime) that no power-of-two
// offset hits, so a truncated, shifted or stale reply does not compare equal.
QByteArray sweepPayload(qint64 size)
{
    QByteArray data(qsizetype(size), Qt::Uninitialized);
    char *bytes = data.data();
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(i % 251);
    return data;
}

// One size's samples (microseconds per round trip): a warm-up call, then calls until there are at
// least sweepMinReps and either sweepBudgetMs have passed or there are sweepMaxReps. The count is
// made odd, so the median is one sample and the median bandwidth is exactly 2 * size / median
// latency.
bool sweepSamples(const Params &params, const std::function<bool(double *)> &echoOnce, QList<double> *samples)
{
    double microseconds = 0;
    if (!echoOnce(&microseconds))
        return false;
    const Clock::time_point start = Clock::now();
    while (samples->size() < params.sweepMinReps
           || (samples->size() < params.sweepMaxReps && microsecondsBetween(start, Clock::now()) < params.sweepBudgetMs * 1000.0)
           || samples->size() % 2 == 0) {
        if (!echoOnce(&microseconds))
            return false;
        *samples << microseconds;
    }
    return true;
}

// Two rows per size and configuration: the latency, and the bandwidth derived from each sample
// (both directions count: 2 * size bytes per round trip; bytes per microsecond are MB/s).
void addSweepRows(const QString &config, qint64 size, const QList<double> &microseconds)
{
    QList<double> megabytesPerSecond;
    for (double sample : microseconds)
        megabytesPerSecond << 2.0 * double(size) / sample;
    const QString echo = QStringLiteral("echo ") + sizeText(size);
    addRow(QStringLiteral("SWEEP"), echo + QStringLiteral(" latency"), config, QStringLiteral("us"), false, microseconds, size);
    addRow(QStringLiteral("SWEEP"), echo + QStringLiteral(" bandwidth"), config, QStringLiteral("MB/s"), true,
           megabytesPerSecond, size);
}

// What came back instead of data: the payload is binary, so sizes and the first difference.
QString describeEcho(const QVariantList &results, const QByteArray &data)
{
    if (results.size() != 1 || results.at(0).typeId() != QMetaType::QByteArray)
        return QStringLiteral("%1 value(s), not one QByteArray").arg(results.size());
    const QByteArray got = results.at(0).toByteArray();
    const auto difference = std::mismatch(got.cbegin(), got.cend(), data.cbegin(), data.cend());
    return QStringLiteral("%1 bytes back for %2, the first difference at offset %3")
            .arg(got.size())
            .arg(data.size())
            .arg(difference.first - got.cbegin());
}

// One echo call of data on a warm worker: call() to the callback, in microseconds.
bool measureEcho(RpcPtr &rpc, const Config &config, const QByteArray &data, const Params &params, double *microseconds)
{
    const QVariantList args { data };
    Waiter waiter;
    Clock::time_point end;
    bool right = false;
    QVariantList wrong;
    const Clock::time_point start = Clock::now();
    rpc->call(args, [&](const QVariantList &results) {
        end = Clock::now();
        right = results.size() == 1 && results.at(0).typeId() == QMetaType::QByteArray
                && results.at(0).toByteArray() == data;
        if (!right)
            wrong = results;
        waiter.finish();
    });
    const QString what = QStringLiteral("%1: echo of %2").arg(config.name, sizeText(data.size()));
    if (!waiter.wait(params.timeoutMs, what)) {
        rpc.reset();
        return false;
    }
    if (!right) {
        fail(QStringLiteral("%1: wrong result, %2").arg(what, describeEcho(wrong, data)));
        rpc.reset();
        return false;
    }
    *microseconds = microsecondsBetween(start, end);
    return true;
}

void runSweep(const Config &config, const Params &params)
{
    RpcPtr rpc = startWorker(config, QStringLiteral("bench.echo"));
    for (const qint64 size : params.sweepSizes) {
        const QByteArray data = sweepPayload(size);
        QList<double> samples;
        if (!sweepSamples(params, [&](double *us) { return measureEcho(rpc, config, data, params, us); }, &samples))
            return;
        addSweepRows(config.name, size, samples);
    }
}

// W4: QForkRpc::run() to the first callback, then delete (not timed).
void runSpawn(const Config &config, const Params &params)
{
    const Calls calls(config.octets());
    QList<double> samples;
    for (int rep = -params.w4Warmup; rep < params.w4Reps; ++rep) {
        Waiter waiter;
        Clock::time_point answered;
        bool right = false;
        QVariantList got;
        const Clock::time_point start = Clock::now();
        RpcPtr rpc = startWorker(config);
        rpc->call(calls.rmdirArgs, [&](const QVariantList &results) {
            answered = Clock::now();
            right = calls.rmdirOk(results);
            got = results;
            waiter.finish();
        });
        if (!waiter.wait(params.timeoutMs, config.name + QStringLiteral(": first call")))
            return;
        if (!right) {
            fail(QStringLiteral("%1: wrong result of the first call: %2").arg(config.name, describe(got)));
            return;
        }
        if (rep >= 0)
            samples << microsecondsBetween(start, answered);
    }
    addRow(QStringLiteral("W4"), QStringLiteral("spawn + first call"), config.name, QStringLiteral("us"), false, samples);
}

struct Memory
{
    double rss = 0;
    double pss = 0;
    double privateKb = 0; // Private_Clean + Private_Dirty
};

bool readMemory(qint64 pid, Memory *memory)
{
    QFile file(QStringLiteral("/proc/%1/smaps_rollup").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    int seen = 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray key = line.left(colon);
        const double kb = line.mid(colon + 1).trimmed().split(' ').value(0).toDouble();
        if (key == "Rss") {
            memory->rss = kb;
            ++seen;
        } else if (key == "Pss") {
            memory->pss = kb;
        } else if (key == "Private_Clean" || key == "Private_Dirty") {
            memory->privateKb += kb;
            ++seen;
        }
    }
    return seen == 3;
}

void addMemoryRows(const QString &config, const Memory &memory)
{
    addRow(QStringLiteral("W5"), QStringLiteral("idle worker Rss"), config, QStringLiteral("kB"), false, { memory.rss });
    addRow(QStringLiteral("W5"), QStringLiteral("idle worker Pss"), config, QStringLiteral("kB"), false, { memory.pss });
    addRow(QStringLiteral("W5"), QStringLiteral("idle worker private"), config, QStringLiteral("kB"), false, { memory.privateKb });
}

// W5: memory of a worker that has answered one call and sits idle.
void runMemory(const Config &config, const Params &params)
{
    const Calls calls(config.octets());
    RpcPtr rpc = startWorker(config);
    Waiter waiter;
    bool right = false;
    rpc->call(calls.rmdirArgs, [&](const QVariantList &results) {
        right = calls.rmdirOk(results);
        waiter.finish();
    });
    if (!waiter.wait(params.timeoutMs, config.name + QStringLiteral(": call before measuring memory")))
        return;
    if (!right)
        return fail(config.name + QStringLiteral(": wrong result of the call before measuring memory"));
    idle(params.w5SettleMs);
    Memory memory;
    if (!readMemory(rpc->processId(), &memory))
        return fail(QStringLiteral("%1: cannot read /proc/%2/smaps_rollup").arg(config.name).arg(rpc->processId()));
    addMemoryRows(config.name, memory);
}

// ---- The raw floor -----------------------------------------------------------------------------

bool rawRmdirOk(const char *reply, size_t size)
{
    if (size < 1 || reply[0] != '0')
        return false;
    return enoentBytes.contains(QByteArray(reply + 1, qsizetype(size - 1)));
}

bool rawFail(const QString &what)
{
    fail(floorName + QStringLiteral(": ") + what);
    return false;
}

bool rawTinyCall(RawFloor::Connection &connection)
{
    const char *reply;
    size_t size;
    if (!connection.call(RawFloor::opRmdir, nonexistentPath, sizeof nonexistentPath - 1, &reply, &size))
        return rawFail(QStringLiteral("the tiny call broke off"));
    if (!rawRmdirOk(reply, size))
        return rawFail(QStringLiteral("wrong result of a tiny call: %1").arg(QString::fromLocal8Bit(reply, qsizetype(size))));
    return true;
}

bool rawLatency(RawFloor::Connection &connection, int n, double *microsecondsPerCall)
{
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < n; ++i) {
        if (!rawTinyCall(connection))
            return false;
    }
    *microsecondsPerCall = microsecondsBetween(start, Clock::now()) / n;
    return true;
}

// A writer thread sends every request in 64 KiB batches while this thread reads the replies, so
// that neither side's socket buffer fills up with nobody reading.
bool rawThroughput(RawFloor::Connection &connection, int n, double *callsPerSecond)
{
    const Clock::time_point start = Clock::now();
    bool writeFailed = false;
    std::thread writer([&] {
        std::string batch;
        batch.reserve(64 * 1024 + 256);
        for (int i = 0; i < n; ++i) {
            RawFloor::appendRequest(batch, RawFloor::opRmdir, nonexistentPath, sizeof nonexistentPath - 1);
            if (batch.size() >= 64 * 1024 || i == n - 1) {
                if (!RawFloor::writeAll(connection.fd(), batch.data(), batch.size())) {
                    writeFailed = true;
                    return;
                }
                batch.clear();
            }
        }
    });
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
        const char *reply;
        size_t size;
        ok = connection.receive(&reply, &size) && rawRmdirOk(reply, size);
    }
    const Clock::time_point end = Clock::now();
    if (!ok) // unblock the writer, should it wait for the child
        shutdown(connection.fd(), SHUT_RDWR);
    writer.join();
    if (!ok || writeFailed)
        return rawFail(QStringLiteral("queued calls broke off or returned something wrong"));
    *callsPerSecond = n / (microsecondsBetween(start, end) / 1e6);
    return true;
}

bool rawBulk(RawFloor::Connection &connection, bool bigResult, const QByteArray &data, qsizetype size,
             double *megabytesPerSecond)
{
    const char *reply;
    size_t replySize;
    const Clock::time_point start = Clock::now();
    bool sent;
    if (bigResult) {
        const uint64_t count = uint64_t(size);
        sent = connection.send(RawFloor::opBytes, reinterpret_cast<const char *>(&count), sizeof count);
    } else {
        sent = connection.send(RawFloor::opLength, data.constData(), size_t(data.size()));
    }
    if (!sent || !connection.receive(&reply, &replySize))
        return rawFail(QStringLiteral("a bulk transfer broke off"));
    const Clock::time_point end = Clock::now();
    bool right;
    if (bigResult) {
        right = replySize == size_t(size) && std::all_of(reply, reply + replySize, [](char c) { return c == 'x'; });
    } else {
        uint64_t length = 0;
        right = replySize == sizeof length;
        if (right)
            std::memcpy(&length, reply, sizeof length);
        right = right && length == uint64_t(size);
    }
    if (!right)
        return rawFail(QStringLiteral("wrong result of a bulk transfer"));
    *megabytesPerSecond = double(size) / microsecondsBetween(start, end);
    return true;
}

// W3 on the floor's warm child.
void runRawBulkWorkloads(const Params &params, const QByteArray &bigArgument)
{
    RawFloor::Connection connection;
    std::string error;
    if (!connection.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    double value = 0;
    if (!rawLatency(connection, params.w1Warmup, &value))
        return;
    for (const bool bigResult : { false, true }) {
        QList<double> samples;
        for (int rep = -1; rep < params.w3Reps; ++rep) {
            if (!rawBulk(connection, bigResult, bigArgument, params.w3Size, &value))
                return;
            if (rep >= 0)
                samples << value;
        }
        addRow(QStringLiteral("W3"),
               QStringLiteral("%1 %2").arg(params.sizeText(), bigResult ? QStringLiteral("result") : QStringLiteral("argument")),
               floorName, QStringLiteral("MB/s"), true, samples);
    }
    if (!connection.stop())
        rawFail(QStringLiteral("the child did not exit cleanly"));
}

// ---- W1 and W2, interleaved (both sides) -------------------------------------------------------
//
// Tiny calls are what this VM's noise moves most (the floor's own W1 drifts by a third within
// minutes), so every repetition measures the floors and then each configuration, on workers that
// stay up for the whole phase: a drift then moves all of them alike, and the ratios hold.

struct TinyCallSubject
{
    Config config;
    Calls calls;
    RpcPtr rpc;
    QList<double> latency;
    QList<double> throughput;
};

void runTinyCallWorkloads(const QList<Config> &configs, const Params &params)
{
    const bool w1 = params.wants(QStringLiteral("W1"));
    const bool w2 = params.wants(QStringLiteral("W2"));
    RawFloor::Connection floor;
    RawFloor::Connection unbatched; // W2 only: one write per reply, as the sync backend
    std::string error;
    if (!floor.start(&error) || (w2 && !unbatched.start(&error, RawFloor::ReplyWrites::OnePerReply))) {
        rawFail(QString::fromStdString(error));
        return;
    }
    double value = 0;
    bool floorOk = rawLatency(floor, params.w1Warmup, &value) && (!w2 || rawLatency(unbatched, params.w1Warmup, &value));
    std::vector<TinyCallSubject> subjects;
    for (const Config &config : configs) {
        subjects.push_back({ config, Calls(config.octets()), startWorker(config), {}, {} });
        TinyCallSubject &subject = subjects.back();
        if (!measureLatency(subject.rpc, subject.config, subject.calls, params.w1Warmup, params, &value))
            subject.rpc.reset(); // measureLatency has said why
    }
    QList<double> floorLatency, floorThroughput, unbatchedThroughput;
    const int reps = std::max(w1 ? params.w1Reps : 0, w2 ? params.w2Reps : 0);
    for (int rep = 0; rep < reps; ++rep) {
        if (w1 && rep < params.w1Reps) {
            if (floorOk && (floorOk = rawLatency(floor, params.w1Calls, &value)))
                floorLatency << value;
            for (TinyCallSubject &subject : subjects) {
                if (subject.rpc && measureLatency(subject.rpc, subject.config, subject.calls, params.w1Calls, params, &value))
                    subject.latency << value;
            }
        }
        if (w2 && rep < params.w2Reps) {
            if (floorOk && (floorOk = rawThroughput(floor, params.w2Calls, &value)))
                floorThroughput << value;
            if (floorOk && (floorOk = rawThroughput(unbatched, params.w2Calls, &value)))
                unbatchedThroughput << value;
            for (TinyCallSubject &subject : subjects) {
                if (subject.rpc && measureThroughput(subject.rpc, subject.config, subject.calls, params.w2Calls, params, &value))
                    subject.throughput << value;
            }
        }
    }
    const QString w1Title = QStringLiteral("tiny call latency");
    const QString w2Title = QStringLiteral("pipelined tiny calls");
    addRow(QStringLiteral("W1"), w1Title, floorName, QStringLiteral("us/call"), false, floorLatency);
    for (const TinyCallSubject &subject : subjects)
        addRow(QStringLiteral("W1"), w1Title, subject.config.name, QStringLiteral("us/call"), false, subject.latency);
    addRow(QStringLiteral("W2"), w2Title, floorName, QStringLiteral("calls/s"), true, floorThroughput);
    addRow(QStringLiteral("W2"), w2Title, unbatchedFloorName, QStringLiteral("calls/s"), true, unbatchedThroughput);
    for (const TinyCallSubject &subject : subjects)
        addRow(QStringLiteral("W2"), w2Title, subject.config.name, QStringLiteral("calls/s"), true, subject.throughput);
    if (!floor.stop() || (w2 && !unbatched.stop()))
        rawFail(QStringLiteral("a child did not exit cleanly"));
}

bool rawEcho(RawFloor::Connection &connection, const QByteArray &data, double *microseconds)
{
    const char *reply;
    size_t replySize;
    const Clock::time_point start = Clock::now();
    if (!connection.send(RawFloor::opEcho, data.constData(), size_t(data.size()))
        || !connection.receive(&reply, &replySize))
        return rawFail(QStringLiteral("an echo of %1 broke off").arg(sizeText(data.size())));
    const Clock::time_point end = Clock::now();
    if (replySize != size_t(data.size()) || std::memcmp(reply, data.constData(), replySize) != 0)
        return rawFail(QStringLiteral("wrong result of an echo of %1 (%2 bytes back)").arg(sizeText(data.size())).arg(replySize));
    *microseconds = microsecondsBetween(start, end);
    return true;
}

// SWEEP floor. The child is forked before the payloads exist, so it does not share them
// copy-on-write.
void runRawSweep(const Params &params)
{
    RawFloor::Connection connection;
    std::string error;
    if (!connection.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    for (const qint64 size : params.sweepSizes) {
        const QByteArray data = sweepPayload(size);
        QList<double> samples;
        if (!sweepSamples(params, [&](double *us) { return rawEcho(connection, data, us); }, &samples))
            return;
        addSweepRows(floorName, size, samples);
    }
    if (!connection.stop())
        rawFail(QStringLiteral("the child did not exit cleanly"));
}

// W4 floor: socketpair + fork + one ping-pong + close + waitpid.
void runRawSpawn(const Params &params)
{
    QList<double> samples;
    for (int rep = -params.w4Warmup; rep < params.w4Reps; ++rep) {
        const Clock::time_point start = Clock::now();
        RawFloor::Connection connection;
        std::string error;
        if (!connection.start(&error)) {
            rawFail(QString::fromStdString(error));
            return;
        }
        if (!rawTinyCall(connection))
            return;
        if (!connection.stop()) {
            rawFail(QStringLiteral("the child did not exit cleanly"));
            return;
        }
        if (rep >= 0)
            samples << microsecondsBetween(start, Clock::now());
    }
    addRow(QStringLiteral("W4"), QStringLiteral("spawn + first call"), floorName, QStringLiteral("us"), false, samples);
}

void runRawMemory(const Params &params)
{
    RawFloor::Connection connection;
    std::string error;
    if (!connection.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    if (!rawTinyCall(connection))
        return;
    usleep(useconds_t(params.w5SettleMs) * 1000);
    Memory memory;
    if (!readMemory(connection.pid(), &memory)) {
        rawFail(QStringLiteral("cannot read /proc/%1/smaps_rollup").arg(connection.pid()));
        return;
    }
    addMemoryRows(floorName, memory);
    if (!connection.stop())
        rawFail(QStringLiteral("the child did not exit cleanly"));
}

// ---- Output ------------------------------------------------------------------------------------

QString formatNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("n/a");
    const double magnitude = std::fabs(value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
    return QString::number(value, 'f', decimals);
}

void printTable()
{
    std::printf("\nratio = median / floor median; for calls/s and MB/s higher is better, for the rest lower is better.\n");
    std::printf("MB = 10^6 bytes, kB as in /proc. Spawn: Template. Medians of the samples in the last column.\n\n");
    const char *format = "%-5s %-24s %-20s %12s %-8s %8s   %s\n";
    std::printf(format, "", "Workload", "Configuration", "Median", "Unit", "Ratio", "min .. max (samples)");
    std::printf("%s\n", QByteArray(115, '-').constData());
    QString lastKey;
    for (const Row &row : std::as_const(rows)) {
        const QString key = row.workload + row.title;
        const bool first = key != lastKey;
        lastKey = key;
        const QString range = QStringLiteral("%1 .. %2 (%3)").arg(formatNumber(row.min()), formatNumber(row.max())).arg(row.samples.size());
        const double ratio = ratioToFloor(row);
        std::printf(format, first ? qPrintable(row.workload) : "", first ? qPrintable(row.title) : "",
                    qPrintable(row.config), qPrintable(formatNumber(row.median())), qPrintable(row.unit),
                    std::isnan(ratio) ? "n/a" : qPrintable(QString::number(ratio, 'f', 2)), qPrintable(range));
    }
    std::printf("\n");
}

QJsonValue jsonNumber(double value)
{
    return std::isnan(value) ? QJsonValue() : QJsonValue(value);
}

bool writeJson(const QString &path, const Params &params, const QString &dispatcher, const QDateTime &started)
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
        { QStringLiteral("sweep_bytes"), sweepSizes },
        { QStringLiteral("sweep_min_reps"), params.sweepMinReps },
        { QStringLiteral("sweep_max_reps"), params.sweepMaxReps },
        { QStringLiteral("sweep_budget_ms"), params.sweepBudgetMs },
        { QStringLiteral("spawn"), QStringLiteral("Template") },
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
        std::fprintf(stderr, "cannot write %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
        return false;
    }
    return true;
}

int threadCount()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed().toInt();
    }
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    rememberEnoentText(); // the C locale: what sync workers, forked before QCoreApplication, say
    QCoreApplication app(argc, argv);
    rememberEnoentText(); // the program's locale, which QCoreApplication set: async workers say this

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures QForkRpc against a raw fork + socketpair floor."));
    parser.addHelpOption();
    const QCommandLineOption quickOption(QStringLiteral("quick"), QStringLiteral("Few iterations: a smoke run."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Write the results as JSON to <file>."),
                                        QStringLiteral("file"), QStringLiteral("bench.json"));
    const QCommandLineOption onlyOption(QStringLiteral("only"), QStringLiteral("Run only these workloads, e.g. W1,W3 or SWEEP."),
                                        QStringLiteral("list"));
    const QCommandLineOption configOption(QStringLiteral("config"),
                                          QStringLiteral("Measure only these QForkRpc configurations (the floor always), "
                                                         "e.g. sync+octets,async+datastream."),
                                          QStringLiteral("list"));
    parser.addOption(quickOption);
    parser.addOption(jsonOption);
    parser.addOption(onlyOption);
    parser.addOption(configOption);
    parser.process(app);

    Params params;
    if (parser.isSet(quickOption)) {
        params.quick = true;
        params.w1Warmup = 100;
        params.w1Calls = 1000;
        params.w1Reps = 3;
        params.w2Calls = 10000;
        params.w2Reps = 3;
        params.w3Size = 16 * 1024 * 1024;
        params.w3Reps = 2;
        params.w4Warmup = 1;
        params.w4Reps = 5;
        params.w5SettleMs = 50;
        params.sweepSizes = { 16, 256, 4 * 1024, 64 * 1024, 1024 * 1024 };
        params.sweepMinReps = 3;
        params.sweepMaxReps = 3;
        params.sweepBudgetMs = 0;
        params.timeoutMs = 60000;
    }
    if (parser.isSet(onlyOption)) {
        for (const QString &workload : parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
            params.only.insert(workload.trimmed().toUpper());
    }

    struct stat info;
    if (stat(nonexistentDir, &info) == 0) {
        std::fprintf(stderr, "%s exists; the tiny call needs rmdir(\"%s\") to fail with ENOENT\n",
                     nonexistentDir, nonexistentPath);
        return 2;
    }

    const QDateTime started = QDateTime::currentDateTimeUtc();
    const QString dispatcher = QString::fromLatin1(QAbstractEventDispatcher::instance()->metaObject()->className());
    std::printf("qforkrpc_bench: Qt %s, %s build, %ld CPUs online, parent event dispatcher %s, %s mode\n",
                qVersion(), QFORKRPC_BENCH_BUILD_TYPE, sysconf(_SC_NPROCESSORS_ONLN), qPrintable(dispatcher),
                params.quick ? "quick" : "full");
    if (threadCount() != 1)
        std::printf("note: the parent has %d threads; the floor forks it directly\n", threadCount());
    std::fflush(stdout);

    const QList<Config> allConfigs {
        { QStringLiteral("sync+octets"), false, QStringLiteral("octets") },
        { QStringLiteral("sync+datastream"), false, QStringLiteral("datastream") },
        { QStringLiteral("async+octets"), true, QStringLiteral("octets") },
        { QStringLiteral("async+datastream"), true, QStringLiteral("datastream") },
    };
    QList<Config> configs;
    const QStringList wantedConfigs = parser.value(configOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const Config &config : allConfigs) {
        if (wantedConfigs.isEmpty() || wantedConfigs.contains(config.name))
            configs << config;
    }
    if (configs.isEmpty()) {
        std::fprintf(stderr, "no configuration matches --config %s\n", qPrintable(parser.value(configOption)));
        return 2;
    }

    // Spawning and memory first, while the parent is small (the floor forks the parent itself).
    if (params.wants(QStringLiteral("W4"))) {
        std::printf("W4 spawn + first call...\n");
        std::fflush(stdout);
        runRawSpawn(params);
        for (const Config &config : configs)
            runSpawn(config, params);
    }
    if (params.wants(QStringLiteral("W5"))) {
        std::printf("W5 idle worker memory...\n");
        std::fflush(stdout);
        runRawMemory(params);
        for (const Config &config : configs)
            runMemory(config, params);
    }
    if (params.wants(QStringLiteral("W1")) || params.wants(QStringLiteral("W2"))) {
        std::printf("W1, W2 on warm workers, each repetition over the floors and every configuration...\n");
        std::fflush(stdout);
        runTinyCallWorkloads(configs, params);
    }
    if (params.wants(QStringLiteral("W3"))) {
        const QByteArray bigArgument(params.w3Size, 'y');
        std::printf("W3 on a warm worker: raw floor...\n");
        std::fflush(stdout);
        runRawBulkWorkloads(params, bigArgument);
        for (const Config &config : configs) {
            std::printf("W3 on a warm worker: %s...\n", qPrintable(config.name));
            std::fflush(stdout);
            runBulkWorkloads(config, params, bigArgument);
        }
    }
    if (params.wants(QStringLiteral("SWEEP"))) {
        std::printf("SWEEP echo from %s to %s: raw floor...\n", qPrintable(sizeText(params.sweepSizes.first())),
                    qPrintable(sizeText(params.sweepSizes.last())));
        std::fflush(stdout);
        runRawSweep(params);
        for (const Config &config : configs) {
            std::printf("SWEEP echo: %s...\n", qPrintable(config.name));
            std::fflush(stdout);
            runSweep(config, params);
        }
    }

    // In workload order, and within a workload one metric after the other (W3 and W5 measure
    // several metrics per configuration).
    QStringList titles;
    for (const Row &row : std::as_const(rows)) {
        if (!titles.contains(row.title))
            titles << row.title;
    }
    const QStringList workloads { QStringLiteral("W1"), QStringLiteral("W2"), QStringLiteral("W3"),
                                  QStringLiteral("W4"), QStringLiteral("W5"), QStringLiteral("SWEEP") };
    std::stable_sort(rows.begin(), rows.end(), [&titles, &workloads](const Row &a, const Row &b) {
        if (a.workload != b.workload)
            return workloads.indexOf(a.workload) < workloads.indexOf(b.workload);
        return titles.indexOf(a.title) < titles.indexOf(b.title);
    });
    printTable();

    const bool written = writeJson(parser.value(jsonOption), params, dispatcher, started);
    if (failureCount > 0) {
        std::printf("FAILED: %d failure(s); the first:\n", failureCount);
        for (const QString &failure : std::as_const(failures))
            std::printf("  %s\n", qPrintable(failure));
        return 1;
    }
    std::printf("All measured calls returned the right results. JSON: %s\n", qPrintable(parser.value(jsonOption)));
    return written ? 0 : 1;
}
