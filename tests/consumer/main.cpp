// SPDX-License-Identifier: MIT
// Runs one call in a worker and prints the result: proof that the package is usable as is. The
// argument comes through a pipe the worker receives as a QForkRpcFd.
#include <QForkRpc>
#include <QForkRpcFd>

#include <QtCore/QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

QFORKRPC_REGISTER("consumer::twice", [](const QVariantList &args) {
    char text[16] = {};
    (void)!read(args.value(0).value<QForkRpcFd>().fd(), text, sizeof text - 1);
    return QVariantList { std::atoi(text) * 2 };
});

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);
    QForkRpc *rpc = QForkRpc::run(QStringLiteral("consumer::twice"));
    int status = 1;
    QObject::connect(rpc, &QForkRpc::error,
        [](const QString &message) { std::fprintf(stderr, "error: %s\n", qPrintable(message)); });
    QObject::connect(rpc, &QForkRpc::destroyed, &app, &QCoreApplication::quit);
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0 || write(ends[1], "21", 2) != 2)
        return 1;
    close(ends[1]);
    const QForkRpcFd input = QForkRpcFd::fromFd(ends[0]);
    close(ends[0]);
    rpc->call({ QVariant::fromValue(input) }, [&](const QVariantList &results) {
        std::printf("consumer got %d\n", results.value(0).toInt());
        status = results.value(0).toInt() == 42 ? 0 : 1;
    });
    rpc->finish();
    app.exec();
    return status;
}
