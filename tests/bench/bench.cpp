// SPDX-License-Identifier: MIT
// qforkrpc_bench: what QForkRpc costs, next to the least a fork + socketpair RPC can cost (the
// "raw floor", rawfloor.cpp) and the least a Qt parent of that child pays (the "Qt floor",
// qtfloor.cpp: a QLocalSocket in the event loop; W1, W2, W4 and SWEEP). One run measures, for the
// four backend/serialiser combinations (Spawn::Template) and for the floors:
//   W1  round-trip latency of a tiny call, each call issued from the previous call's callback;
//       also with 100 and 400 idle workers (Qt floor: idle sockets) in the same thread
//   W2  throughput of many tiny calls queued at once
//   W3  one 64 MiB argument, and separately one 64 MiB result, on a warm worker
//   W4  spawn + first call answered (QForkRpc::run() to the first callback)
//   W5  memory of an idle worker after one call (/proc/PID/smaps_rollup)
//   C1  QForkRpcChild::isCancelled() per check in a sync call, nothing arriving; floor: a
//       volatile bool
//   SWEEP  round trip of an echo call from 16 B to 64 MiB: latency and bandwidth against size
// The configurations keep Options::sharedMemoryThreshold's default (large payloads go through a
// sealed memfd); W3 and SWEEP also measure the first with every payload through the socket
// ("socket only"), SWEEP also with every payload through shared memory ("all shm").
//   W6  thumbnails of generated icons (the thumbnails example's job) through a QForkRpcPool and
//       through QtConcurrent::mapped threads, 1 and idealThreadCount() of each
// With --over-ssh, W1, W2 and W4 also run every configuration with its worker behind ssh to an
// sshd that the bench starts on 127.0.0.1 (Spawn::Command; tests/sshserver.h): what the hop costs.
// It prints a table and writes the same numbers as JSON (--json FILE). Every result is checked:
// the exit code is non-zero if any call failed, timed out or returned something wrong. Timings
// are reported, never judged.
//
// This file is the program: its command line and the order of the workloads. They are in
// workloads.cpp (QForkRpc) and floorworkloads.cpp (the floor, over rawfloor.cpp); report.cpp
// holds the rows and prints and writes them; benchsupport.cpp what they all share.
#include "../sshserver.h"
#include "benchsupport.h"
#include "floorworkloads.h"
#include "qtfloor.h"
#include "report.h"
#include "workloads.h"

#include <QForkRpc>

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QFile>

#include <cstdio>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Bench;

namespace {

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
    rememberEnoentText(); // the program's locale, which QCoreApplication set: async workers say
                          // this

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Measures QForkRpc against a raw fork + socketpair floor and a Qt floor."));
    parser.addHelpOption();
    const QCommandLineOption quickOption(
        QStringLiteral("quick"), QStringLiteral("Few iterations: a smoke run."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
        QStringLiteral("Write the results as JSON to <file>."), QStringLiteral("file"),
        QStringLiteral("bench.json"));
    const QCommandLineOption onlyOption(QStringLiteral("only"),
        QStringLiteral("Run only these workloads, e.g. W1,W3, C1, SWEEP or W6."),
        QStringLiteral("list"));
    const QCommandLineOption configOption(QStringLiteral("config"),
        QStringLiteral("Measure only these QForkRpc configurations (the floor always), "
                       "e.g. sync+octets,async+datastream."),
        QStringLiteral("list"));
    const QCommandLineOption imagesOption(QStringLiteral("images"),
        QStringLiteral("W6: make thumbnails of <n> generated icons (default 1500, quick 60)."),
        QStringLiteral("n"));
    parser.addOption(quickOption);
    parser.addOption(imagesOption);
    parser.addOption(jsonOption);
    parser.addOption(onlyOption);
    parser.addOption(configOption);
    const QCommandLineOption overSshOption(QStringLiteral("over-ssh"),
        QStringLiteral("Also measure W1, W2 and W4 with workers behind ssh to an sshd that the "
                       "bench starts on 127.0.0.1 (Spawn::Command)."));
    parser.addOption(overSshOption);
    parser.process(app);

    Params params;
    if (parser.isSet(quickOption)) {
        params.quick = true;
        params.w1Warmup = 100;
        params.w1Calls = 1000;
        params.w1Reps = 3;
        params.w1IdleWorkers = { 0, 10 };
        params.w2Calls = 10000;
        params.w2Reps = 3;
        params.w3Size = 16 * 1024 * 1024;
        params.w3Reps = 2;
        params.w4Warmup = 1;
        params.w4Reps = 5;
        params.w5SettleMs = 50;
        params.c1Checks = 200000;
        params.c1Reps = 3;
        params.sweepSizes = { 16, 256, 4 * 1024, 64 * 1024, 1024 * 1024 };
        params.sweepMinReps = 3;
        params.sweepMaxReps = 3;
        params.sweepBudgetMs = 0;
        params.w6Images = 60;
        params.w6Reps = 2;
        params.timeoutMs = 60000;
    }
    if (parser.isSet(imagesOption)) {
        bool ok = false;
        params.w6Images = parser.value(imagesOption).toInt(&ok);
        if (!ok || params.w6Images < 1) {
            std::fprintf(stderr, "--images: a positive number, please\n");
            return 2;
        }
    }
    if (parser.isSet(onlyOption)) {
        for (const QString &workload :
            parser.value(onlyOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
            params.only.insert(workload.trimmed().toUpper());
    }

    struct stat info;
    if (stat(nonexistentDir, &info) == 0) {
        std::fprintf(stderr, "%s exists; the tiny call needs rmdir(\"%s\") to fail with ENOENT\n",
            nonexistentDir, nonexistentPath);
        return 2;
    }

    // W1 with 400 idle workers and 400 idle Qt floor children needs more than 1024 descriptors.
    rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    const QDateTime started = QDateTime::currentDateTimeUtc();
    const QString dispatcher
        = QString::fromLatin1(QAbstractEventDispatcher::instance()->metaObject()->className());
    std::printf(
        "qforkrpc_bench: Qt %s, %s build, %ld CPUs online, parent event dispatcher %s, %s mode\n",
        qVersion(), QFORKRPC_BENCH_BUILD_TYPE, sysconf(_SC_NPROCESSORS_ONLN),
        qPrintable(dispatcher), params.quick ? "quick" : "full");
    if (threadCount() != 1)
        std::printf(
            "note: the parent has %d threads; the floor forks it directly\n", threadCount());
    std::fflush(stdout);

    const QList<Config> allConfigs {
        { QStringLiteral("sync+octets"), false, QStringLiteral("octets"), {}, -1 },
        { QStringLiteral("sync+datastream"), false, QStringLiteral("datastream"), {}, -1 },
        { QStringLiteral("async+octets"), true, QStringLiteral("octets"), {}, -1 },
        { QStringLiteral("async+datastream"), true, QStringLiteral("datastream"), {}, -1 },
    };
    QList<Config> configs;
    const QStringList wantedConfigs
        = parser.value(configOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const Config &config : allConfigs) {
        if (wantedConfigs.isEmpty() || wantedConfigs.contains(config.name))
            configs << config;
    }
    if (configs.isEmpty()) {
        std::fprintf(stderr, "no configuration matches --config %s\n",
            qPrintable(parser.value(configOption)));
        return 2;
    }

    // The configurations above keep Options::sharedMemoryThreshold's default: a payload of at
    // least that many bytes goes through a sealed memfd. W3 also measures the first of them with
    // every payload through the socket, and SWEEP that and every payload through shared memory
    // (a threshold of one byte), so that one run shows what shared memory gains and from where.
    Config socketOnly = configs.first();
    socketOnly.name += QStringLiteral(", socket only");
    socketOnly.sharedMemoryThreshold = 0;
    Config alwaysShared = configs.first();
    alwaysShared.name += QStringLiteral(", all shm");
    alwaysShared.sharedMemoryThreshold = 1;

    // Workers behind ssh, for what the hop costs: this program is the remote worker program.
    SshServer sshd;
    QList<Config> sshConfigs;
    if (parser.isSet(overSshOption)) {
        QString why;
        if (!sshd.start(&why)) {
            std::fprintf(stderr, "--over-ssh: %s\n", qPrintable(why));
            return 2;
        }
        for (const Config &config : configs) {
            Config overSsh = config;
            overSsh.name = QStringLiteral("ssh ") + config.name;
            overSsh.command = sshd.sshCommand(QCoreApplication::applicationFilePath());
            sshConfigs << overSsh;
        }
    }

    // Spawning and memory first, while the parent is small (the floor forks the parent itself).
    if (params.wants(QStringLiteral("W4"))) {
        std::printf("W4 spawn + first call...\n");
        std::fflush(stdout);
        runSpawnWorkloads(configs + sshConfigs, params);
    }
    if (params.wants(QStringLiteral("W5"))) {
        std::printf("W5 idle worker memory...\n");
        std::fflush(stdout);
        runRawMemory(params);
        for (const Config &config : configs)
            runMemory(config, params);
    }
    if (params.wants(QStringLiteral("W1")) || params.wants(QStringLiteral("W2"))) {
        std::printf(
            "W1, W2 on warm workers, each repetition over the floors and every configuration...\n");
        std::fflush(stdout);
        runTinyCallWorkloads(configs + sshConfigs, params);
    }
    if (params.wants(QStringLiteral("W1"))) {
        QStringList counts;
        for (const int count : std::as_const(params.w1IdleWorkers))
            counts << QString::number(count);
        std::printf("W1 with %s idle workers in the thread, %s...\n",
            qPrintable(counts.join(QStringLiteral(", "))), qPrintable(configs.first().name));
        std::fflush(stdout);
        runIdleWorkerLatency(configs.first(), params);
    }
    if (params.wants(QStringLiteral("W3"))) {
        const QByteArray bigArgument(params.w3Size, 'y');
        std::printf("W3 on warm workers, each repetition over the floor and every "
                    "configuration...\n");
        std::fflush(stdout);
        runBulkWorkloads(configs + QList<Config> { socketOnly }, params, bigArgument);
    }
    if (params.wants(QStringLiteral("C1"))) {
        std::printf("C1 isCancelled() per check, alternating with the floor's plain check...\n");
        std::fflush(stdout);
        runCancelCheck(configs, params);
    }
    if (params.wants(QStringLiteral("SWEEP"))) {
        std::printf("SWEEP echo from %s to %s: raw floor...\n",
            qPrintable(sizeText(params.sweepSizes.first())),
            qPrintable(sizeText(params.sweepSizes.last())));
        std::fflush(stdout);
        runRawSweep(params);
        std::printf("SWEEP echo: Qt floor...\n");
        std::fflush(stdout);
        runQtSweep(params);
        for (const Config &config : configs + QList<Config> { socketOnly, alwaysShared }) {
            std::printf("SWEEP echo: %s...\n", qPrintable(config.name));
            std::fflush(stdout);
            runSweep(config, params);
        }
    }

    if (params.wants(QStringLiteral("W6"))) {
        std::printf("W6 thumbnails, QtConcurrent threads and QForkRpcPool workers in turn...\n");
        std::fflush(stdout);
        runThumbnailWorkloads(params);
    }

    sortRows();
    printTable();

    const bool written = writeJson(parser.value(jsonOption), params, dispatcher, started);
    if (failureCount > 0) {
        std::printf("FAILED: %d failure(s); the first:\n", failureCount);
        for (const QString &failure : std::as_const(failures))
            std::printf("  %s\n", qPrintable(failure));
        return 1;
    }
    std::printf("All measured calls returned the right results. JSON: %s\n",
        qPrintable(parser.value(jsonOption)));
    return written ? 0 : 1;
}
