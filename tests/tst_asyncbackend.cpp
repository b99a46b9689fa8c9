// SPDX-License-Identifier: MIT
// The async backend: concurrent calls finished by done(), events, ordering, finish.
#include "testmain.h"
#include "testsupport.h"

using Spawn = QForkRpc::Spawn;

class tst_AsyncBackend : public QObject
{
    Q_OBJECT

private:
    static QForkRpc::Options async(Spawn spawn = Spawn::Auto)
    {
        QForkRpc::Options o;
        o.async = true;
        o.spawn = spawn;
        return o;
    }

private Q_SLOTS:
    void callsRunConcurrently_data()
    {
        QTest::addColumn<Spawn>("spawn");
        QTest::newRow("template") << Spawn::Template;
        QTest::newRow("exec") << Spawn::Exec;
    }
    void callsRunConcurrently()
    {
        // Started slowest first; with all three running at once they finish fastest first.
        QFETCH(Spawn, spawn);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("delayedEcho"), async(spawn), this);
        Recorder recorder(rpc);
        rpc->call({ 600, QStringLiteral("slow") }, recorder.result(QStringLiteral("1")));
        rpc->call({ 300, QStringLiteral("medium") }, recorder.result(QStringLiteral("2")));
        rpc->call({ 0, QStringLiteral("fast") }, recorder.result(QStringLiteral("3")));
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.lines,
            (QStringList { QStringLiteral("result 3: 0 fast"),
                QStringLiteral("result 2: 300 medium"), QStringLiteral("result 1: 600 slow"),
                QStringLiteral("destroyed") }));
    }

    void doneBeforeOrAfterReturning()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echoAsync"), async(), this);
        QForkRpc *later = QForkRpc::run(QStringLiteral("delayedEcho"), async(), this);
        QFuture<QVariantList> now = rpc->call({ QStringLiteral("now") });
        QFuture<QVariantList> afterwards = later->call({ 10, QStringLiteral("later") });
        QTRY_VERIFY_WITH_TIMEOUT(now.isFinished() && afterwards.isFinished(), 10000);
        QCOMPARE(now.result(), QVariantList { QStringLiteral("now") });
        QCOMPARE(afterwards.result(), (QVariantList { 10, QStringLiteral("later") }));
        delete rpc;
        delete later;
    }

    void eventsAndResultsKeepTheWorkersOrder()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("eventsAsync"), async(), this);
        Recorder recorder(rpc);
        QStringList expected;
        for (int call = 0; call < 100; ++call) {
            const int n = call % 5;
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

    void manyCallsInFlight()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echoAsync"), async(), this);
        Recorder recorder(rpc);
        int answered = 0;
        bool allRight = true;
        for (int i = 0; i < 5000; ++i)
            rpc->call({ i, QString::number(i) }, [&, i](const QVariantList &r) {
                allRight = allRight && r == QVariantList { i, QString::number(i) } && answered == i;
                ++answered;
            });
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 20000);
        QCOMPARE(answered, 5000);
        QVERIFY(allRight);
        QVERIFY(recorder.errors.isEmpty());
    }

    void finishWaitsForEveryOutstandingCall()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("delayedEcho"), async(), this);
        Recorder recorder(rpc);
        for (int i = 0; i < 5; ++i)
            rpc->call({ 50 * i, i }, recorder.result(QString::number(i)));
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.lines.size(), 6);
        QCOMPARE(recorder.lines.last(), QStringLiteral("destroyed"));
        QVERIFY(recorder.errors.isEmpty());
        QCOMPARE(processState(rpc->processId()), char(0));
    }

    void exceptionFailsOnlyThatCall()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("throwingAsync"), async(), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> failed = rpc->call({ QStringLiteral("broken") });
        QTRY_VERIFY_WITH_TIMEOUT(failed.isFinished(), 10000);
        QVERIFY_THROWS_EXCEPTION(std::exception, failed.result());
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY(recorder.errors.at(0).contains(
            QStringLiteral("a call to 'throwingAsync' failed: uncaught exception: broken")));
        QFuture<QVariantList> again = rpc->call({ QStringLiteral("again") });
        QTRY_VERIFY_WITH_TIMEOUT(again.isFinished(), 10000);
        QCOMPARE(recorder.errors.size(), 2); // the worker is still there to fail it again
        QVERIFY(processExists(rpc->processId()));
        delete rpc;
    }

    void doneCalledTwiceIsReported()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("doneTwice"), async(), this);
        Recorder recorder(rpc);
        rpc->call({ 7 }, recorder.result(QStringLiteral("once")));
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.lines.value(0), QStringLiteral("result once: 7"));
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY(recorder.errors.at(0).contains(QStringLiteral("more than once")));
    }

    void workerRunsItsOwnApplication()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("describeAsync"), async(), this);
        QFuture<QVariantList> future = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        const QVariantList d = future.result();
        QCOMPARE(d.at(0).toLongLong(), rpc->processId());
        QCOMPARE(d.at(3).toBool(), true); // a QCoreApplication of its own
        QCOMPARE(d.at(4).toBool(), true);
        delete rpc;
    }

    void finishWithNothingQueued()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echoAsync"), async(), this);
        Recorder recorder(rpc);
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QVERIFY(recorder.errors.isEmpty());
    }
};

QFORKRPC_TEST_MAIN(tst_AsyncBackend)
#include "tst_asyncbackend.moc"
