// SPDX-License-Identifier: MIT
// The child side of the demo: the functions that run in the worker processes. They are
// registered here at namespace scope, before QForkRpc::initialize() runs in main(), so that the
// template process and every worker forked from it have them.
#include "workers.h"
#include "primes.h"

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QTimer>

#include <csignal>
#include <memory>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t crashRequested = 0;

void onCrashSignal(int)
{
    crashRequested = 1;
}

// Called between the steps of a job. A real worker would crash because of a bug; this one
// crashes because the parent asked it to ("Crash a worker"). SIGSEGV goes back to its default
// action first, so that no handler (a sanitizer's, say) turns the crash into something else.
void crashIfRequested()
{
    if (!crashRequested)
        return;
    std::signal(SIGSEGV, SIG_DFL);
    std::raise(SIGSEGV);
}

// Options::init: runs once in each worker, before any call.
void init(const QVariantList &)
{
    struct sigaction action = {};
    action.sa_handler = onCrashSignal;
    action.sa_flags = SA_RESTART; // the sync worker's blocking reads carry on undisturbed
    sigemptyset(&action.sa_mask);
    sigaction(DemoWorkers::crashSignal, &action, nullptr);
}

qint64 stepSize(const PrimeCounter &counter)
{
    return (counter.total() + DemoWorkers::stepsPerJob - 1) / DemoWorkers::stepsPerJob;
}

// The parent reads progress from the call's QFuture. Jobs are at most 50 million numbers long,
// so the counts fit setProgress()'s ints.
void reportProgress(const PrimeCounter &counter)
{
    QForkRpcChild::setProgress(int(counter.done()), int(counter.total()));
}

qint64 pid()
{
    return qint64(::getpid());
}

void reportStarted(int job)
{
    QForkRpcChild::event(QLatin1String(DemoWorkers::startedEvent), job, pid());
}

void reportStopped(int job, const PrimeCounter &counter)
{
    QForkRpcChild::event(
        QLatin1String(DemoWorkers::stoppedEvent), job, counter.done(), counter.total(), pid());
}

bool isStuck(const QVariantList &args)
{
    return args.value(3).toBool();
}

// The sync backend: one job at a time, start to end; every event goes out as it is sent. A
// cancelled job stops at its next step, as isCancelled() turns true.
QVariantList count(const QVariantList &args)
{
    const int job = args.value(0).toInt();
    reportStarted(job);
    if (isStuck(args)) {
        // Blocked for good, as a read from a peer that never answers would be: not even
        // isCancelled() is asked. Only the time limit (or a crash) ends it.
        for (;;) {
            ::pause(); // returns when a signal was handled: the crash signal, say
            crashIfRequested();
        }
    }
    PrimeCounter counter(args.value(1).toLongLong(), args.value(2).toLongLong());
    const qint64 step = stepSize(counter);
    reportProgress(counter);
    while (!counter.atEnd()) {
        crashIfRequested();
        if (QForkRpcChild::isCancelled()) {
            reportStopped(job, counter);
            return {}; // dropped by the library: the future is cancelled already
        }
        counter.step(step);
        reportProgress(counter);
    }
    crashIfRequested();
    return { job, counter.primes() };
}

// A stuck async job keeps its handle here and never calls it.
QList<QForkRpcDone> &neverAnswered()
{
    static QList<QForkRpcDone> calls;
    return calls;
}

// The async backend: the worker runs an event loop and several jobs at once, so a job must give
// control back between its steps. Each step runs from a zero-interval timer; the reports of a step
// are sent when the event loop comes back, and the other jobs' steps run in between.
void countAsync(QForkRpcDone done, const QVariantList &args)
{
    const int job = args.value(0).toInt();
    reportStarted(job);
    if (isStuck(args)) {
        // Waits for an answer that never comes; the worker goes on with its other jobs until the
        // time limit kills it.
        neverAnswered().append(done);
        return;
    }
    auto counter
        = std::make_shared<PrimeCounter>(args.value(1).toLongLong(), args.value(2).toLongLong());
    const qint64 step = stepSize(*counter);
    done.setProgress(int(counter->done()), int(counter->total()));
    auto *timer = new QTimer(QCoreApplication::instance());
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        crashIfRequested();
        const bool cancelled = done.isCancelled();
        if (!cancelled) {
            counter->step(step);
            done.setProgress(int(counter->done()), int(counter->total()));
        }
        if (cancelled || counter->atEnd()) {
            crashIfRequested();
            timer->stop();
            timer->deleteLater();
            if (cancelled) {
                reportStopped(job, *counter);
                done({}); // ends the call; the library drops what a cancelled call returns
            } else {
                done({ job, counter->primes() });
            }
        }
    });
    timer->start(0);
}

} // namespace

QFORKRPC_REGISTER(DemoWorkers::initFunction, init);
QFORKRPC_REGISTER(DemoWorkers::syncFunction, count);
QFORKRPC_REGISTER(DemoWorkers::asyncFunction, countAsync);
