// SPDX-License-Identifier: MIT
// Example 2 of AnyEvent::Fork::RPC ("Asynchronous Backend"): three countdowns that run
// concurrently on timers inside one async worker; the job started last finishes first.
//
// The original's output (its documentation says the order of lines from timers that fire at
// the same moment is not guaranteed, only very likely):
//
//   starting to count up to 3
//   starting to count up to 2
//   starting to count up to 1
//   count 1 of 3
//   count 1 of 2
//   count 1 of 1
//   job 1 finished
//   count 2 of 2
//   job 2 finished
//   count 2 of 3
//   count 3 of 3
//   job 3 finished
//
// Guaranteed: each job's own lines come in order ("starting ...", "count 1 of N", ...,
// "job N finished"), as events and results reach the parent in the order the worker produced
// them. Very likely, unless the machine is very busy: the jobs finish in the order 1, 2, 3.
// Which of the timers that are due together fires first depends on the event loop: with Qt's,
// the second round usually prints "count 2 of 3" before "count 2 of 2", the reverse of the
// listing above. The timers are not staggered to imitate the original's order.
//
// Streams, as in the original: the events are printed with print, so they go to stdout (flushed
// after each one so that they interleave correctly with stderr); "job N finished" and "FATAL"
// are warn lines, so they go to stderr.
//
// Option: --interval MS, the timers' period (default 1000, the original's one second).
#include <QForkRpc>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

// The worker function (the original's __DATA__ section). args: count, interval in ms.
void run(QForkRpcDone done, const QVariantList &args)
{
    const int count = args.value(0).toInt();
    const int interval = args.value(1).toInt();
    QForkRpcChild::event(QStringLiteral("starting to count up to %1\n").arg(count));
    // The async worker runs a QCoreApplication, which owns the timer until it is done.
    auto *timer = new QTimer(QCoreApplication::instance());
    auto n = std::make_shared<int>(0);
    QObject::connect(timer, &QTimer::timeout, [=] {
        ++*n;
        QForkRpcChild::event(QStringLiteral("count %1 of %2\n").arg(*n).arg(count));
        if (*n == count) {
            timer->stop();
            timer->deleteLater();
            done({});
        }
    });
    timer->start(interval);
}

// print: stdout, flushed at once so that merged output keeps the order it was produced in.
void print(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stdout);
    std::fflush(stdout);
}

// warn: a line on stderr.
void warn(const QString &line)
{
    std::fputs((line + QLatin1Char('\n')).toLocal8Bit().constData(), stderr);
}

} // namespace

QFORKRPC_REGISTER("run", run);

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Example 2 of AnyEvent::Fork::RPC: countdowns on timers in a worker process."));
    parser.addHelpOption();
    const QCommandLineOption intervalOption(QStringLiteral("interval"),
        QStringLiteral("Timer period in milliseconds (default 1000)."), QStringLiteral("ms"),
        QStringLiteral("1000"));
    parser.addOption(intervalOption);
    parser.process(app);
    bool ok = false;
    const int interval = parser.value(intervalOption).toInt(&ok);
    if (!ok || interval < 0) {
        warn(QStringLiteral("countdown: --interval needs a number of milliseconds"));
        return 2;
    }

    QForkRpc::Options options;
    options.async = true;
    QForkRpc *rpc = QForkRpc::run(QStringLiteral("run"), options, &app);

    // on_error => sub { warn "FATAL: $_[0]"; exit 1 }
    QObject::connect(rpc, &QForkRpc::error, [](const QString &message) {
        warn(QStringLiteral("FATAL: ") + message);
        std::exit(1);
    });
    // on_event => sub { print $_[0] }: the event text carries its own "\n".
    QObject::connect(
        rpc, &QForkRpc::event, [](const QVariantList &args) { print(args.value(0).toString()); });
    // on_destroy => $done
    QObject::connect(rpc, &QForkRpc::destroyed, &app, [] { QCoreApplication::exit(0); });

    for (int count : { 3, 2, 1 })
        rpc->call({ count, interval },
            [count](const QVariantList &) { warn(QStringLiteral("job %1 finished").arg(count)); });
    // undef $rpc: the worker exits once every countdown has called done.
    rpc->finish();

    return app.exec();
}
