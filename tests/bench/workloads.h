// SPDX-License-Identifier: MIT
// The workloads on QForkRpc: the worker functions they call, and for each configuration W1-W5
// and the echo sweep, every result checked, the samples added as rows. W1 and W2 run on warm
// workers, interleaved with the floor's (floorworkloads.h).
#pragma once

#include "benchsupport.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

namespace Bench {

// One configuration measured: backend and serialiser (always Spawn::Template), and where large
// payloads go.
struct Config
{
    QString name;
    bool async;
    QString serialiser;
    QStringList command; // Spawn::Command (--over-ssh); else Spawn::Template
    // Options::sharedMemoryThreshold: -1 keeps its default; 0 sends everything through the socket.
    qint64 sharedMemoryThreshold;

    bool octets() const { return serialiser == QLatin1String("octets"); }
};

// W4: QForkRpc::run() to the first callback, then delete (not timed); each repetition spawns
// the raw floor's child, the Qt floor's and one worker of every configuration in turn, so that
// the host's drift moves them alike.
void runSpawnWorkloads(const QList<Config> &configs, const Params &params);
// W5: memory of a worker that has answered one call and sits idle.
void runMemory(const Config &config, const Params &params);
// W1 and W2, interleaved with the floor's. Tiny calls are what this VM's noise moves most (the
// floor's own W1 drifts by a third within minutes), so every repetition measures the floors and
// then each configuration, on workers that stay up for the whole phase: a drift then moves all of
// them alike, and the ratios hold.
void runTinyCallWorkloads(const QList<Config> &configs, const Params &params);
// W1 again with many idle workers (and, for the Qt floor, idle sockets to idle children) in the
// same thread: what an idle worker costs each wake-up of the event loop. One configuration.
void runIdleWorkerLatency(const Config &config, const Params &params);
// W3 on warm workers: each repetition measures the raw floor and then every configuration, in
// one direction and then the other, so that the host's drifts move them alike.
void runBulkWorkloads(
    const QList<Config> &configs, const Params &params, const QByteArray &bigArgument);
// C1: QForkRpcChild::isCancelled() per check, timed inside one sync worker's call while nothing
// arrives, alternating with the floor's child reading a volatile bool as often. Measured in the
// first sync configuration only (the serialiser plays no part); skipped without one.
void runCancelCheck(const QList<Config> &configs, const Params &params);
// SWEEP: the echo call at every size, on a warm worker.
void runSweep(const Config &config, const Params &params);
// W6 (thumbworkloads.cpp): the thumbnails example's job through a QForkRpcPool and through
// QtConcurrent::mapped threads, 1 and QThread::idealThreadCount() of each, interleaved.
void runThumbnailWorkloads(const Params &params);

} // namespace Bench
