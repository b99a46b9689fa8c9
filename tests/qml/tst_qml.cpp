// SPDX-License-Identifier: MIT
// Runs the QtQuickTest files in this directory (tst_*.qml) against the QML module in the build
// tree. main() calls QForkRpc::initialize() first, as a QML application must, so that ForkRpc
// objects get their workers from the template process; the worker functions are tests/
// testworkers.cpp's, plus the few below.
#include "../testsupport.h"

#include <QForkRpc>

#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

namespace {
// The C++ type name of every argument, as the worker sees it (e.g. "int", "QByteArray").
QFORKRPC_REGISTER("qml::typeNames", [](const QVariantList &args) {
    QVariantList names;
    for (const QVariant &arg : args)
        names << QString::fromLatin1(arg.isValid() ? arg.typeName() : "invalid");
    return names;
});
// Sends an event with a byte array and a map, then returns them too.
QFORKRPC_REGISTER("qml::richEvent", [](const QVariantList &) {
    const QVariantList values { QByteArray("\x00\x01\xff", 3),
        QVariantMap {
            { QStringLiteral("n"), 7 }, { QStringLiteral("s"), QStringLiteral("seven") } } };
    QForkRpcChild::event(values);
    return values;
});
// Sleeps args[0] milliseconds, then returns its pid.
QFORKRPC_REGISTER("qml::pidAfter", [](const QVariantList &args) {
    QThread::msleep(args.value(0).toULongLong());
    return QVariantList { qint64(getpid()) };
});
} // namespace

// What QML cannot see for itself: whether a process is still there (a zombie counts as gone).
class Processes : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE bool exists(double pid) const
    {
        return processExists(qint64(pid)) && processState(qint64(pid)) != 'Z';
    }
    Q_INVOKABLE void kill(double pid) const { ::kill(pid_t(pid), SIGKILL); }
};

class Setup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral(QFORKRPC_QML_IMPORT_PATH));
        engine->rootContext()->setContextProperty(
            QStringLiteral("workerProgram"), QStringLiteral(QFORKRPC_TEST_WORKER_PROGRAM));
        engine->rootContext()->setContextProperty(QStringLiteral("processes"), &m_processes);
    }

private:
    Processes m_processes;
};

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv); // first: forks the template process
    QTEST_SET_MAIN_SOURCE_PATH
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "tst_qml", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_qml.moc"
