// SPDX-License-Identifier: MIT
// The job board's worker function. It runs in the worker process (async backend: the worker
// has its own event loop), so several jobs make progress at once, each on its own timer.
#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <csignal>
#include <memory>

namespace {

// args: job id, steps, milliseconds per step. Reports its progress (step of steps) after every
// step and answers (id, "summary") at the end; stops early when the board cancels it. args:
// "crash" makes the worker die of SIGSEGV instead.
void job(QForkRpcDone done, const QVariantList &args)
{
    if (args.value(0).toString() == QLatin1String("crash")) {
        ::signal(SIGSEGV, SIG_DFL); // (a sanitizer's handler would turn the crash into exit(1))
        ::raise(SIGSEGV);
    }
    const int id = args.value(0).toInt();
    const int steps = qMax(1, args.value(1).toInt());
    auto *timer = new QTimer(QCoreApplication::instance());
    auto step = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, [=] {
        if (done.isCancelled()) { // nobody waits for the rest, nor for the answer
            timer->deleteLater();
            done({ id, QStringLiteral("cancelled") });
            return;
        }
        ++*step;
        done.setProgress(*step, steps);
        if (*step == steps) {
            timer->deleteLater();
            done({ id,
                QStringLiteral("%1 steps done in process %2")
                    .arg(steps)
                    .arg(QCoreApplication::applicationPid()) });
        }
    });
    timer->start(args.value(2, 100).toInt());
}
QFORKRPC_REGISTER("demo::job", job);

} // namespace
