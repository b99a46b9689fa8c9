// SPDX-License-Identifier: MIT
// Runs one call in a worker and prints the result: proof that the package is usable as is.
#include <QForkRpc>

#include <QtCore/QCoreApplication>

#include <cstdio>

QFORKRPC_REGISTER("consumer::twice",
    [](const QVariantList &args) { return QVariantList { args.value(0).toInt() * 2 }; });

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);
    QForkRpc *rpc = QForkRpc::run(QStringLiteral("consumer::twice"));
    int status = 1;
    QObject::connect(rpc, &QForkRpc::error,
        [](const QString &message) { std::fprintf(stderr, "error: %s\n", qPrintable(message)); });
    QObject::connect(rpc, &QForkRpc::destroyed, &app, &QCoreApplication::quit);
    rpc->call({ 21 }, [&](const QVariantList &results) {
        std::printf("consumer got %d\n", results.value(0).toInt());
        status = results.value(0).toInt() == 42 ? 0 : 1;
    });
    rpc->finish();
    app.exec();
    return status;
}
