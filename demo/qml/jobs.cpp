// SPDX-License-Identifier: MIT
// The job board's worker function. Every worker of the board's pool runs it (async backend: the
// worker has its own event loop, and a job advances on its own timer, so the worker notices a
// cancel between steps).
#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <csignal>
#include <memory>

namespace {

// args: job id, steps, milliseconds per step, and the step at which the worker crashes (0 or
// none: never). Sends the event ["started", id, pid] first, so that the board knows which worker
// runs the job; reports its progress (step of steps) after every step and answers
// (id, "summary") at the end; stops early when the board cancels it.
void job(QForkRpcDone done, const QVariantList &args)
{
    const int id = args.value(0).toInt();
    const int steps = qMax(1, args.value(1).toInt());
    const int crashAt = args.value(3).toInt();
    const qint64 pid = QCoreApplication::applicationPid();
    QForkRpcChild::event({ QStringLiteral("started"), id, pid });
    auto *timer = new QTimer(QCoreApplication::instance());
    auto step = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, [=] {
        if (done.isCancelled()) { // nobody waits for the rest, nor for the answer
            timer->deleteLater();
            done({ id, QStringLiteral("cancelled") });
            return;
        }
        ++*step;
        if (*step == crashAt) {
            ::signal(SIGSEGV, SIG_DFL); // (a sanitizer's handler would turn the crash into exit(1))
            ::raise(SIGSEGV);
        }
        done.setProgress(*step, steps);
        if (*step == steps) {
            timer->deleteLater();
            done({ id, QStringLiteral("%1 steps done in process %2").arg(steps).arg(pid) });
        }
    });
    timer->start(args.value(2, 100).toInt());
}
QFORKRPC_REGISTER("demo::job", job);

} // namespace
