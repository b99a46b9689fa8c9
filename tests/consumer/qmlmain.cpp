// SPDX-License-Identifier: MIT
// The installed QML module at work: QML that imports QForkRpc (found through QML_IMPORT_PATH)
// runs one call in a worker registered here, then finishes it.
#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <memory>

QFORKRPC_REGISTER("consumer::thrice",
    [](const QVariantList &args) { return QVariantList { args.value(0).toInt() * 3 }; });

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    QObject::connect(&engine, &QQmlEngine::quit, &app, &QCoreApplication::quit);
    QQmlComponent component(&engine);
    component.setData(R"(
        import QForkRpc 1.0
        ForkRpc {
            property int result: 0
            functionName: "consumer::thrice"
            onError: (message) => console.warn(message)
            onDestroyed: Qt.quit()
            // (no Component.onCompleted: that needs `import QtQml`, which needs more packages)
            onRunningChanged: if (running) { call([14], (results) => { result = results[0] }); finish() }
        }
    )",
        QUrl(QStringLiteral("inline.qml")));
    std::unique_ptr<QObject> rpc(component.create());
    if (!rpc) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    app.exec();
    const int result = rpc->property("result").toInt();
    std::printf("consumer-qml got %d\n", result);
    return result == 42 ? 0 : 1;
}
