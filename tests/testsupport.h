// SPDX-License-Identifier: MIT
// Small helpers the tests share: collecting what a QForkRpc reports, and looking at processes.
#pragma once

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStringList>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

// Records everything one QForkRpc says, in the order it said it, as text lines.
struct Recorder
{
    explicit Recorder(QForkRpc *rpc, bool connectError = true)
        : rpc(rpc)
    {
        QObject::connect(rpc, &QForkRpc::event,
            [this](const QVariantList &args) { lines << QStringLiteral("event ") + join(args); });
        if (connectError)
            QObject::connect(rpc, &QForkRpc::error, [this](const QString &message) {
                errors << message;
                lines << QStringLiteral("error ") + message;
            });
        QObject::connect(rpc, &QForkRpc::destroyed, [this] {
            ++destroyedCount;
            lines << QStringLiteral("destroyed");
        });
    }

    std::function<void(const QVariantList &)> result(const QString &tag)
    {
        return [this, tag](const QVariantList &values) {
            lines << QStringLiteral("result ") + tag + QStringLiteral(": ") + join(values);
        };
    }

    static QString join(const QVariantList &values)
    {
        QStringList parts;
        for (const QVariant &value : values)
            parts << value.toString();
        return parts.join(QLatin1Char(' '));
    }

    QForkRpc *rpc;
    QStringList lines;
    QStringList errors;
    int destroyedCount = 0;
};

// The kind a failed future throws (QForkRpcError::Kind as int), or -1 when it did not throw one.
inline int kindOf(const QFuture<QVariantList> &future, QString *message = nullptr)
{
    try {
        future.result();
    } catch (const QForkRpcError &e) {
        if (message)
            *message = e.message();
        return int(e.kind());
    } catch (...) { }
    return -1;
}

// The data of a test run in both backends: an `async` column, rows "sync" and "async".
inline void addBackendRows()
{
    QTest::addColumn<bool>("async");
    QTest::newRow("sync") << false;
    QTest::newRow("async") << true;
}

// AddressSanitizer keeps freed memory in quarantine and reserves terabytes of address space:
// memory figures mean nothing under it, and tests that bound memory only report them there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool underAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool underAddressSanitizer = true;
#else
constexpr bool underAddressSanitizer = false;
#endif
#else
constexpr bool underAddressSanitizer = false;
#endif

inline qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines)
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// True when memory grew by less than `limitKiB`, or when that cannot be judged (sanitizers).
inline bool grewLessThan(qint64 before, qint64 after, qint64 limitKiB)
{
    return underAddressSanitizer || after - before < limitKiB;
}

inline bool processExists(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0;
}

// The state letter from /proc/PID/stat ('Z' for a zombie), or 0 when there is no such process.
inline char processState(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = file.readAll();
    const int close = stat.lastIndexOf(')');
    return close > 0 && close + 2 < stat.size() ? stat.at(close + 2) : 0;
}

// The process is gone, or dead and waiting to be reaped by its parent (a zombie).
inline bool hasDied(qint64 pid)
{
    const char state = processState(pid);
    return state == 0 || state == 'Z';
}

// The pids of our own children (workers are our children however they were spawned).
inline QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> children;
    const QStringList tasks = QDir(QStringLiteral("/proc/%1/task").arg(pid))
                                  .entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        QFile file(QStringLiteral("/proc/%1/task/%2/children").arg(pid).arg(task));
        if (file.open(QIODevice::ReadOnly)) {
            const QList<QByteArray> pids = file.readAll().simplified().split(' ');
            for (const QByteArray &child : pids)
                if (!child.isEmpty())
                    children << child.toLongLong();
        }
    }
    return children;
}

inline int openDescriptorCount()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::System)
                   .size());
}

// Runs this test program again with `arguments` (a mode its main() handles, see
// QFORKRPC_TEST_MAIN_WITH_CHILD) and returns what it printed, trimmed; a child that crashes,
// fails or hangs makes this return false with *output saying so. Code that may crash the process
// runs there, so that a crash fails one test, not the whole suite.
inline bool runInChildProcess(const QStringList &arguments, QString *output)
{
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), arguments);
    const bool finished = child.waitForFinished(120000);
    *output = QString::fromUtf8(child.readAllStandardOutput()).trimmed();
    if (finished && child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0)
        return true;
    *output = QStringLiteral("the child %1: %2 %3")
                  .arg(finished ? QStringLiteral("crashed or failed") : QStringLiteral("hung"),
                      *output, QString::fromUtf8(child.readAllStandardError()));
    return false;
}
