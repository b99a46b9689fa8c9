// SPDX-License-Identifier: MIT
// Starts argv[1] workers (sync and async alternately), prints "template PID" and "worker PID"
// lines once they are all up, then waits forever: the test kills it and checks nothing survives.
#include <QForkRpc>

#include <QtCore/QCoreApplication>

#include <cstdio>
#include <sys/prctl.h>
#include <unistd.h>

namespace {
QFORKRPC_REGISTER(
    "parentProgramSync", [](const QVariantList &) { return QVariantList { qint64(getppid()) }; });
QFORKRPC_REGISTER("parentProgramAsync",
    [](QForkRpcDone done, const QVariantList &) { done({ qint64(getppid()) }); });
} // namespace

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? atoi(argv[1]) : 2;
    int answered = 0;
    for (int i = 0; i < count; ++i) {
        QForkRpc::Options options;
        options.async = i % 2;
        auto *rpc = QForkRpc::run(options.async ? QStringLiteral("parentProgramAsync")
                                                : QStringLiteral("parentProgramSync"),
            options, &app);
        rpc->call({}, [&, rpc](const QVariantList &) {
            std::printf("worker %lld\n", rpc->processId());
            if (++answered == count) {
                std::fflush(stdout);
                std::printf("ready\n");
                std::fflush(stdout);
            }
        });
    }
    return app.exec();
}
