// SPDX-License-Identifier: MIT
#include "workloads.h"

#include "floorworkloads.h"
#include "qtfloor.h"
#include "report.h"

#include <QForkRpc>

#include <QtCore/QFile>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace Bench {

namespace {

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
QFORKRPC_REGISTER(
    "bench.runAsync", [](QForkRpcDone done, const QVariantList &args) { done(benchRun(args)); });

// SWEEP: (data) -> (data). Returning the arguments shares their buffer, so the worker copies
// nothing; what is measured is the transport and the serialiser, both ways.
QVariantList benchEcho(const QVariantList &args)
{
    return args;
}
QFORKRPC_REGISTER("bench.echo", benchEcho);
QFORKRPC_REGISTER(
    "bench.echoAsync", [](QForkRpcDone done, const QVariantList &args) { done(args); });

// C1: (n) -> (how often QForkRpcChild::isCancelled() said true, nanoseconds per check), timed
// here, in the worker, so that the round trip plays no part. Nothing arrives while it runs: what
// is measured is the check itself, a clock read and, once a millisecond, a look at the socket.
QVariantList benchCheckCancelled(const QVariantList &args)
{
    const bool octets = args.value(0).typeId() == QMetaType::QByteArray;
    const qint64 n = args.value(0).toLongLong();
    if (n <= 0)
        throw std::runtime_error("bench.checkCancelled: no count");
    qint64 cancelled = 0;
    const Clock::time_point start = Clock::now();
    for (qint64 i = 0; i < n; ++i)
        cancelled += QForkRpcChild::isCancelled();
    const Clock::time_point end = Clock::now();
    const double nanoseconds = microsecondsBetween(start, end) * 1000.0 / double(n);
    if (octets)
        return { QByteArray::number(cancelled), QByteArray::number(nanoseconds, 'g', 17) };
    return { cancelled, nanoseconds };
}
QFORKRPC_REGISTER("bench.checkCancelled", benchCheckCancelled);

// ---- What the calls are and what they must return ----------------------------------------------

class Calls
{
public:
    explicit Calls(bool octets)
        : m_octets(octets)
        , rmdirArgs(octets
                  ? QVariantList { QByteArray("rmdir"), QByteArray(nonexistentPath) }
                  : QVariantList { QStringLiteral("rmdir"), QString::fromLatin1(nonexistentPath) })
    { }

    bool rmdirOk(const QVariantList &r) const
    {
        if (r.size() != 2)
            return false;
        if (m_octets) {
            return r.at(0).typeId() == QMetaType::QByteArray && r.at(0).toByteArray() == "0"
                && r.at(1).typeId() == QMetaType::QByteArray
                && enoentBytes.contains(r.at(1).toByteArray());
        }
        return r.at(0).typeId() == QMetaType::Int && r.at(0).toInt() == 0
            && r.at(1).typeId() == QMetaType::QString && enoentStrings.contains(r.at(1).toString());
    }

    QVariantList lengthArgs(const QByteArray &data) const
    {
        return { m_octets ? QVariant(QByteArray("length")) : QVariant(QStringLiteral("length")),
            data };
    }
    bool lengthOk(const QVariantList &r, qsizetype size) const
    {
        if (r.size() != 1)
            return false;
        if (m_octets)
            return r.at(0).typeId() == QMetaType::QByteArray
                && r.at(0).toByteArray() == QByteArray::number(size);
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
        return bytes.size() == size
            && std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return c == 'x'; });
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
        parts << QStringLiteral("%1(%2)").arg(
            QLatin1String(value.metaType().name() ? value.metaType().name() : "invalid"), text);
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
    options.spawn = config.command.isEmpty() ? QForkRpc::Spawn::Template : QForkRpc::Spawn::Command;
    options.command = config.command;
    if (config.sharedMemoryThreshold >= 0)
        options.sharedMemoryThreshold = config.sharedMemoryThreshold;
    RpcPtr rpc(
        QForkRpc::run(config.async ? function + QStringLiteral("Async") : function, options));
    const QString name = config.name;
    QObject::connect(rpc.get(), &QForkRpc::error, rpc.get(),
        [name](const QString &message) { fail(name + QStringLiteral(": ") + message); });
    return rpc;
}

// W1: n sequential calls, the next issued from the previous one's callback; microseconds per call.
bool measureLatency(RpcPtr &rpc, const Config &config, const Calls &calls, int n,
    const Params &params, double *microsecondsPerCall)
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
            fail(QStringLiteral("%1: wrong result of a tiny call: %2")
                     .arg(c->config->name, describe(results)));
            return;
        }
        if (--c->remaining == 0)
            c->waiter.finish();
        else
            c->rpc->call(c->calls->rmdirArgs, c->next);
    };
    const Clock::time_point start = Clock::now();
    rpc->call(calls.rmdirArgs, chain.next);
    const bool ok
        = chain.waiter.wait(params.timeoutMs, config.name + QStringLiteral(": sequential calls"));
    const Clock::time_point end = Clock::now();
    if (!ok) {
        rpc.reset();
        return false;
    }
    *microsecondsPerCall = microsecondsBetween(start, end) / n;
    return true;
}

// W2: n calls queued at once; calls per second until the last callback ran.
bool measureThroughput(RpcPtr &rpc, const Config &config, const Calls &calls, int n,
    const Params &params, double *callsPerSecond)
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
                    fail(QStringLiteral("%1: wrong result of a queued call: %2")
                             .arg(s->config->name, describe(results)));
                s->reported = true;
                return;
            }
            if (++s->received == s->expected)
                s->waiter.finish();
        });
    }
    const bool ok
        = state.waiter.wait(params.timeoutMs, config.name + QStringLiteral(": queued calls"));
    const Clock::time_point end = Clock::now();
    if (!ok) {
        rpc.reset();
        return false;
    }
    *callsPerSecond = n / (microsecondsBetween(start, end) / 1e6);
    return true;
}

// W3: one call with a big argument or a big result; MB/s (10^6 bytes per second).
bool measureBulk(RpcPtr &rpc, const Config &config, const Calls &calls, bool bigResult,
    const QByteArray &data, qsizetype size, const Params &params, double *megabytesPerSecond)
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
    const QString what = QStringLiteral("%1: %2").arg(
        config.name, bigResult ? QStringLiteral("big result") : QStringLiteral("big argument"));
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
bool measureEcho(RpcPtr &rpc, const Config &config, const QByteArray &data, const Params &params,
    double *microseconds)
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

// C1: one call of bench.checkCancelled with n checks; nanoseconds per check, as the worker timed
// them.
bool measureCancelCheck(
    RpcPtr &rpc, const Config &config, qint64 n, const Params &params, double *nanoseconds)
{
    const QVariantList args { config.octets() ? QVariant(QByteArray::number(n)) : QVariant(n) };
    const int countType = config.octets() ? QMetaType::QByteArray : QMetaType::LongLong;
    const int timeType = config.octets() ? QMetaType::QByteArray : QMetaType::Double;
    Waiter waiter;
    bool right = false;
    QVariantList got;
    rpc->call(args, [&](const QVariantList &results) {
        got = results;
        right = results.size() == 2 && results.at(0).typeId() == countType
            && results.at(0).toLongLong() == 0 && results.at(1).typeId() == timeType
            && results.at(1).toDouble() > 0;
        waiter.finish();
    });
    const QString what = config.name + QStringLiteral(": isCancelled() loop");
    if (!waiter.wait(params.timeoutMs, what)) {
        rpc.reset();
        return false;
    }
    if (!right) {
        fail(QStringLiteral("%1: wrong result %2 (a cancel seen, or no time)")
                 .arg(what, describe(got)));
        rpc.reset();
        return false;
    }
    *nanoseconds = got.at(1).toDouble();
    return true;
}

struct TinyCallSubject
{
    Config config;
    Calls calls;
    RpcPtr rpc;
    QList<double> latency;
    QList<double> throughput;
};

// W2 through a QForkRpcPool of tinyPoolWorkers workers of one configuration, all started at once
// and kept, each given up to `load` calls at a time: the pool's default load (2), and a load high
// enough to keep every worker's socket busy. At load 2 a worker gets its next call only when one
// of its two has answered, so each call costs the parent a write and a read of its own, where one
// worker with every call queued batches them.
constexpr int tinyPoolWorkers = 2;
constexpr int tinyPoolLoads[] = { 2, 32 };

using PoolPtr = std::unique_ptr<QForkRpcPool>;

struct TinyCallPool
{
    Config config;
    int load;
    Calls calls;
    PoolPtr pool;
    QList<double> throughput;
};

PoolPtr startPool(const Config &config, int load)
{
    QForkRpcPool::Options options;
    options.worker.async = config.async;
    options.worker.serialiser = config.serialiser;
    options.worker.spawn = QForkRpc::Spawn::Template;
    options.max = tinyPoolWorkers;
    options.idle = tinyPoolWorkers;
    options.load = load;
    options.startDelayMs = 0;
    PoolPtr pool(QForkRpcPool::run(
        config.async ? QStringLiteral("bench.runAsync") : QStringLiteral("bench.run"), options));
    const QString name = config.name;
    QObject::connect(pool.get(), &QForkRpcPool::error, pool.get(), [name](const QString &message) {
        fail(QStringLiteral("pool ") + name + QStringLiteral(": ") + message);
    });
    return pool;
}

// W2 through a pool: n calls queued at once; calls per second until the last callback ran.
bool measurePoolThroughput(
    TinyCallPool &subject, int n, const Params &params, double *callsPerSecond)
{
    struct State
    {
        const TinyCallPool *subject;
        Waiter waiter;
        int expected;
        int received = 0;
        bool reported = false;
    } state { &subject, {}, n };
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < n; ++i) {
        subject.pool->call(subject.calls.rmdirArgs, [s = &state](const QVariantList &results) {
            if (!s->subject->calls.rmdirOk(results)) {
                if (!s->reported)
                    fail(QStringLiteral("pool %1: wrong result of a queued call: %2")
                             .arg(s->subject->config.name, describe(results)));
                s->reported = true;
                return;
            }
            if (++s->received == s->expected)
                s->waiter.finish();
        });
    }
    const bool ok = state.waiter.wait(params.timeoutMs,
        QStringLiteral("pool ") + subject.config.name + QStringLiteral(": queued calls"));
    const Clock::time_point end = Clock::now();
    if (!ok) {
        subject.pool.reset(); // drops the callbacks that point at `state`
        return false;
    }
    *callsPerSecond = n / (microsecondsBetween(start, end) / 1e6);
    return true;
}

} // namespace

void runBulkWorkloads(
    const QList<Config> &configs, const Params &params, const QByteArray &bigArgument)
{
    RawFloor::Connection floor;
    std::string error;
    if (!floor.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    struct BulkSubject
    {
        Config config;
        Calls calls;
        RpcPtr rpc;
        QList<double> samples[2]; // argument, result
    };
    double value = 0;
    // Warm-up: the workers are up, their code paths and both sides' buffers are warm.
    bool floorOk = rawLatency(floor, params.w1Warmup, &value);
    QList<double> floorSamples[2];
    std::vector<BulkSubject> subjects;
    for (const Config &config : configs) {
        subjects.push_back({ config, Calls(config.octets()), startWorker(config), {} });
        BulkSubject &subject = subjects.back();
        if (!measureLatency(
                subject.rpc, subject.config, subject.calls, params.w1Warmup, params, &value))
            subject.rpc.reset(); // measureLatency has said why
    }
    for (const bool bigResult : { false, true }) {
        for (int rep = -1; rep < params.w3Reps; ++rep) { // rep -1 warms up
            if (floorOk && (floorOk = rawBulk(floor, bigResult, bigArgument, params.w3Size, &value))
                && rep >= 0)
                floorSamples[bigResult] << value;
            for (BulkSubject &subject : subjects) {
                if (subject.rpc
                    && measureBulk(subject.rpc, subject.config, subject.calls, bigResult,
                        bigArgument, params.w3Size, params, &value)
                    && rep >= 0)
                    subject.samples[bigResult] << value;
            }
        }
        const QString title = QStringLiteral("%1 %2").arg(
            params.sizeText(), bigResult ? QStringLiteral("result") : QStringLiteral("argument"));
        addRow(QStringLiteral("W3"), title, floorName, QStringLiteral("MB/s"), true,
            floorSamples[bigResult]);
        for (const BulkSubject &subject : subjects)
            addRow(QStringLiteral("W3"), title, subject.config.name, QStringLiteral("MB/s"), true,
                subject.samples[bigResult]);
    }
    if (floorOk && !floor.stop())
        rawFail(QStringLiteral("the child did not exit cleanly"));
}

void runCancelCheck(const QList<Config> &configs, const Params &params)
{
    const auto sync = std::find_if(
        configs.cbegin(), configs.cend(), [](const Config &config) { return !config.async; });
    if (sync == configs.cend()) {
        std::printf("C1 skipped: it needs a sync configuration\n");
        return;
    }
    const Config &config = *sync;
    RawFloor::Connection floor;
    std::string error;
    if (!floor.start(&error)) {
        rawFail(QString::fromStdString(error));
        return;
    }
    RpcPtr rpc = startWorker(config, QStringLiteral("bench.checkCancelled"));
    double value = 0;
    // Warm-up: a tenth of a repetition each, the worker up and its code paths warm.
    bool floorOk = rawSpin(floor, quint64(params.c1Checks / 10 + 1), &value);
    bool rpcOk = measureCancelCheck(rpc, config, params.c1Checks / 10 + 1, params, &value);
    QList<double> floorSamples, samples;
    for (int rep = 0; rep < params.c1Reps; ++rep) {
        if (floorOk && (floorOk = rawSpin(floor, quint64(params.c1Checks), &value)))
            floorSamples << value;
        if (rpcOk && (rpcOk = measureCancelCheck(rpc, config, params.c1Checks, params, &value)))
            samples << value;
    }
    const QString title = QStringLiteral("isCancelled() per check");
    addRow(QStringLiteral("C1"), title, floorName, QStringLiteral("ns/check"), false, floorSamples);
    addRow(QStringLiteral("C1"), title, config.name, QStringLiteral("ns/check"), false, samples);
    if (!floor.stop())
        rawFail(QStringLiteral("a child did not exit cleanly"));
}

void runSweep(const Config &config, const Params &params)
{
    RpcPtr rpc = startWorker(config, QStringLiteral("bench.echo"));
    for (const qint64 size : params.sweepSizes) {
        const QByteArray data = sweepPayload(size);
        QList<double> samples;
        if (!sweepSamples(
                params, [&](double *us) { return measureEcho(rpc, config, data, params, us); },
                &samples))
            return;
        addSweepRows(config.name, size, samples);
    }
}

namespace {

// W4, one spawn: run() to the first callback, then delete (not timed).
bool spawnOnce(const Config &config, const Calls &calls, const Params &params, double *microseconds)
{
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
        return false;
    if (!right) {
        fail(QStringLiteral("%1: wrong result of the first call: %2")
                 .arg(config.name, describe(got)));
        return false;
    }
    *microseconds = microsecondsBetween(start, answered);
    return true;
}

} // namespace

void runSpawnWorkloads(const QList<Config> &configs, const Params &params)
{
    std::vector<Calls> calls;
    for (const Config &config : configs)
        calls.emplace_back(config.octets());
    QList<double> rawSamples, qtSamples;
    std::vector<QList<double>> samples(size_t(configs.size()));
    std::vector<bool> failed(size_t(configs.size()), false);
    bool rawOk = true;
    bool qtOk = true;
    double value = 0;
    for (int rep = -params.w4Warmup; rep < params.w4Reps; ++rep) {
        if (rawOk && (rawOk = rawSpawn(&value)) && rep >= 0)
            rawSamples << value;
        if (qtOk && (qtOk = qtSpawn(params, &value)) && rep >= 0)
            qtSamples << value;
        for (qsizetype i = 0; i < configs.size(); ++i) {
            if (failed[size_t(i)])
                continue;
            failed[size_t(i)] = !spawnOnce(configs.at(i), calls[size_t(i)], params, &value);
            if (!failed[size_t(i)] && rep >= 0)
                samples[size_t(i)] << value;
        }
    }
    const QString title = QStringLiteral("spawn + first call");
    addRow(QStringLiteral("W4"), title, floorName, QStringLiteral("us"), false,
        rawOk ? rawSamples : QList<double>());
    addRow(QStringLiteral("W4"), title, qtFloorName, QStringLiteral("us"), false,
        qtOk ? qtSamples : QList<double>());
    for (qsizetype i = 0; i < configs.size(); ++i)
        addRow(QStringLiteral("W4"), title, configs.at(i).name, QStringLiteral("us"), false,
            failed[size_t(i)] ? QList<double>() : samples[size_t(i)]);
}

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
    if (!waiter.wait(
            params.timeoutMs, config.name + QStringLiteral(": call before measuring memory")))
        return;
    if (!right)
        return fail(
            config.name + QStringLiteral(": wrong result of the call before measuring memory"));
    idle(params.w5SettleMs);
    Memory memory;
    if (!readMemory(rpc->processId(), &memory))
        return fail(QStringLiteral("%1: cannot read /proc/%2/smaps_rollup")
                        .arg(config.name)
                        .arg(rpc->processId()));
    addMemoryRows(config.name, memory);
}

// ---- W1 and W2, interleaved (both sides) -------------------------------------------------------

void runTinyCallWorkloads(const QList<Config> &configs, const Params &params)
{
    const bool w1 = params.wants(QStringLiteral("W1"));
    const bool w2 = params.wants(QStringLiteral("W2"));
    RawFloor::Connection floor;
    RawFloor::Connection unbatched; // W2 only: one write per reply, as the sync backend
    std::string error;
    if (!floor.start(&error)
        || (w2 && !unbatched.start(&error, RawFloor::ReplyWrites::OnePerReply))) {
        rawFail(QString::fromStdString(error));
        return;
    }
    QtFloor qtFloor;
    if (!qtFloor.start(&error)) {
        qtFail(QString::fromStdString(error));
        return;
    }
    double value = 0;
    bool floorOk = rawLatency(floor, params.w1Warmup, &value)
        && (!w2 || rawLatency(unbatched, params.w1Warmup, &value));
    bool qtFloorOk = qtLatency(qtFloor, params.w1Warmup, params, &value);
    std::vector<TinyCallSubject> subjects;
    for (const Config &config : configs) {
        subjects.push_back({ config, Calls(config.octets()), startWorker(config), {}, {} });
        TinyCallSubject &subject = subjects.back();
        if (!measureLatency(
                subject.rpc, subject.config, subject.calls, params.w1Warmup, params, &value))
            subject.rpc.reset(); // measureLatency has said why
    }
    std::vector<TinyCallPool> pools;
    if (w2) {
        for (const int load : tinyPoolLoads) {
            for (const Config &config : configs) {
                pools.push_back(
                    { config, load, Calls(config.octets()), startPool(config, load), {} });
                if (!measurePoolThroughput(pools.back(), params.w1Warmup, params, &value))
                    pools.back().pool.reset(); // measurePoolThroughput has said why
            }
        }
    }
    QList<double> floorLatency, floorThroughput, unbatchedThroughput, qtLatencies, qtThroughputs;
    const int reps = std::max(w1 ? params.w1Reps : 0, w2 ? params.w2Reps : 0);
    for (int rep = 0; rep < reps; ++rep) {
        if (w1 && rep < params.w1Reps) {
            if (floorOk && (floorOk = rawLatency(floor, params.w1Calls, &value)))
                floorLatency << value;
            if (qtFloorOk && (qtFloorOk = qtLatency(qtFloor, params.w1Calls, params, &value)))
                qtLatencies << value;
            for (TinyCallSubject &subject : subjects) {
                if (subject.rpc
                    && measureLatency(
                        subject.rpc, subject.config, subject.calls, params.w1Calls, params, &value))
                    subject.latency << value;
            }
        }
        if (w2 && rep < params.w2Reps) {
            if (floorOk && (floorOk = rawThroughput(floor, params.w2Calls, &value)))
                floorThroughput << value;
            if (floorOk && (floorOk = rawThroughput(unbatched, params.w2Calls, &value)))
                unbatchedThroughput << value;
            if (qtFloorOk && (qtFloorOk = qtThroughput(qtFloor, params.w2Calls, params, &value)))
                qtThroughputs << value;
            for (TinyCallSubject &subject : subjects) {
                if (subject.rpc
                    && measureThroughput(
                        subject.rpc, subject.config, subject.calls, params.w2Calls, params, &value))
                    subject.throughput << value;
            }
            for (TinyCallPool &subject : pools) {
                if (subject.pool && measurePoolThroughput(subject, params.w2Calls, params, &value))
                    subject.throughput << value;
            }
        }
    }
    const QString w1Title = QStringLiteral("tiny call latency");
    const QString w2Title = QStringLiteral("pipelined tiny calls");
    addRow(
        QStringLiteral("W1"), w1Title, floorName, QStringLiteral("us/call"), false, floorLatency);
    addRow(
        QStringLiteral("W1"), w1Title, qtFloorName, QStringLiteral("us/call"), false, qtLatencies);
    for (const TinyCallSubject &subject : subjects)
        addRow(QStringLiteral("W1"), w1Title, subject.config.name, QStringLiteral("us/call"), false,
            subject.latency);
    addRow(
        QStringLiteral("W2"), w2Title, floorName, QStringLiteral("calls/s"), true, floorThroughput);
    addRow(QStringLiteral("W2"), w2Title, unbatchedFloorName, QStringLiteral("calls/s"), true,
        unbatchedThroughput);
    addRow(
        QStringLiteral("W2"), w2Title, qtFloorName, QStringLiteral("calls/s"), true, qtThroughputs);
    for (const TinyCallSubject &subject : subjects)
        addRow(QStringLiteral("W2"), w2Title, subject.config.name, QStringLiteral("calls/s"), true,
            subject.throughput);
    for (const TinyCallPool &subject : pools)
        addRow(QStringLiteral("W2"), w2Title,
            QStringLiteral("pool(%1, load %2) %3")
                .arg(tinyPoolWorkers)
                .arg(subject.load)
                .arg(subject.config.name),
            QStringLiteral("calls/s"), true, subject.throughput);
    if (!floor.stop() || (w2 && !unbatched.stop()))
        rawFail(QStringLiteral("a child did not exit cleanly"));
    if (qtFloorOk && !qtFloor.stop())
        qtFail(QStringLiteral("the child did not exit cleanly"));
}

void runIdleWorkerLatency(const Config &config, const Params &params)
{
    const Calls calls(config.octets());
    for (const int idleCount : params.w1IdleWorkers) {
        // The idle ones answer a call first, so that they are up and settled, as in a pool.
        std::vector<RpcPtr> idleWorkers;
        std::vector<std::unique_ptr<QtFloor>> idleSockets;
        std::string error;
        double value = 0;
        for (int i = 0; i < idleCount; ++i) {
            idleWorkers.push_back(startWorker(config));
            if (!measureLatency(idleWorkers.back(), config, calls, 1, params, &value))
                return;
            idleSockets.push_back(std::make_unique<QtFloor>());
            if (!idleSockets.back()->start(&error)) {
                qtFail(QString::fromStdString(error));
                return;
            }
        }
        QtFloor qtFloor;
        if (!qtFloor.start(&error)) {
            qtFail(QString::fromStdString(error));
            return;
        }
        RpcPtr rpc = startWorker(config);
        if (!measureLatency(rpc, config, calls, params.w1Warmup, params, &value)
            || !qtLatency(qtFloor, params.w1Warmup, params, &value))
            return;
        QList<double> latency, qtLatencies;
        for (int rep = 0; rep < params.w1Reps; ++rep) {
            if (!qtLatency(qtFloor, params.w1Calls, params, &value))
                return;
            qtLatencies << value;
            if (!measureLatency(rpc, config, calls, params.w1Calls, params, &value))
                return;
            latency << value;
        }
        const QString title = QStringLiteral("latency, %1 idle").arg(idleCount);
        addRow(QStringLiteral("W1"), title, qtFloorName, QStringLiteral("us/call"), false,
            qtLatencies);
        addRow(QStringLiteral("W1"), title, config.name, QStringLiteral("us/call"), false, latency);
    }
}

} // namespace Bench
