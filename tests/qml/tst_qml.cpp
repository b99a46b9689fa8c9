// SPDX-License-Identifier: MIT
// Runs the QtQuickTest files in this directory (tst_*.qml) against the QML module in the build
// tree. main() calls QForkRpc::initialize() first, as a QML application must, so that ForkRpc
// objects get their workers from the template process; the worker functions are tests/
// testworkers.cpp's, plus the few below.
#include "../testsupport.h"

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

#include <memory>

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

// Appends text to the file at path (nothing if text is empty) and returns what the file holds.
QString appendToFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite | QIODevice::Append))
        throw std::runtime_error("cannot open " + path.toStdString());
    file.write(text.toUtf8());
    file.seek(0);
    return QString::fromUtf8(file.readAll());
}

// Per-call control, one function for each backend; args[0] says what to do:
//   "append", path, text[, ms]   waits ms milliseconds, then appends text to the file at path
//                                (a side effect a cancelled call must not have); returns what
//                                the file holds
//   "untilCancelled", path, ms   sends the event ["running"], then waits up to ms milliseconds
//                                for the parent to cancel the call, appends "cancelled" or
//                                "not cancelled" to the file at path and returns the same
//   "progress", steps, maximum, ms
//                                reports progress 1..steps of maximum, ms milliseconds apart,
//                                and returns steps
//   "sleep", ms                  sleeps (sync; async: waits) ms milliseconds and returns ms
//   "pid", ms, tag               (for pools) sleeps ms milliseconds, returns [pid, tag]
//   "crash"                      (for pools) the worker dies of SIGSEGV
QVariantList perCallJob(const QVariantList &args)
{
    const QString command = args.value(0).toString();
    if (command == QLatin1String("pid")) {
        QThread::msleep(args.value(1).toULongLong());
        return { qint64(getpid()), args.value(2) };
    }
    if (command == QLatin1String("crash")) {
        ::signal(SIGSEGV, SIG_DFL); // (a sanitizer's handler would turn the crash into exit(1))
        ::raise(SIGSEGV);
    }
    if (command == QLatin1String("append")) {
        QThread::msleep(args.value(3).toULongLong());
        return { appendToFile(args.value(1).toString(), args.value(2).toString()) };
    }
    if (command == QLatin1String("untilCancelled")) {
        QForkRpcChild::event(QStringLiteral("running"));
        const QDeadlineTimer deadline(args.value(2).toInt());
        bool cancelled = false;
        while (!(cancelled = QForkRpcChild::isCancelled()) && !deadline.hasExpired())
            QThread::msleep(2);
        const QString seen
            = cancelled ? QStringLiteral("cancelled") : QStringLiteral("not cancelled");
        appendToFile(args.value(1).toString(), seen);
        return { seen };
    }
    if (command == QLatin1String("progress")) {
        const int steps = args.value(1).toInt();
        for (int step = 1; step <= steps; ++step) {
            QForkRpcChild::setProgress(step, args.value(2).toInt());
            QThread::msleep(args.value(3).toULongLong());
        }
        return { steps };
    }
    if (command == QLatin1String("sleep")) {
        QThread::msleep(args.value(1).toULongLong());
        return { args.value(1) };
    }
    throw std::runtime_error("qml::job: unknown command " + command.toStdString());
}
QFORKRPC_REGISTER("qml::job", perCallJob);

// The same on the async backend's event loop, with QForkRpcDone's isCancelled and setProgress.
void perCallJobAsync(QForkRpcDone done, const QVariantList &args)
{
    const QString command = args.value(0).toString();
    if (command == QLatin1String("untilCancelled")) {
        QForkRpcChild::event(QStringLiteral("running"));
        auto *timer = new QTimer(QCoreApplication::instance());
        auto deadline = std::make_shared<QDeadlineTimer>(args.value(2).toInt());
        const QString path = args.value(1).toString();
        QObject::connect(timer, &QTimer::timeout, [=] {
            const bool cancelled = done.isCancelled();
            if (!cancelled && !deadline->hasExpired())
                return;
            timer->deleteLater();
            const QString seen
                = cancelled ? QStringLiteral("cancelled") : QStringLiteral("not cancelled");
            appendToFile(path, seen);
            done({ seen });
        });
        timer->start(2);
        return;
    }
    if (command == QLatin1String("progress")) {
        const int steps = args.value(1).toInt();
        const int maximum = args.value(2).toInt();
        auto *timer = new QTimer(QCoreApplication::instance());
        auto step = std::make_shared<int>(0);
        QObject::connect(timer, &QTimer::timeout, [=] {
            done.setProgress(++*step, maximum);
            if (*step < steps)
                return;
            timer->deleteLater();
            done({ steps });
        });
        timer->start(args.value(3).toInt());
        return;
    }
    if (command == QLatin1String("sleep")) {
        QTimer::singleShot(args.value(1).toInt(), QCoreApplication::instance(),
            [done, ms = args.value(1)] { done({ ms }); });
        return;
    }
    done(perCallJob(args));
}
QFORKRPC_REGISTER("qml::jobAsync", perCallJobAsync);

} // namespace

// Files the tests and the workers share, in a directory removed at the end.
class Files : public QObject
{
    Q_OBJECT
public:
    // A new file name in the directory (no file yet).
    Q_INVOKABLE QString newPath()
    {
        return m_dir.filePath(QStringLiteral("file%1").arg(++m_count));
    }
    // What the file holds; "" when there is no such file.
    Q_INVOKABLE QString read(const QString &path) const
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private:
    QTemporaryDir m_dir;
    int m_count = 0;
};

// Whether an object is still there, without keeping it (a QML reference would keep a
// garbage-collected object alive).
class Objects : public QObject
{
    Q_OBJECT
public:
    Q_INVOKABLE int track(QObject *object)
    {
        m_tracked.insert(++m_count, object);
        return m_count;
    }
    Q_INVOKABLE bool alive(int id) const { return !m_tracked.value(id).isNull(); }

private:
    QHash<int, QPointer<QObject>> m_tracked;
    int m_count = 0;
};

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
        engine->rootContext()->setContextProperty(QStringLiteral("files"), &m_files);
        engine->rootContext()->setContextProperty(QStringLiteral("objects"), &m_objects);
    }

private:
    Processes m_processes;
    Files m_files;
    Objects m_objects;
};

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv); // first: forks the template process
    QTEST_SET_MAIN_SOURCE_PATH
    Setup setup;
    return quick_test_main_with_setup(argc, argv, "tst_qml", QUICK_TEST_SOURCE_DIR, &setup);
}

#include "tst_qml.moc"
