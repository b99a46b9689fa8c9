// SPDX-License-Identifier: MIT
// What every part of qforkrpc_bench uses: the tiny call's path, the record of failures and the
// wait for callbacks, the clock, the parameters of a run, the texts a tiny call may answer with,
// a process's memory from /proc, and the echo sweep's payload and samples.
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayList>
#include <QtCore/QEventLoop>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTimer>

#include <chrono>
#include <functional>

#ifndef QFORKRPC_BENCH_BUILD_TYPE
#define QFORKRPC_BENCH_BUILD_TYPE "unknown"
#endif

namespace Bench {

// rmdir() on this fails with ENOENT: the tiny call does a real system call and returns an error.
inline constexpr char nonexistentPath[] = "/tmp/qforkrpc-bench-nonexistent/1";
inline constexpr char nonexistentDir[] = "/tmp/qforkrpc-bench-nonexistent";

// ---- Failures and waiting ----------------------------------------------------------------------

// What failed (the first 50), and how often; the exit code and the JSON's "ok" follow them.
extern QStringList failures;
extern int failureCount;

class Waiter;
extern Waiter *currentWaiter;

// Records a failure, prints the first 20, and ends the wait of the current Waiter.
void fail(const QString &message);

// Runs the event loop until finish(), a failure or a timeout. Only one exists at a time.
class Waiter
{
public:
    Waiter()
        : m_failuresAtStart(failureCount)
    {
        currentWaiter = this;
    }
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

// Lets the event loop run for a while (an idle worker settles meanwhile).
void idle(int ms);

using Clock = std::chrono::steady_clock;

inline double microsecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::micro>(to - from).count();
}

// ---- Parameters --------------------------------------------------------------------------------

struct Params
{
    bool quick = false;
    int w1Warmup = 1000;
    int w1Calls = 20000;
    int w1Reps = 5;
    // W1 with this many idle workers (Qt floor: idle sockets) in the thread, in one configuration.
    QList<int> w1IdleWorkers { 0, 100, 400 };
    int w2Calls = 100000;
    int w2Reps = 5;
    qsizetype w3Size = 64 * 1024 * 1024;
    int w3Reps = 5;
    int w4Warmup = 3;
    int w4Reps = 50;
    int w5SettleMs = 100;
    // C1: isCancelled() this many times in one sync call, per repetition (and the floor's loop).
    qint64 c1Checks = 10000000;
    int c1Reps = 5;
    // SWEEP: after a warm-up call per size, at least sweepMinReps calls, more while the size has
    // used less than sweepBudgetMs, at most sweepMaxReps (and an odd count, see sweepSamples()).
    QList<qint64> sweepSizes { 16, 256, 4 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024,
        4 * 1024 * 1024, 16 * 1024 * 1024, 64 * 1024 * 1024 };
    int sweepMinReps = 3;
    int sweepMaxReps = 1001;
    int sweepBudgetMs = 200;
    // W6: this many generated icons, thumbnails of at most w6MaxSide px, pools at this load.
    int w6Images = 1500;
    int w6Reps = 5;
    int w6MaxSide = 128;
    int w6Load = 2;
    int timeoutMs = 300000;
    QSet<QString> only;

    bool wants(const QString &workload) const { return only.isEmpty() || only.contains(workload); }
    QString sizeText() const { return QStringLiteral("%1 MiB").arg(w3Size / (1024 * 1024)); }
};

// ---- What a tiny call must return --------------------------------------------------------------

extern QByteArrayList enoentBytes; // strerror(ENOENT) in the C locale and in the program's locale
extern QStringList enoentStrings;

// Adds strerror(ENOENT) in the current locale to what a tiny call may return.
void rememberEnoentText();

// ---- Memory of a process -----------------------------------------------------------------------

struct Memory
{
    double rss = 0;
    double pss = 0;
    double privateKb = 0; // Private_Clean + Private_Dirty
};

// Rss, Pss and private memory from /proc/PID/smaps_rollup; false unless all were found.
bool readMemory(qint64 pid, Memory *memory);

// ---- SWEEP (both sides) ------------------------------------------------------------------------

// The echo payload: no two neighbouring bytes alike and a period (251, prime) that no power-of-two
// offset hits, so a truncated, shifted or stale reply does not compare equal.
QByteArray sweepPayload(qint64 size);

// One size's samples (microseconds per round trip): a warm-up call, then calls until there are at
// least sweepMinReps and either sweepBudgetMs have passed or there are sweepMaxReps. The count is
// made odd, so the median is one sample and the median bandwidth is exactly 2 * size / median
// latency.
bool sweepSamples(
    const Params &params, const std::function<bool(double *)> &echoOnce, QList<double> *samples);

} // namespace Bench
