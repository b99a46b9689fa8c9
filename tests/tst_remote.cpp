// SPDX-License-Identifier: MIT
// Spawn::Command: workers behind a command's stdin and stdout. First with this test program run
// directly as the command (and with sh scripts that fail the ways a command can), then through a
// real OpenSSH server that the test starts on 127.0.0.1: calls, events and progress on both
// backends, a pool over two servers, a wrong host key, a missing program, a session killed
// mid-call, finish() and deletion. After every test no child, zombie or descriptor is left.
#include "sshserver.h"
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <memory>

using Kind = QForkRpcError::Kind;
using Spawn = QForkRpc::Spawn;

namespace {
QStringList thisProgram()
{
    return { QCoreApplication::applicationFilePath() };
}

QForkRpc::Options commandOptions(const QStringList &command, bool async = false)
{
    QForkRpc::Options options;
    options.spawn = Spawn::Command;
    options.command = command;
    options.async = async;
    return options;
}

QString sync(const char *name, bool async)
{
    return QLatin1String(name) + (async ? QLatin1String("Async") : QLatin1String());
}

// A finished future's values, or its error.
QString outcome(const QFuture<QVariantList> &future)
{
    QString message;
    if (kindOf(future, &message) >= 0)
        return QStringLiteral("failed: ") + message;
    return Recorder::join(future.result());
}

// Waits for a process that is not our child (a worker behind sshd) to be gone.
bool goneWithin(qint64 pid, int ms)
{
    QElapsedTimer waited;
    waited.start();
    while (!hasDied(pid)) {
        if (waited.elapsed() > ms)
            return false;
        QTest::qWait(20);
    }
    return true;
}
} // namespace

class tst_Remote : public QObject
{
    Q_OBJECT

    // Starts a Command worker expecting it to fail; returns its one error (or what went wrong).
    QString startError(const QForkRpc::Options &options)
    {
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("echo"), options));
        Recorder recorder(rpc.get());
        QFuture<QVariantList> queued = rpc->call({ 1 });
        if (!QTest::qWaitFor(
                [&] { return !recorder.errors.isEmpty() && queued.isFinished(); }, 20000))
            return QStringLiteral("no error within 20 s");
        QTest::qWait(20);
        const int kind = kindOf(queued);
        if (recorder.errors.size() != 1 || kind != int(Kind::StartFailed))
            return QStringLiteral("expected one error and a StartFailed call, got kind %1 and: %2")
                .arg(kind)
                .arg(recorder.errors.join(QLatin1String(" | ")));
        return recorder.errors.first();
    }

    bool sshUsable()
    {
        if (!m_sshSkipped.isEmpty()) {
            if (qEnvironmentVariableIntValue("QFORKRPC_REQUIRE_SSHD"))
                qFatal("QFORKRPC_REQUIRE_SSHD is set, but: %s", qPrintable(m_sshSkipped));
            return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_childrenBefore = childrenOf(getpid()).size();
        m_descriptorsBefore = openDescriptorCount();
        QString why;
        if (!m_hostA.start(&why) || !m_hostB.start(&why))
            m_sshSkipped = why;
        m_childrenBefore = childrenOf(getpid()).size(); // the servers are ours for the whole run
        m_descriptorsBefore = openDescriptorCount();
    }

    void cleanup()
    {
        // Every command is reaped and every pipe closed.
        QVERIFY(QTest::qWaitFor(
            [&] { return childrenOf(getpid()).size() == m_childrenBefore; }, 10000));
        QTRY_COMPARE(openDescriptorCount(), m_descriptorsBefore);
    }

    // ---- a local command: this program --------------------------------------------------------

    void everySerialiserAndBackend_data()
    {
        QTest::addColumn<bool>("async");
        QTest::addColumn<QString>("serialiser");
        for (const bool async : { false, true })
            for (const char *serialiser : { "datastream", "octets", "json", "cbor" })
                QTest::addRow("%s %s", async ? "async" : "sync", serialiser)
                    << async << QString::fromLatin1(serialiser);
    }
    void everySerialiserAndBackend()
    {
        QFETCH(bool, async);
        QFETCH(QString, serialiser);
        QForkRpc::Options options = commandOptions(thisProgram(), async);
        options.serialiser = serialiser;
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(sync("echo", async), options));
        Recorder recorder(rpc.get());
        const QVariantList args = serialiser == QLatin1String("octets")
            ? QVariantList { QByteArray("one"), QByteArray(100000, 't') }
            : QVariantList { QStringLiteral("one"), QString(100000, QLatin1Char('t')) };
        QFuture<QVariantList> echo = rpc->call(args);
        QVERIFY(QTest::qWaitFor([&] { return echo.isFinished(); }, 20000));
        QCOMPARE(outcome(echo), QStringLiteral("one ") + QString(100000, QLatin1Char('t')));
        QVERIFY(childrenOf(getpid()).contains(rpc->processId())); // the command is our child
        rpc->finish();
        QVERIFY(QTest::qWaitFor([&] { return recorder.destroyedCount == 1; }, 20000));
        QCOMPARE(recorder.errors, QStringList());
    }

    void descriptorsDoNotTravelOverACommandsPipes()
    {
        // Refused on the way there, failed on the way back; the worker goes on either way.
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(QStringLiteral("echo"), commandOptions(thisProgram())));
        Recorder recorder(rpc.get());
        QFile null(QStringLiteral("/dev/null"));
        QVERIFY(null.open(QIODevice::ReadOnly));
        QFuture<QVariantList> refused
            = rpc->call({ QVariant::fromValue(QForkRpcFd::fromFd(null.handle())) });
        QString message;
        QCOMPARE(kindOf(refused, &message), int(Kind::Refused));
        QVERIFY2(
            message.contains(QLatin1String("its pipes carry no descriptors")), qPrintable(message));
        QFuture<QVariantList> echo = rpc->call({ 1 });
        QVERIFY(QTest::qWaitFor([&] { return echo.isFinished(); }, 20000));
        QCOMPARE(outcome(echo), QStringLiteral("1"));

        std::unique_ptr<QForkRpc> giver(
            QForkRpc::run(QStringLiteral("descriptor"), commandOptions(thisProgram())));
        QFuture<QVariantList> back = giver->call({});
        QVERIFY(QTest::qWaitFor([&] { return back.isFinished(); }, 20000));
        QCOMPARE(kindOf(back, &message), int(Kind::Threw));
        QVERIFY2(
            message.contains(QLatin1String("its pipes carry no descriptors")), qPrintable(message));
    }

    void eventsComeInOrder_data()
    {
        QTest::addColumn<bool>("async");
        QTest::newRow("sync") << false;
        QTest::newRow("async") << true;
    }
    void eventsComeInOrder()
    {
        QFETCH(bool, async);
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(sync("events", async), commandOptions(thisProgram(), async)));
        Recorder recorder(rpc.get());
        QFuture<QVariantList> events = rpc->call({ 3 });
        QVERIFY(QTest::qWaitFor([&] { return events.isFinished(); }, 20000));
        QCOMPARE(outcome(events), QStringLiteral("3"));
        QCOMPARE(recorder.lines,
            QStringList({ QStringLiteral("event e 1"), QStringLiteral("event e 2"),
                QStringLiteral("event e 3") }));
    }

    void progressAndManyCalls_data()
    {
        QTest::addColumn<bool>("async");
        QTest::newRow("sync") << false;
        QTest::newRow("async") << true;
    }
    void progressAndManyCalls()
    {
        QFETCH(bool, async);
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(sync("progress", async), commandOptions(thisProgram(), async)));
        QFuture<QVariantList> progress = rpc->call({ 100000 });
        QList<QFuture<QVariantList>> many;
        for (int i = 0; i < 2000; ++i)
            many << rpc->call({ i % 7 });
        QVERIFY(QTest::qWaitFor([&] { return many.last().isFinished(); }, 30000));
        QCOMPARE(outcome(progress), QStringLiteral("100000"));
        QCOMPARE(progress.progressValue(), 100000);
        for (int i = 0; i < many.size(); ++i)
            QCOMPARE(many.at(i).result().value(0).toInt(), i % 7);
    }

    void strayStdoutDoesNotCorruptTheStream()
    {
        std::unique_ptr<QForkRpc> rpc(
            QForkRpc::run(QStringLiteral("printsToStdout"), commandOptions(thisProgram())));
        Recorder recorder(rpc.get());
        QList<QFuture<QVariantList>> calls;
        for (int i = 0; i < 20; ++i)
            calls << rpc->call({ i, QByteArray(1000, 'x') });
        QVERIFY(QTest::qWaitFor([&] { return calls.last().isFinished(); }, 20000));
        for (int i = 0; i < calls.size(); ++i)
            QCOMPARE(calls.at(i).result().value(0).toInt(), i);
        QCOMPARE(recorder.errors, QStringList());
    }

    void aFailingCommandReportsItsStderr()
    {
        const QString error
            = startError(commandOptions({ QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("echo 'first line' >&2; echo 'ssh: connect to host build7 port 22: "
                               "Connection refused' >&2; exit 255") }));
        QVERIFY2(
            error.contains(QLatin1String("did not start a QForkRpc worker")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("exited with code 255")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("first line / ssh: connect to host build7 port 22: "
                                              "Connection refused")),
            qPrintable(error));
    }

    void aMissingProgramIsOneClearError()
    {
        const QString error
            = startError(commandOptions({ QStringLiteral("/nonexistent/qforkrpc-worker") }));
        QVERIFY2(error.contains(QLatin1String("cannot start the worker program "
                                              "'/nonexistent/qforkrpc-worker'")),
            qPrintable(error));
        const QString noCommand = startError(commandOptions({}));
        QVERIFY2(noCommand.contains(QLatin1String("Options::command")), qPrintable(noCommand));
    }

    void aProgramThatIsNoWorkerIsOneClearError()
    {
        // It writes something else and keeps running: it is killed, not waited for.
        QElapsedTimer took;
        took.start();
        const QString error
            = startError(commandOptions({ QStringLiteral("sh"), QStringLiteral("-c"),
                QStringLiteral("echo 'Welcome! This program is no QForkRpc worker.'; sleep 30") }));
        QVERIFY2(
            error.contains(QLatin1String("did not start a QForkRpc worker")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("protocol error")), qPrintable(error));
        QVERIFY(took.elapsed() < 15000);
    }

    void aWorkerOfAnotherProtocolVersionSaysSo()
    {
        // A Hello frame (type 1, id 0, 16 bytes) with protocol version 99 and pid 4660, as a
        // worker of another QForkRpc release would send it; little-endian as on the wire.
        const QString hello
            = QStringLiteral("printf '\\001\\000\\000\\000\\000\\000\\000\\000\\020\\000\\000\\000"
                             "\\143\\000\\000\\000\\000\\000\\000\\000\\064\\022\\000\\000\\000\\00"
                             "0\\000\\000'; sleep 30");
        const QString error
            = startError(commandOptions({ QStringLiteral("sh"), QStringLiteral("-c"), hello }));
        QVERIFY2(error.contains(QLatin1String("version 99 of the QForkRpc protocol and this "
                                              "program version")),
            qPrintable(error));
    }

    void aStreamThatBreaksOffIsOneClearError()
    {
        // Half a frame header, then the command exits, as a dropped connection may leave it.
        const QString error = startError(commandOptions({ QStringLiteral("sh"),
            QStringLiteral("-c"), QStringLiteral("printf '\\001\\000\\000'; exit 3") }));
        QVERIFY2(
            error.contains(QLatin1String("did not start a QForkRpc worker")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("exited with code 3")), qPrintable(error));
    }

    void finishAndDeleteEndTheCommand()
    {
        std::unique_ptr<QForkRpc> finished(
            QForkRpc::run(QStringLiteral("echo"), commandOptions(thisProgram())));
        std::unique_ptr<QForkRpc> deleted(
            QForkRpc::run(QStringLiteral("echo"), commandOptions(thisProgram())));
        Recorder recorder(finished.get());
        QFuture<QVariantList> last = finished->call({ 7 });
        QFuture<QVariantList> first = deleted->call({ 8 });
        finished->finish(); // the call made before it still runs
        QVERIFY(QTest::qWaitFor(
            [&] { return first.isFinished() && recorder.destroyedCount == 1; }, 20000));
        QCOMPARE(outcome(last), QStringLiteral("7"));
        QCOMPARE(recorder.errors, QStringList());
        deleted.reset();
    }

    void aPoolSpreadsItsCallsOverCommands()
    {
        // Two "hosts": this program with a different environment each.
        QForkRpcPool::Options options;
        options.commands = { { QStringLiteral("env"), QStringLiteral("QFORKRPC_HOST=a"),
                                 QCoreApplication::applicationFilePath() },
            { QStringLiteral("env"), QStringLiteral("QFORKRPC_HOST=b"),
                QCoreApplication::applicationFilePath() } };
        options.max = 2;
        options.load = 1;
        options.startDelayMs = 0;
        std::unique_ptr<QForkRpcPool> pool(
            QForkRpcPool::run(QStringLiteral("environmentVariable"), options));
        QList<QFuture<QVariantList>> calls;
        for (int i = 0; i < 40; ++i)
            calls << pool->call({ QStringLiteral("QFORKRPC_HOST") });
        QVERIFY(QTest::qWaitFor([&] { return calls.last().isFinished(); }, 30000));
        QSet<QString> hosts;
        for (const auto &call : calls)
            hosts << call.result().value(0).toString();
        QCOMPARE(hosts, QSet<QString>({ QStringLiteral("a"), QStringLiteral("b") }));
    }

    void aPoolRetriesTheCallsOfAHostThatFails()
    {
        QForkRpcPool::Options options;
        options.commands = { { QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("echo 'host a is down' >&2; exit 255") },
            { QStringLiteral("env"), QStringLiteral("QFORKRPC_HOST=b"),
                QCoreApplication::applicationFilePath() } };
        options.max = 2;
        options.load = 1;
        options.startDelayMs = 0;
        options.retries = 3;
        std::unique_ptr<QForkRpcPool> pool(
            QForkRpcPool::run(QStringLiteral("environmentVariable"), options));
        QStringList errors;
        connect(pool.get(), &QForkRpcPool::error, this,
            [&](const QString &message) { errors << message; });
        QList<QFuture<QVariantList>> calls;
        for (int i = 0; i < 10; ++i)
            calls << pool->call({ QStringLiteral("QFORKRPC_HOST") });
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(
                    calls.begin(), calls.end(), [](const auto &c) { return c.isFinished(); });
            },
            30000));
        for (const auto &call : calls)
            QCOMPARE(outcome(call), QStringLiteral("b"));
        QVERIFY(!errors.isEmpty());
        for (const QString &error : std::as_const(errors))
            QVERIFY2(error.contains(QLatin1String("host a is down")), qPrintable(error));
    }

    // ---- through a real OpenSSH server on 127.0.0.1 -------------------------------------------

    void overSsh_data()
    {
        QTest::addColumn<bool>("async");
        QTest::newRow("sync") << false;
        QTest::newRow("async") << true;
    }
    void overSsh()
    {
        if (!sshUsable())
            QSKIP(qPrintable(m_sshSkipped));
        QFETCH(bool, async);
        // The worker keeps the environment sshd gave it, not ours.
        qputenv("QFORKRPC_PARENT_ONLY", "1");
        QForkRpc::Options options
            = commandOptions(m_hostA.sshCommand(QCoreApplication::applicationFilePath()), async);
        std::unique_ptr<QForkRpc> events(QForkRpc::run(sync("events", async), options));
        std::unique_ptr<QForkRpc> environment(
            QForkRpc::run(QStringLiteral("environmentVariable"), commandOptions(options.command)));
        Recorder recorder(events.get());
        QFuture<QVariantList> three = events->call({ 3 });
        QFuture<QVariantList> parentOnly
            = environment->call({ QStringLiteral("QFORKRPC_PARENT_ONLY") });
        QFuture<QVariantList> connection = environment->call({ QStringLiteral("SSH_CONNECTION") });
        QVERIFY(
            QTest::qWaitFor([&] { return three.isFinished() && connection.isFinished(); }, 30000));
        qunsetenv("QFORKRPC_PARENT_ONLY");
        QCOMPARE(outcome(three), QStringLiteral("3"));
        QCOMPARE(recorder.lines.size(), 3);
        QVERIFY(parentOnly.result().value(0).isNull());
        QVERIFY2(outcome(connection).endsWith(QStringLiteral(" %1").arg(m_hostA.port())),
            qPrintable(outcome(connection)));
        events->finish();
        QVERIFY(QTest::qWaitFor([&] { return recorder.destroyedCount == 1; }, 20000));
        QCOMPARE(recorder.errors, QStringList());
    }

    void aPoolOverTwoSshServers()
    {
        if (!sshUsable())
            QSKIP(qPrintable(m_sshSkipped));
        QForkRpcPool::Options options;
        options.commands = { m_hostA.sshCommand(QCoreApplication::applicationFilePath()),
            m_hostB.sshCommand(QCoreApplication::applicationFilePath()) };
        options.max = 2;
        options.load = 2;
        options.startDelayMs = 0;
        std::unique_ptr<QForkRpcPool> pool(
            QForkRpcPool::run(QStringLiteral("environmentVariable"), options));
        QList<QFuture<QVariantList>> calls;
        for (int i = 0; i < 200; ++i)
            calls << pool->call({ QStringLiteral("SSH_CONNECTION") });
        QVERIFY(QTest::qWaitFor([&] { return calls.last().isFinished(); }, 60000));
        QSet<QString> ports;
        for (const auto &call : calls)
            ports << outcome(call).section(QLatin1Char(' '), -1);
        QCOMPARE(ports,
            QSet<QString>({ QString::number(m_hostA.port()), QString::number(m_hostB.port()) }));
        QCOMPARE(pool->workerCount(), 2);
    }

    void aWrongHostKeyIsRefused()
    {
        if (!sshUsable())
            QSKIP(qPrintable(m_sshSkipped));
        m_hostA.setKnownHostKey(m_hostB.hostKeyFile()); // as if someone else answered
        const QString error = startError(
            commandOptions(m_hostA.sshCommand(QCoreApplication::applicationFilePath())));
        m_hostA.setKnownHostKey(m_hostA.hostKeyFile());
        QVERIFY2(
            error.contains(QLatin1String("did not start a QForkRpc worker")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("Host key verification failed")), qPrintable(error));
    }

    void aMissingRemoteProgramIsOneClearError()
    {
        if (!sshUsable())
            QSKIP(qPrintable(m_sshSkipped));
        const QString error = startError(
            commandOptions(m_hostA.sshCommand(QStringLiteral("/nonexistent/qforkrpc-worker"))));
        QVERIFY2(
            error.contains(QLatin1String("did not start a QForkRpc worker")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("/nonexistent/qforkrpc-worker: No such file")),
            qPrintable(error));
    }

    void aSessionKilledMidCall()
    {
        if (!sshUsable())
            QSKIP(qPrintable(m_sshSkipped));
        std::unique_ptr<QForkRpc> rpc(QForkRpc::run(QStringLiteral("poolTask"),
            commandOptions(m_hostA.sshCommand(QCoreApplication::applicationFilePath()))));
        Recorder recorder(rpc.get());
        QFuture<QVariantList> call = rpc->call({ QStringLiteral("sleep"), 1500 });
        QVERIFY(QTest::qWaitFor([&] { return !recorder.lines.isEmpty(); }, 20000)); // "sleeping"
        const qint64 remoteWorker
            = recorder.lines.first().section(QLatin1Char(' '), -1).toLongLong();
        QVERIFY(remoteWorker > 0);
        // sshd's process for this connection (and the session under it) goes away.
        const QList<qint64> sessions = childrenOf(m_hostA.pid());
        QVERIFY(!sessions.isEmpty());
        for (const qint64 session : sessions)
            ::kill(pid_t(session), SIGKILL);
        QVERIFY(QTest::qWaitFor([&] { return call.isFinished(); }, 20000));
        QString message;
        QCOMPARE(kindOf(call, &message), int(Kind::WorkerDied));
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(
                     QRegularExpression(QStringLiteral("1 call(\\(s\\) were| was) running"))),
            qPrintable(recorder.errors.first()));
        // The worker sees the end of its input once its call returns, and exits.
        QVERIFY(goneWithin(remoteWorker, 20000));
    }

    void finishAndDeleteEndTheRemoteWorker()
    {
        if (!sshUsable())
            QSKIP(qPrintable(m_sshSkipped));
        const QStringList command = m_hostB.sshCommand(QCoreApplication::applicationFilePath());
        std::unique_ptr<QForkRpc> finished(
            QForkRpc::run(QStringLiteral("poolTask"), commandOptions(command)));
        std::unique_ptr<QForkRpc> deleted(
            QForkRpc::run(QStringLiteral("poolTaskAsync"), commandOptions(command, true)));
        QFuture<QVariantList> first = finished->call({ QString() });
        QFuture<QVariantList> second = deleted->call({ QString() });
        QVERIFY(QTest::qWaitFor([&] { return first.isFinished() && second.isFinished(); }, 30000));
        const qint64 finishedWorker = first.result().value(0).toLongLong();
        const qint64 deletedWorker = second.result().value(0).toLongLong();
        QVERIFY(processExists(finishedWorker) && processExists(deletedWorker));
        Recorder recorder(finished.get());
        finished->finish();
        deleted.reset();
        QVERIFY(QTest::qWaitFor([&] { return recorder.destroyedCount == 1; }, 20000));
        QCOMPARE(recorder.errors, QStringList());
        QVERIFY(goneWithin(finishedWorker, 20000));
        QVERIFY(goneWithin(deletedWorker, 20000));
    }

private:
    SshServer m_hostA;
    SshServer m_hostB;
    QString m_sshSkipped;
    qsizetype m_childrenBefore = 0;
    int m_descriptorsBefore = 0;
};

QFORKRPC_TEST_MAIN(tst_Remote)
#include "tst_remote.moc"
