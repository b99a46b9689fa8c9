// SPDX-License-Identifier: MIT
// The job board: Main.qml drives a ForkRpc worker (demo::job, jobs.cpp). With --selftest,
// SelfTest.qml clicks through it and the program exits 0 when everything behaved, else 1.
#include <QForkRpc>

#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

#include <cstdio>

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv); // first: forks the template process the workers come from
    QGuiApplication app(argc, argv);
    const bool selftest = app.arguments().contains(QStringLiteral("--selftest"));

    QQmlApplicationEngine engine;
    // The QML module in the build tree (an installed one is found through QML_IMPORT_PATH or
    // Qt's own import path).
    engine.addImportPath(QStringLiteral(QFORKRPC_QML_IMPORT_PATH));
    engine.setInitialProperties({ { QStringLiteral("selftest"), selftest } });
    engine.load(QUrl(QStringLiteral("qrc:/QForkRpcDemo/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (selftest) {
        // SelfTest.qml has its own, shorter timeout; this one also covers a self-test that never
        // ran.
        QTimer::singleShot(120000, &app, [] {
            std::fputs("selftest: no result after 120 s\n", stderr);
            QCoreApplication::exit(1);
        });
    }
    return app.exec();
}
