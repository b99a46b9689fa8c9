// SPDX-License-Identifier: MIT
// A worker's life as the parent sees it: QForkRpc::State and each of its transitions, the pid
// known from the start, deleting the object while the template cannot answer, the environment
// and working directory of run(), and the ways a worker's end can look (a connection closed by a
// worker that stays, a program that ignores SIGCHLD).
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

using Spawn = QForkRpc::Spawn;
using State = QForkRpc::State;

namespace {

QFORKRPC_REGISTER("lifecycleEnvironment", [](const QVariantList &args) {
    return QVariantList { qEnvironmentVariable(args.value(0).toString().toUtf8().constData()),
        QDir::currentPath() };
});
QFORKRPC_REGISTER("lifecycleEnvironmentAsync", [](QForkRpcDone done, const QVariantList &args) {
    done({ qEnvironmentVariable(args.value(0).toString().toUtf8().constData()),
        QDir::currentPath() });
});
// Closes its connection to the parent and goes on running, as a worker with a stray close(3)
// would.
QFORKRPC_REGISTER("lifecycleCloseAndStay", [](const QVariantList &) -> QVariantList {
    ::close(3);
    QThread::sleep(60);
    return {};
});

// The template process: our child named "qforkrpc: template" (its thread name, which valgrind,
// unlike the command line, leaves alone).
qint64 templatePid()
{
    for (qint64 child : childrenOf(getpid())) {
        QFile comm(QStringLiteral("/proc/%1/comm").arg(child));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("qforkrpc: temp"))
            return child;
    }
    return 0;
}

// Every state the object goes through, in order.
struct StateLog
{
    explicit StateLog(QForkRpc *rpc)
    {
        QObject::connect(rpc, &QForkRpc::stateChanged, [this, rpc](State state) {
            states << state;
            QVERIFY(rpc->state() == state);
        });
    }
    QList<State> states;
};

} // namespace

class tst_Lifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statesOfAWholeLife_data() { addBackendRows(); }

    void statesOfAWholeLife()
    {
        QFETCH(bool, async);
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(
            async ? QStringLiteral("echoAsync") : QStringLiteral("echo"), options, this);
        QCOMPARE(rpc->state(), State::Starting);
        StateLog log(rpc);
        Recorder recorder(rpc);
        QTRY_COMPARE(rpc->state(), State::Running);
        QFuture<QVariantList> future = rpc->call({ 1 });
        rpc->finish();
        QCOMPARE(rpc->state(), State::Finishing);
        QTRY_COMPARE(recorder.destroyedCount, 1);
        QCOMPARE(future.result(), QVariantList { 1 });
        QCOMPARE(log.states, (QList<State> { State::Running, State::Finishing, State::Ended }));
        QVERIFY(recorder.errors.isEmpty());
        // Ended is final: a call fails at once, finish() changes nothing.
        QFuture<QVariantList> late = rpc->call({ 2 });
        QVERIFY(late.isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, late.result());
        rpc->finish();
        QCOMPARE(rpc->state(), State::Ended);
        QTRY_COMPARE(recorder.errors.size(), 1);
        QCOMPARE(log.states.size(), 3);
        delete rpc;
    }

    void endedAfterACrash()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("die"), this);
        StateLog log(rpc);
        Recorder recorder(rpc);
        QFuture<QVariantList> crashing = rpc->call({ QStringLiteral("segv") });
        QTRY_COMPARE(rpc->state(), State::Ended);
        QCOMPARE(log.states, (QList<State> { State::Running, State::Ended }));
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(QStringLiteral("signal 11")),
            qPrintable(recorder.errors.first()));
        QVERIFY(crashing.isFinished());
        QCOMPARE(recorder.destroyedCount, 0);
        delete rpc;
    }

    void endedAfterAFailureToStart_data()
    {
        QTest::addColumn<QString>("function");
        QTest::addColumn<QString>("init");
        QTest::addColumn<int>("spawn");
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown function") << "noSuchFunction"
                                          << "" << int(Spawn::Template) << ""
                                          << "there is no registered function";
        QTest::newRow("init throws") << "initArgs"
                                     << "throwingInit" << int(Spawn::Template) << ""
                                     << "no database";
        QTest::newRow("exec fails") << "echo"
                                    << "" << int(Spawn::Exec) << "/nonexistent/program"
                                    << "cannot start the worker program";
        QTest::newRow("not a worker program") << "echo"
                                              << "" << int(Spawn::Exec) << "/bin/true"
                                              << "did not start a QForkRpc worker";
    }

    void endedAfterAFailureToStart()
    {
        QFETCH(QString, function);
        QFETCH(QString, init);
        QFETCH(int, spawn);
        QFETCH(QString, program);
        QFETCH(QString, expected);
        QForkRpc::Options options;
        options.init = init;
        options.spawn = Spawn(spawn);
        options.program = program;
        QForkRpc *rpc = QForkRpc::run(function, options, this);
        StateLog log(rpc);
        Recorder recorder(rpc);
        QFuture<QVariantList> call = rpc->call({});
        QTRY_COMPARE(rpc->state(), State::Ended);
        // It never ran: Starting went straight to Ended.
        QCOMPARE(log.states, QList<State> { State::Ended });
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(expected), qPrintable(recorder.errors.first()));
        QVERIFY(call.isFinished());
        delete rpc;
    }

    void processIdIsKnownAsSoonAsTheWorkerExists_data()
    {
        QTest::addColumn<int>("spawn");
        QTest::newRow("template") << int(Spawn::Template);
        QTest::newRow("exec") << int(Spawn::Exec);
        QTest::newRow("fork") << int(Spawn::Fork);
    }

    // 1.0 learnt a template worker's pid from its hello, which only the event loop read.
    void processIdIsKnownAsSoonAsTheWorkerExists()
    {
        QFETCH(int, spawn);
        QForkRpc::Options options;
        options.spawn = Spawn(spawn);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), options, this);
        if (Spawn(spawn) != Spawn::Template)
            QVERIFY(rpc->processId() > 0); // forked by run() itself
        // No event loop runs here.
        QElapsedTimer timer;
        timer.start();
        while (rpc->processId() == 0 && timer.elapsed() < 5000)
            usleep(1000);
        const qint64 pid = rpc->processId();
        QVERIFY(pid > 0);
        QVERIFY(childrenOf(getpid()).contains(pid));
        delete rpc;
        QVERIFY(!childrenOf(getpid()).contains(pid));
    }

    // 1.0 waited up to 2 s for a slow template's hello, then left the worker it forked later as a
    // zombie.
    void deletingWhileTheTemplateIsStoppedNeitherBlocksNorLeavesAWorker()
    {
        const qint64 templ = templatePid();
        QVERIFY(templ > 0);
        QVERIFY(::kill(pid_t(templ), SIGSTOP) == 0);
        QElapsedTimer timer;
        timer.start();
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
        rpc->call({ 1 }, [](const QVariantList &) {});
        const qint64 runTook = timer.restart();
        QCOMPARE(rpc->processId(), 0);
        delete rpc;
        const qint64 deleteTook = timer.elapsed();
        QVERIFY(::kill(pid_t(templ), SIGCONT) == 0);
        QVERIFY2(deleteTook < 100, qPrintable(QStringLiteral("delete took %1 ms").arg(deleteTook)));
        QVERIFY2(runTook < 1000, qPrintable(QStringLiteral("run() took %1 ms").arg(runTook)));
        // The template forks the worker once it runs again, and the library kills and reaps it as
        // soon as the answer comes. Answers come in order: once the next request is answered, the
        // abandoned worker is gone (checking for "only the template" sooner could pass before
        // the template had even forked it).
        QForkRpc *next = QForkRpc::run(QStringLiteral("echo"), this);
        QTRY_VERIFY_WITH_TIMEOUT(next->processId() > 0, 10000);
        QList<qint64> children = childrenOf(getpid());
        std::sort(children.begin(), children.end());
        QCOMPARE(children,
            (QList<qint64> { qMin(templ, next->processId()), qMax(templ, next->processId()) }));
        // And the template still serves.
        QFuture<QVariantList> future = next->call({ 2 });
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result(), QVariantList { 2 });
        delete next;
        QCOMPARE(childrenOf(getpid()), QList<qint64> { templ });
    }

    void workersSeeTheEnvironmentAndDirectoryOfRun_data()
    {
        QTest::addColumn<int>("spawn");
        QTest::addColumn<bool>("async");
        QTest::newRow("template sync") << int(Spawn::Template) << false;
        QTest::newRow("template async") << int(Spawn::Template) << true;
        QTest::newRow("exec sync") << int(Spawn::Exec) << false;
        QTest::newRow("fork sync") << int(Spawn::Fork) << false;
    }

    // The template was forked at the top of main(): 1.0's workers saw the environment and the
    // working directory of that moment.
    void workersSeeTheEnvironmentAndDirectoryOfRun()
    {
        QFETCH(int, spawn);
        QFETCH(bool, async);
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        const QString before = QDir::currentPath();
        qputenv("QFORKRPC_LIFECYCLE_VARIABLE", "set in main() after initialize()");
        QVERIFY(QDir::setCurrent(directory.path()));
        QForkRpc::Options options;
        options.spawn = Spawn(spawn);
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(async ? QStringLiteral("lifecycleEnvironmentAsync")
                                            : QStringLiteral("lifecycleEnvironment"),
            options, this);
        QVERIFY(QDir::setCurrent(before));
        qunsetenv("QFORKRPC_LIFECYCLE_VARIABLE");
        QFuture<QVariantList> future = rpc->call({ QStringLiteral("QFORKRPC_LIFECYCLE_VARIABLE") });
        QTRY_VERIFY(future.isFinished());
        QCOMPARE(future.result(),
            (QVariantList { QStringLiteral("set in main() after initialize()"),
                QDir(directory.path()).canonicalPath() }));
        delete rpc;
    }

    void aWorkerThatClosesItsConnectionAndStaysIsKilled_data()
    {
        QTest::addColumn<bool>("finishFirst");
        QTest::newRow("with a call outstanding") << false;
        QTest::newRow("after finish()") << true;
    }

    // 1.0 saw the end of the stream, then waited for an exit that never came: no error, calls
    // hanging, and no destroyed() after finish().
    void aWorkerThatClosesItsConnectionAndStaysIsKilled()
    {
        QFETCH(bool, finishFirst);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("lifecycleCloseAndStay"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({});
        QTRY_VERIFY(rpc->processId() > 0);
        const qint64 pid = rpc->processId();
        if (finishFirst)
            rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(rpc->state(), State::Ended, 10000);
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(
                     QStringLiteral("closed its connection but kept running")),
            qPrintable(recorder.errors.first()));
        QVERIFY(future.isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, future.result());
        QCOMPARE(recorder.destroyedCount, finishFirst ? 1 : 0);
        QVERIFY(!childrenOf(getpid()).contains(pid)); // killed and reaped
        delete rpc;
    }

    // With SIGCHLD ignored the kernel reaps children itself and their exit status is lost: 1.0
    // reported "exited (its exit status was collected by other code)" after a clean finish().
    void aCleanFinishSaysNothingWhenSigchldIsIgnored()
    {
        const auto previous = ::signal(SIGCHLD, SIG_IGN);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({ 7 });
        rpc->finish();
        QTRY_COMPARE(recorder.destroyedCount, 1);
        ::signal(SIGCHLD, previous);
        QCOMPARE(future.result(), QVariantList { 7 });
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        QCOMPARE(rpc->state(), State::Ended);
        delete rpc;
    }
};

QFORKRPC_TEST_MAIN(tst_Lifecycle)

#include "tst_lifecycle.moc"
