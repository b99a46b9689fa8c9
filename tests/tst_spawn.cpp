// SPDX-License-Identifier: MIT
// Process creation: template, exec and fork; descriptors, names, libraries, init, parent death,
// and the errors of starting a worker.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>

#include <clocale>

using Spawn = QForkRpc::Spawn;
Q_DECLARE_METATYPE(QForkRpc::Options)

class tst_Spawn : public QObject
{
    Q_OBJECT

private:
    static void addSpawnColumn()
    {
        QTest::addColumn<Spawn>("spawn");
        QTest::addColumn<bool>("async");
        QTest::newRow("template sync") << Spawn::Template << false;
        QTest::newRow("template async") << Spawn::Template << true;
        QTest::newRow("exec sync") << Spawn::Exec << false;
        QTest::newRow("exec async") << Spawn::Exec << true;
        QTest::newRow("fork sync") << Spawn::Fork << false;
    }
    static QForkRpc::Options options(Spawn spawn, bool async = false)
    {
        QForkRpc::Options o;
        o.spawn = spawn;
        o.async = async;
        return o;
    }
    static QString functionFor(bool async)
    {
        return async ? QStringLiteral("echoAsync") : QStringLiteral("echo");
    }

    // Runs a worker, waits until it has answered one call, and returns it.
    QForkRpc *startedWorker(const QString &function, const QForkRpc::Options &o)
    {
        QForkRpc *rpc = QForkRpc::run(function, o, this);
        QFuture<QVariantList> future = rpc->call({ 1 });
        if (!QTest::qWaitFor([&] { return future.isFinished(); }, 10000))
            return nullptr;
        return rpc;
    }

    // Starts a worker, expecting it to fail, and returns the error message.
    static QString startError(const QString &function, const QForkRpc::Options &o)
    {
        QForkRpc *rpc = QForkRpc::run(function, o);
        QStringList errors;
        connect(rpc, &QForkRpc::error,
            [&](const QString &message) { errors << message; }); // after run()
        QFuture<QVariantList> queued = rpc->call({ 1 });
        (void)QTest::qWaitFor([&] { return !errors.isEmpty() && queued.isFinished(); }, 10000);
        QTest::qWait(20);
        bool futureFailed = false;
        try {
            queued.result();
        } catch (const std::exception &) {
            futureFailed = true;
        }
        delete rpc;
        if (errors.size() != 1 || !futureFailed)
            return QStringLiteral("expected one error and a failed call, got %1 errors: %2")
                .arg(errors.size())
                .arg(errors.join(QLatin1String(" | ")));
        return errors.first();
    }

private Q_SLOTS:
    void everyModeWorks_data() { addSpawnColumn(); }
    void everyModeWorks()
    {
        QFETCH(Spawn, spawn);
        QFETCH(bool, async);
        QForkRpc *rpc = QForkRpc::run(functionFor(async), options(spawn, async), this);
        Recorder recorder(rpc);
        rpc->call({ QStringLiteral("hello") }, recorder.result(QStringLiteral("r")));
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.lines,
            (QStringList { QStringLiteral("result r: hello"), QStringLiteral("destroyed") }));
    }

    void workerHoldsOnlyItsSocketAndStdio_data() { addSpawnColumn(); }
    void workerHoldsOnlyItsSocketAndStdio()
    {
        QFETCH(Spawn, spawn);
        QFETCH(bool, async);
        // A second worker alive at the same time must not show up in the first one.
        QForkRpc *sibling = startedWorker(QStringLiteral("echo"), options(Spawn::Template));
        QForkRpc *rpc = startedWorker(functionFor(async), options(spawn, async));
        QVERIFY(sibling && rpc);
        const QString fdDir = QStringLiteral("/proc/%1/fd").arg(rpc->processId());
        QStringList fds = QDir(fdDir).entryList(QDir::NoDotAndDotDot | QDir::System);
        std::sort(fds.begin(), fds.end(),
            [](const QString &a, const QString &b) { return a.toInt() < b.toInt(); });
        if (async) {
            // A QCoreApplication has its own event descriptors (eventfd, pipe); no socket but ours.
            for (const QString &fd : std::as_const(fds)) {
                const QString target = QFile::symLinkTarget(fdDir + QLatin1Char('/') + fd);
                QVERIFY2(fd.toInt() <= 3 || !target.contains(QLatin1String("socket")),
                    qPrintable(fd + QLatin1String(" -> ") + target));
            }
            QCOMPARE(fds.mid(0, 4),
                (QStringList { QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                    QStringLiteral("3") }));
        } else {
            QCOMPARE(fds,
                (QStringList { QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                    QStringLiteral("3") }));
        }
        delete rpc;
        delete sibling;
    }

    void finishingOneWorkerDoesNotWaitForItsSiblings()
    {
        QForkRpc *first = startedWorker(QStringLiteral("echo"), options(Spawn::Template));
        QForkRpc *second = startedWorker(QStringLiteral("echo"), options(Spawn::Fork));
        QForkRpc *third = startedWorker(QStringLiteral("echo"), options(Spawn::Exec));
        QVERIFY(first && second && third);
        for (QForkRpc *rpc : { first, second, third }) {
            QSignalSpy destroyed(rpc, &QForkRpc::destroyed);
            rpc->finish();
            QVERIFY(destroyed.wait(5000));
        }
    }

    void workersUseTheProgramsLocale_data() { addSpawnColumn(); }
    void workersUseTheProgramsLocale()
    {
        // ctest runs this with LC_ALL=C.UTF-8; QCoreApplication made it the program's locale.
        QFETCH(Spawn, spawn);
        QFETCH(bool, async);
        QForkRpc *rpc
            = QForkRpc::run(async ? QStringLiteral("describeAsync") : QStringLiteral("describe"),
                options(spawn, async), this);
        QFuture<QVariantList> future = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QCOMPARE(
            future.result().value(8).toString(), QString::fromLatin1(setlocale(LC_CTYPE, nullptr)));
        delete rpc;
    }

    // The template sets its locale once for its workers; a worker whose parent's environment
    // names another locale (changed after the template started) sets that one.
    void aTemplateWorkerTakesALocaleChangedAfterTheTemplateStarted()
    {
        const QByteArray before = qgetenv("LC_ALL");
        const bool wasSet = qEnvironmentVariableIsSet("LC_ALL");
        const QByteArray other
            = before == "C" ? QByteArrayLiteral("C.UTF-8") : QByteArrayLiteral("C");
        qputenv("LC_ALL", other);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("describe"), options(Spawn::Template), this);
        QFuture<QVariantList> future = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        if (wasSet)
            qputenv("LC_ALL", before);
        else
            qunsetenv("LC_ALL");
        QCOMPARE(future.result().value(8).toString(), QString::fromLatin1(other));
        delete rpc;
    }

    void workersHaveReadableNames()
    {
        QForkRpc *rpc = startedWorker(QStringLiteral("echo"), options(Spawn::Template));
        QVERIFY(rpc);
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(rpc->processId()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(cmdline.readAll().split('\0').value(0)),
            QStringLiteral("qforkrpc: echo"));
        QFile comm(QStringLiteral("/proc/%1/comm").arg(rpc->processId()));
        QVERIFY(comm.open(QIODevice::ReadOnly));
        QCOMPARE(comm.readAll().trimmed(), QByteArray("qforkrpc: echo"));

        bool templateFound = false;
        for (qint64 child : childrenOf(getpid())) {
            QFile file(QStringLiteral("/proc/%1/cmdline").arg(child));
            if (file.open(QIODevice::ReadOnly) && file.readAll().startsWith("qforkrpc: template"))
                templateFound = true;
        }
        QVERIFY(templateFound);
        delete rpc;
    }

    void workersAreOurChildrenAndDieWithUs()
    {
        // A parent program with four workers is SIGKILLed: its template and workers follow.
        QProcess parent;
        parent.start(QStringLiteral(QFORKRPC_TEST_PARENT_PROGRAM), { QStringLiteral("4") });
        QVERIFY(parent.waitForStarted());
        QByteArray output;
        while (!output.contains("ready") && parent.waitForReadyRead(10000))
            output += parent.readAllStandardOutput();
        QVERIFY2(output.contains("ready"), output.constData());
        const QList<qint64> children = childrenOf(parent.processId());
        QCOMPARE(children.size(), 5); // the template and four workers, all the program's children
        const QList<QByteArray> lines = output.split('\n');
        for (const QByteArray &line : lines)
            if (line.startsWith("worker "))
                QVERIFY(children.contains(line.mid(7).toLongLong()));

        ::kill(pid_t(parent.processId()), SIGKILL);
        QVERIFY(parent.waitForFinished(5000));
        // Orphans are reparented; a zombie ('Z') is dead already, waiting for its new parent.
        for (qint64 child : children)
            QTRY_VERIFY_WITH_TIMEOUT(hasDied(child), 1000);
    }

    void requireLoadsALibraryBeforeLookingUpTheFunction_data() { addSpawnColumn(); }
    void requireLoadsALibraryBeforeLookingUpTheFunction()
    {
        QFETCH(Spawn, spawn);
        QFETCH(bool, async);
        if (async)
            return; // the library's function is sync; the sync rows cover every spawn mode
        QForkRpc::Options o = options(spawn);
        o.require = QStringList { QStringLiteral(QFORKRPC_TEST_REQUIRE_LIBRARY) };
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("fromLibrary"), o, this);
        QFuture<QVariantList> future = rpc->call({ 5 });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QCOMPARE(future.result(), (QVariantList { QStringLiteral("library says"), 5 }));
        delete rpc;
    }

    void initRunsFirstWithItsArguments()
    {
        QForkRpc::Options o;
        o.init = QStringLiteral("storeInit");
        o.initArgs = { 1, QStringLiteral("db.sqlite") };
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("initArgs"), o, this);
        QFuture<QVariantList> future = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QCOMPARE(future.result(),
            (QVariantList { true, QVariantList { 1, QStringLiteral("db.sqlite") } }));
        delete rpc;
    }

    void execStartsAnotherProgram_data() { addBackendRows(); }
    void execStartsAnotherProgram()
    {
        QFETCH(bool, async);
        QForkRpc::Options o;
        o.program = QStringLiteral(QFORKRPC_TEST_WORKER_PROGRAM);
        o.spawn = Spawn::Exec;
        o.async = async;
        QForkRpc *rpc = QForkRpc::run(
            async ? QStringLiteral("programWorkerAsync") : QStringLiteral("programWorker"), o,
            this);
        QFuture<QVariantList> future = rpc->call({ QStringLiteral("x") });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        const QVariantList r = future.result();
        QCOMPARE(r.first().toString(),
            async ? QStringLiteral("program async") : QStringLiteral("program"));
        QCOMPARE(r.last().toString(), QStringLiteral("x"));
        delete rpc;
    }

    void startFailuresAreReportedAfterRun_data()
    {
        QTest::addColumn<QString>("function");
        QTest::addColumn<QForkRpc::Options>("options");
        QTest::addColumn<QString>("expected");
        QForkRpc::Options o;
        QTest::newRow("unknown function") << QStringLiteral(
            "nope") << o << QStringLiteral("there is no registered function 'nope'");
        o.async = true;
        QTest::newRow("sync function, async backend")
            << QStringLiteral("echo") << o
            << QStringLiteral("'echo' is registered with the sync signature, but the async backend "
                              "runs only functions with the async signature");
        o.async = false;
        QTest::newRow("async function, sync backend")
            << QStringLiteral("echoAsync") << o
            << QStringLiteral("'echoAsync' is registered with the async signature, but the sync "
                              "backend runs only functions with the sync signature");
        o.require = QStringList { QStringLiteral("/nonexistent/libmissing.so") };
        QTest::newRow("missing library") << QStringLiteral(
            "echo") << o << QStringLiteral("cannot load the library '/nonexistent/libmissing.so'");
        o.require.clear();
        o.init = QStringLiteral("throwingInit");
        QTest::newRow("init throws") << QStringLiteral(
            "echo") << o << QStringLiteral("the init function 'throwingInit' failed: no database");
        o.init = QStringLiteral("noSuchInit");
        QTest::newRow("unknown init") << QStringLiteral(
            "echo") << o << QStringLiteral("there is no registered init function 'noSuchInit'");
        o.init.clear();
        o.serialiser = QStringLiteral("nonsense");
        QTest::newRow("unknown serialiser") << QStringLiteral(
            "echo") << o << QStringLiteral("there is no registered serialiser 'nonsense'");
        o.serialiser = QStringLiteral("datastream");
        o.spawn = Spawn::Fork;
        o.async = true;
        QTest::newRow("fork refuses async") << QStringLiteral(
            "echoAsync") << o << QStringLiteral("Spawn::Fork cannot run the async backend");
        o.async = false;
        o.spawn = Spawn::Exec;
        o.program = QStringLiteral("/nonexistent/program");
        QTest::newRow("missing program")
            << QStringLiteral("echo") << o
            << QStringLiteral("cannot start the worker program '/nonexistent/program'");
        o.program = QStringLiteral("/bin/true");
        QTest::newRow("not a worker program")
            << QStringLiteral("echo") << o
            << QStringLiteral("the program '/bin/true' did not start a QForkRpc worker");
    }
    void startFailuresAreReportedAfterRun()
    {
        QFETCH(QString, function);
        QFETCH(QForkRpc::Options, options);
        QFETCH(QString, expected);
        const QString message = startError(function, options);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void manyWorkersLeaveNothingBehind()
    {
        const QList<qint64> children = childrenOf(getpid());
        const int descriptors = openDescriptorCount();
        for (int round = 0; round < 30; ++round) {
            const Spawn spawn = round % 3 == 0 ? Spawn::Template
                : round % 3 == 1               ? Spawn::Exec
                                               : Spawn::Fork;
            QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), options(spawn));
            QSignalSpy destroyed(rpc, &QForkRpc::destroyed);
            QFuture<QVariantList> future = rpc->call({ round });
            rpc->finish();
            QVERIFY(destroyed.wait(10000));
            QCOMPARE(future.result(), QVariantList { round });
            delete rpc;
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(childrenOf(getpid()), children);
        QCOMPARE(openDescriptorCount(), descriptors);
    }
};

QFORKRPC_TEST_MAIN(tst_Spawn)
#include "tst_spawn.moc"
