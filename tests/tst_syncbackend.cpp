// SPDX-License-Identifier: MIT
// The sync backend through the parent object: calls, futures, events, ordering, finish, delete.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFutureWatcher>

#include <algorithm>

using Spawn = QForkRpc::Spawn;

class tst_SyncBackend : public QObject
{
    Q_OBJECT

private:
    static void addSpawnColumn()
    {
        QTest::addColumn<Spawn>("spawn");
        QTest::newRow("template") << Spawn::Template;
        QTest::newRow("exec") << Spawn::Exec;
        QTest::newRow("fork") << Spawn::Fork;
    }
    static QForkRpc::Options options(
        Spawn spawn, const QString &serialiser = QStringLiteral("datastream"))
    {
        QForkRpc::Options o;
        o.spawn = spawn;
        o.serialiser = serialiser;
        return o;
    }

private Q_SLOTS:
    void callbackGetsResults_data() { addSpawnColumn(); }
    void callbackGetsResults()
    {
        QFETCH(Spawn, spawn);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), options(spawn), this);
        Recorder recorder(rpc);
        const QVariantList args { 1, QStringLiteral("two"), 3.5, QByteArray("four\0five", 9),
            QVariantMap { { QStringLiteral("k"), QVariantList { true, QVariant() } } } };
        QVariantList got;
        bool called = false;
        rpc->call(args, [&](const QVariantList &results) {
            got = results;
            called = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(called, 10000);
        QCOMPARE(got, args);
        QVERIFY(recorder.errors.isEmpty());
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        delete rpc;
    }

    void futureGetsResults()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
        QFuture<QVariantList> future = rpc->call({ 42, QStringLiteral("x") });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QCOMPARE(future.result(), (QVariantList { 42, QStringLiteral("x") }));
        delete rpc;
    }

    void callsRunOneAtATimeInOrder()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("sleep"), this);
        Recorder recorder(rpc);
        for (int i = 0; i < 10; ++i)
            rpc->call({ (10 - i) * 5, i }, recorder.result(QString::number(i)));
        QCOMPARE(rpc->pendingCalls(), 10);
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QStringList expected;
        for (int i = 0; i < 10; ++i)
            expected << QStringLiteral("result %1: %1").arg(i);
        expected << QStringLiteral("destroyed");
        QCOMPARE(recorder.lines, expected);
        QCOMPARE(rpc->pendingCalls(), 0);
    }

    // Answers of calls queued together leave together, but none waits for a slow call after it:
    // the last call waits for a file that the answer before it makes, and would wait in vain (its
    // ten seconds) if that answer were held back until the call after it returned.
    void aQuickAnswerIsNotHeldBackByTheCallsAfterIt()
    {
        QTemporaryDir dir;
        const QString go = dir.filePath(QStringLiteral("go"));
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("waitForFile"), this);
        QList<QFuture<QVariantList>> quick;
        for (int i = 0; i < 200; ++i)
            quick << rpc->call({ QString(), 0 });
        quick.last().then(this, [go](const QVariantList &) {
            QFile file(go);
            QVERIFY(file.open(QIODevice::WriteOnly));
        });
        QFuture<QVariantList> waiting = rpc->call({ go, 10 });
        QTRY_VERIFY_WITH_TIMEOUT(waiting.isFinished(), 20000);
        QCOMPARE(waiting.result(), QVariantList { true });
        for (const auto &future : quick)
            QCOMPARE(future.result(), QVariantList { true });
        delete rpc;
    }

    void eventsAndResultsKeepTheWorkersOrder()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("events"), this);
        Recorder recorder(rpc);
        QStringList expected;
        for (int call = 0; call < 50; ++call) {
            const int n = call % 4;
            rpc->call({ n }, recorder.result(QString::number(call)));
            for (int i = 1; i <= n; ++i)
                expected << QStringLiteral("event e %1").arg(i);
            expected << QStringLiteral("result %1: %2").arg(call).arg(n);
        }
        rpc->finish();
        expected << QStringLiteral("destroyed");
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.lines, expected);
    }

    void finishRunsEveryQueuedCallThenReapsTheWorker_data() { addSpawnColumn(); }
    void finishRunsEveryQueuedCallThenReapsTheWorker()
    {
        QFETCH(Spawn, spawn);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("sleep"), options(spawn), this);
        Recorder recorder(rpc);
        for (int i = 0; i < 5; ++i)
            rpc->call({ 20, i }, recorder.result(QString::number(i)));
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.lines.size(), 6);
        QCOMPARE(recorder.lines.last(), QStringLiteral("destroyed"));
        QVERIFY(recorder.errors.isEmpty());
        const qint64 pid = rpc->processId();
        QVERIFY(pid > 0);
        QCOMPARE(processState(pid), char(0)); // gone and reaped: not even a zombie
    }

    void callAfterFinishIsReportedAndNeverRuns()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
        Recorder recorder(rpc);
        rpc->call({ 1 }, recorder.result(QStringLiteral("before")));
        rpc->finish();
        bool ran = false;
        rpc->call({ 2 }, [&](const QVariantList &) { ran = true; });
        QFuture<QVariantList> future = rpc->call({ 3 });
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QVERIFY(!ran);
        QVERIFY(future.isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, future.result());
        QCOMPARE(recorder.errors.size(), 2);
        QVERIFY(recorder.errors.at(0).contains(QStringLiteral("after finish()")));
        QCOMPARE(recorder.lines.first(),
            recorder.lines.contains(QStringLiteral("result before: 1")) ? recorder.lines.first()
                                                                        : QString());
        QVERIFY(recorder.lines.contains(QStringLiteral("result before: 1")));
    }

    void exceptionFailsOnlyThatCall()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("throwing"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> failed = rpc->call({ QStringLiteral("bad input") });
        QFuture<QVariantList> second = rpc->call({ QStringLiteral("again") });
        QTRY_VERIFY_WITH_TIMEOUT(failed.isFinished() && second.isFinished(), 10000);
        try {
            failed.result();
            QFAIL("the future did not fail");
        } catch (const std::exception &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("bad input")), e.what());
        }
        QCOMPARE(recorder.errors.size(), 2);
        QVERIFY(recorder.errors.at(0).contains(
            QStringLiteral("a call to 'throwing' failed: uncaught exception: bad input")));
        QVERIFY(processExists(rpc->processId())); // the worker goes on
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.errors.size(), 2);
    }

    void deletingEndsTheWorkerAndDropsCallbacks_data() { addSpawnColumn(); }
    void deletingEndsTheWorkerAndDropsCallbacks()
    {
        QFETCH(Spawn, spawn);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("sleep"), options(spawn), this);
        bool called = false;
        rpc->call({ 60000, 1 }, [&](const QVariantList &) { called = true; });
        QFuture<QVariantList> future = rpc->call({ 1, 2 });
        QTRY_VERIFY_WITH_TIMEOUT(rpc->processId() > 0, 10000);
        const qint64 pid = rpc->processId();
        QElapsedTimer timer;
        timer.start();
        delete rpc;
        QVERIFY2(timer.elapsed() < 5000, "deleting must not wait for the call to end");
        QCOMPARE(processState(pid), char(0));
        QVERIFY(future.isCanceled());
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void deletingRightAfterRunLeavesNoZombie_data() { addSpawnColumn(); }
    void deletingRightAfterRunLeavesNoZombie()
    {
        QFETCH(Spawn, spawn);
        const QList<qint64> before = childrenOf(getpid());
        for (int i = 0; i < 20; ++i)
            delete QForkRpc::run(QStringLiteral("echo"), options(spawn));
        // A template forks in order, and the library's thread kills and reaps each abandoned
        // worker as its answer comes, before it reads the next: once a later worker has answered
        // a call, every earlier one has been forked and dealt with. Without this the check below
        // could pass while the template had not forked the last ones yet.
        QForkRpc *later = QForkRpc::run(QStringLiteral("echo"), options(spawn));
        QFuture<QVariantList> answered = later->call({ 1 });
        QElapsedTimer started;
        started.start();
        while (!answered.isFinished() && started.elapsed() < 10000)
            QTest::qWait(20);
        delete later;
        QVERIFY(answered.isFinished());
        // No child but those there before: a template worker of an earlier row, forked after
        // its owner was deleted, may still be among those and be reaped meanwhile.
        const auto onlyEarlierChildren = [&] {
            const QList<qint64> now = childrenOf(getpid());
            return std::all_of(
                now.begin(), now.end(), [&](qint64 pid) { return before.contains(pid); });
        };
        // Waited on the clock, not by counting QTRY's steps: in one CI run those ran out in well
        // under a second while the template's answers were still coming.
        QElapsedTimer waited;
        waited.start();
        while (!onlyEarlierChildren() && waited.elapsed() < 10000)
            QTest::qWait(20);
        QVERIFY(onlyEarlierChildren());
    }

    void workerStartsClean()
    {
        // A template worker has one thread and no QCoreApplication, whatever the parent has.
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("describe"), this);
        QFuture<QVariantList> future = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        const QVariantList d = future.result();
        QCOMPARE(d.at(0).toLongLong(), rpc->processId());
        QCOMPARE(d.at(1).toLongLong(), qint64(getpid())); // the program's child, not the template's
        QCOMPARE(d.at(2).toInt(), 1);
        QCOMPARE(d.at(3).toBool(), false);
        QCOMPARE(d.at(4).toBool(), true);
        QVERIFY(!QForkRpcChild::isChild());
        delete rpc;
    }
};

QFORKRPC_TEST_MAIN(tst_SyncBackend)
#include "tst_syncbackend.moc"
