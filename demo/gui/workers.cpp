// SPDX-License-Identifier: MIT
// The child side of the demo: the functions that run in the worker processes. They are
// registered here at namespace scope, before QForkRpc::initialize() runs in main(), so that the
// template process and every worker forked from it have them.
#include "workers.h"
#include "primes.h"

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <csignal>
#include <memory>

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

void reportProgress(int job, const PrimeCounter &counter)
{
    QForkRpcChild::event(job, counter.done(), counter.total(), counter.primes());
}

// The sync backend: one job at a time, start to end; every event goes out as it is sent.
QVariantList count(const QVariantList &args)
{
    const int job = args.value(0).toInt();
    PrimeCounter counter(args.value(1).toLongLong(), args.value(2).toLongLong());
    const qint64 step = stepSize(counter);
    while (!counter.atEnd()) {
        crashIfRequested();
        counter.step(step);
        reportProgress(job, counter);
    }
    crashIfRequested();
    return { job, counter.primes() };
}

// The async backend: the worker runs an event loop and several jobs at once, so a job must give
// control back between its steps. Each step runs from a zero-interval timer; the events of a step
// are sent when the event loop comes back, and the other jobs' steps run in between.
void countAsync(QForkRpcDone done, const QVariantList &args)
{
    const int job = args.value(0).toInt();
    auto counter
        = std::make_shared<PrimeCounter>(args.value(1).toLongLong(), args.value(2).toLongLong());
    const qint64 step = stepSize(*counter);
    auto *timer = new QTimer(QCoreApplication::instance());
    QObject::connect(timer, &QTimer::timeout, timer, [=] {
        crashIfRequested();
        counter->step(step);
        reportProgress(job, *counter);
        if (counter->atEnd()) {
            crashIfRequested();
            timer->stop();
            timer->deleteLater();
            done({ job, counter->primes() });
        }
    });
    timer->start(0);
}

} // namespace

QFORKRPC_REGISTER(DemoWorkers::initFunction, init);
QFORKRPC_REGISTER(DemoWorkers::syncFunction, count);
QFORKRPC_REGISTER(DemoWorkers::asyncFunction, countAsync);
