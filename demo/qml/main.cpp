// SPDX-License-Identifier: MIT
// The job board: Main.qml drives a ForkRpcPool whose workers run demo::job (jobs.cpp). With
// --selftest, SelfTest.qml clicks through it and the program exits 0 when everything behaved,
// else 1; with --screenshot FILE, Screenshot.qml plays a short session and saves the board to
// FILE.
#include <QForkRpc>

#include <QtCore/QFileInfo>
#include <QtCore/QStringList>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

#include <cstdio>

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv); // first: forks the template process the workers come from
    QGuiApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    const bool selftest = arguments.contains(QStringLiteral("--selftest"));
    const qsizetype screenshotAt = arguments.indexOf(QStringLiteral("--screenshot"));
    const QString screenshot = screenshotAt > 0 ? arguments.value(screenshotAt + 1) : QString();
    if (screenshotAt > 0 && screenshot.isEmpty()) {
        std::fputs("usage: qforkrpc-qml-demo [--selftest | --screenshot FILE]\n", stderr);
        return 2;
    }

    QQmlApplicationEngine engine;
    // The QML module in the build tree (an installed one is found through QML_IMPORT_PATH or
    // Qt's own import path).
    engine.addImportPath(QStringLiteral(QFORKRPC_QML_IMPORT_PATH));
    engine.setInitialProperties({ { QStringLiteral("selftest"), selftest },
        { QStringLiteral("screenshot"),
            screenshot.isEmpty() ? QString() : QFileInfo(screenshot).absoluteFilePath() } });
    engine.load(QUrl(QStringLiteral("qrc:/QForkRpcDemo/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (selftest || !screenshot.isEmpty()) {
        // SelfTest.qml and Screenshot.qml have their own, shorter timeouts; this one also covers
        // a script that never ran.
        QTimer::singleShot(120000, &app, [] {
            std::fputs("qforkrpc-qml-demo: no result after 120 s\n", stderr);
            QCoreApplication::exit(1);
        });
    }
    return app.exec();
}
