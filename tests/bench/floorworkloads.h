// SPDX-License-Identifier: MIT
// The workloads on the raw floor (rawfloor.h): the same calls as QForkRpc's, made on a plain
// fork + socketpair child with blocking I/O, each checked, their samples added as the floor's
// rows. W1 and W2 interleave the floor with QForkRpc's configurations (workloads.cpp), so they
// use the floor's calls directly.
#pragma once

#include "benchsupport.h"
#include "rawfloor.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace Bench {

// The tiny call's reply is right: '0' and strerror(ENOENT).
bool rawRmdirOk(const char *reply, size_t size);
// Records a failure of the floor; returns false.
bool rawFail(const QString &what);
// W1: n tiny calls, one after the other; microseconds per call.
bool rawLatency(RawFloor::Connection &connection, int n, double *microsecondsPerCall);
// W2: n tiny calls queued at once; calls per second. A writer thread sends every request in
// 64 KiB batches while this thread reads the replies, so that neither side's socket buffer fills
// up with nobody reading.
bool rawThroughput(RawFloor::Connection &connection, int n, double *callsPerSecond);
// C1's floor: the child reads a volatile bool n times; nanoseconds per read, timed in the child.
bool rawSpin(RawFloor::Connection &connection, quint64 n, double *nanosecondsPerRead);

// W3: one big argument (the child returns its length) or one big result of `size` bytes on the
// floor's warm child; MB/s. W3 interleaves the floor with QForkRpc's configurations
// (workloads.cpp).
bool rawBulk(RawFloor::Connection &connection, bool bigResult, const QByteArray &data,
    qsizetype size, double *megabytesPerSecond);
// SWEEP floor. The child is forked before the payloads exist, so it does not share them
// copy-on-write.
void runRawSweep(const Params &params);
// W4 floor, one spawn: socketpair + fork + one ping-pong (timed), then close + waitpid (not
// timed, as QForkRpc's delete is not).
bool rawSpawn(double *microseconds);
// W5 floor: the child's memory after one call.
void runRawMemory(const Params &params);

} // namespace Bench
