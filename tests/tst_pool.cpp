// SPDX-License-Identifier: MIT
// QForkRpcPool: scheduling (max, idle, load, start and stop delays, order), recycling, faults
// (a dead worker's calls go elsewhere or are retried, a worker that cannot start fails the waiting
// calls once), per-call control through the pool (cancel, cancelKillAfterMs, timeouts, progress,
// context callbacks), retire(), finish() and deletion. After every test no worker is left, no
// zombie, no descriptor.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>

#include <thread>

using Kind = QForkRpcError::Kind;

namespace {
QString task(bool async)
{
    return async ? QStringLiteral("poolTaskAsync") : QStringLiteral("poolTask");
}

qint64 pidOf(const QFuture<QVariantList> &future)
{
    return future.isFinished() && future.resultCount() == 1 ? future.result().value(0).toLongLong()
                                                            : -1;
}

bool allFinished(const QList<QFuture<QVariantList>> &futures)
{
    return std::all_of(futures.begin(), futures.end(),
        [](const QFuture<QVariantList> &future) { return future.isFinished(); });
}

// Records what a pool says.
struct PoolRecorder
{
    explicit PoolRecorder(QForkRpcPool *pool)
    {
        QObject::connect(pool, &QForkRpcPool::error, [this](const QString &m) { errors << m; });
        QObject::connect(
            pool, &QForkRpcPool::event, [this](const QVariantList &args) { events << args; });
        QObject::connect(pool, &QForkRpcPool::destroyed, [this] { ++destroyedCount; });
    }
    QStringList errors;
    QList<QVariantList> events;
    int destroyedCount = 0;
};

QForkRpcPool::Options quickOptions(bool async, int max, int load)
{
    QForkRpcPool::Options options;
    options.worker.async = async;
    options.max = max;
    options.load = load;
    options.startDelayMs = 0;
    return options;
}
} // namespace

class tst_Pool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_templateAndFriends = childrenOf(getpid()).size();
        m_descriptors = openDescriptorCount();
    }

    // Nothing is left behind by any test: no worker, no zombie, no descriptor.
    void cleanup()
    {
        QTRY_COMPARE_WITH_TIMEOUT(childrenOf(getpid()).size(), m_templateAndFriends, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), m_descriptors, 5000);
    }

    void backends_data() { addBackendRows(); }

    // Calls spread over `max` workers, at most `load` each; the rest wait in order.
    void callsSpreadOverWorkersWithinMaxAndLoad_data() { backends_data(); }
    void callsSpreadOverWorkersWithinMaxAndLoad()
    {
        QFETCH(bool, async);
        auto *pool = QForkRpcPool::run(task(async), quickOptions(async, 3, 1), this);
        PoolRecorder recorder(pool);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 9; ++i)
            futures << pool->call({ QStringLiteral("sleep"), 150 });
        QCOMPARE(pool->pendingCalls(), 9);
        QCOMPARE(pool->workerCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 20000);
        QSet<qint64> pids;
        for (const auto &future : futures)
            pids << pidOf(future);
        QCOMPARE(pids.size(), 3);
        QVERIFY(!pids.contains(-1));
        QCOMPARE(pool->pendingCalls(), 0);
        QVERIFY(recorder.errors.isEmpty());
        delete pool;
    }

    // A worker is never given more than `load` calls: the async worker runs all it is given at
    // once, and counts them.
    void aWorkerRunsAtMostLoadCalls()
    {
        auto *pool = QForkRpcPool::run(task(true), quickOptions(true, 2, 3), this);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 12; ++i)
            futures << pool->call({ QStringLiteral("sleep"), 200 });
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 20000);
        int most = 0;
        for (const auto &future : futures)
            most = qMax(most, future.result().value(1).toInt());
        QCOMPARE(most, 3);
        delete pool;
    }

    // With one worker, calls run in the order they were made.
    void callsRunInOrder_data() { backends_data(); }
    void callsRunInOrder()
    {
        QFETCH(bool, async);
        auto *pool = QForkRpcPool::run(async ? QStringLiteral("echoAsync") : QStringLiteral("echo"),
            quickOptions(async, 1, 2), this);
        QList<int> order;
        for (int i = 0; i < 50; ++i)
            pool->call({ i }, [&order](const QVariantList &r) { order << r.value(0).toInt(); });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 50, 10000);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(order.at(i), i);
        QCOMPARE(pool->workerCount(), 1);
        delete pool;
    }

    // idle workers start at once and are kept; others are finished after stopDelayMs idle.
    void idleWorkersAreKeptAndOthersStopAfterTheDelay()
    {
        QForkRpcPool::Options options = quickOptions(false, 4, 1);
        options.idle = 1;
        options.stopDelayMs = 200;
        auto *pool = QForkRpcPool::run(task(false), options, this);
        QCOMPARE(pool->workerCount(), 1);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 4; ++i)
            futures << pool->call({ QStringLiteral("sleep"), 100 });
        QCOMPARE(pool->workerCount(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(pool->workerCount(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(childrenOf(getpid()).size(), m_templateAndFriends + 1, 10000);
        QTest::qWait(400);
        QCOMPARE(pool->workerCount(), 1); // idle: kept
        delete pool;
    }

    // Every worker at its load: the next one starts startDelayMs after the last.
    void startDelaySpacesNewWorkers()
    {
        QForkRpcPool::Options options = quickOptions(false, 3, 1);
        options.startDelayMs = 1500;
        auto *pool = QForkRpcPool::run(task(false), options, this);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 3; ++i)
            futures << pool->call({ QStringLiteral("sleep"), 3000 });
        QCOMPARE(pool->workerCount(), 1); // the first starts at once
        QTest::qWait(300);
        QCOMPARE(pool->workerCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(pool->workerCount(), 2, 10000);
        delete pool; // kills them
        for (const auto &future : futures)
            QVERIFY(future.isCanceled());
    }

    // maxCallsPerWorker: every worker is replaced after that many calls.
    void workersAreRecycledAfterMaxCalls_data() { backends_data(); }
    void workersAreRecycledAfterMaxCalls()
    {
        QFETCH(bool, async);
        QForkRpcPool::Options options = quickOptions(async, 2, 1);
        options.maxCallsPerWorker = 2;
        auto *pool = QForkRpcPool::run(task(async), options, this);
        PoolRecorder recorder(pool);
        // Workers that leave still count towards max while they run calls: never a crowd.
        int mostChildren = 0;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this,
            [&] { mostChildren = qMax(mostChildren, int(childrenOf(getpid()).size())); });
        sampler.start(2);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 12; ++i)
            futures << pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 20000);
        sampler.stop();
        QVERIFY2(mostChildren <= m_templateAndFriends + 2 * 2,
            qPrintable(QString::number(mostChildren)));
        QHash<qint64, int> callsPerPid;
        for (const auto &future : futures)
            ++callsPerPid[pidOf(future)];
        QVERIFY(!callsPerPid.contains(-1));
        QVERIFY2(callsPerPid.size() >= 6, qPrintable(QString::number(callsPerPid.size())));
        for (int calls : std::as_const(callsPerPid))
            QVERIFY(calls <= 2);
        QVERIFY(recorder.errors.isEmpty());
        delete pool;
    }

    // A dead worker takes only what it ran: its queued calls go to another worker, one error()
    // names its pid, and the pool carries on.
    void aDeadWorkersQueuedCallsGoToAnother()
    {
        auto *pool = QForkRpcPool::run(task(false), quickOptions(false, 1, 3), this);
        PoolRecorder recorder(pool);
        QFuture<QVariantList> dying = pool->call({ QStringLiteral("die") });
        QFuture<QVariantList> second = pool->call({});
        QFuture<QVariantList> third = pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(allFinished({ dying, second, third }), 10000);
        QString message;
        QCOMPARE(kindOf(dying, &message), int(Kind::WorkerDied));
        QVERIFY(pidOf(second) > 0);
        QCOMPARE(pidOf(second), pidOf(third));
        QCOMPARE(recorder.errors.size(), 1);
        QCOMPARE(recorder.errors.first(), message);
        QVERIFY2(message.contains(QStringLiteral("signal 9")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("2 call(s) went to another worker")),
            qPrintable(message));
        // The pool still works.
        QFuture<QVariantList> after = pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(after.isFinished(), 10000);
        QVERIFY(pidOf(after) > 0);
        delete pool;
    }

    // retries: a call whose worker died runs again on another worker.
    void retriesRunACallAgainOnAnotherWorker_data() { backends_data(); }
    void retriesRunACallAgainOnAnotherWorker()
    {
        QFETCH(bool, async);
        const QString marker = m_dir.filePath(QStringLiteral("dieOnce-%1").arg(async));
        QForkRpcPool::Options options = quickOptions(async, 2, 1);
        options.retries = 1;
        auto *pool = QForkRpcPool::run(task(async), options, this);
        PoolRecorder recorder(pool);
        QFuture<QVariantList> future = pool->call({ QStringLiteral("dieOnce"), marker });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QVERIFY(pidOf(future) > 0);
        QCOMPARE(recorder.errors.size(), 1); // the death is still reported

        // Without retries it fails.
        QFile::remove(marker);
        options.retries = 0;
        auto *strict = QForkRpcPool::run(task(async), options, this);
        QFuture<QVariantList> failing = strict->call({ QStringLiteral("dieOnce"), marker });
        QTRY_VERIFY_WITH_TIMEOUT(failing.isFinished(), 10000);
        QCOMPARE(kindOf(failing), int(Kind::WorkerDied));
        delete strict;
        delete pool;
    }

    // A worker that cannot start fails the waiting calls with its error, once, and the pool does
    // not start worker after worker; a later call tries again.
    void aWorkerThatCannotStartFailsTheCallsWithoutALoop_data() { backends_data(); }
    void aWorkerThatCannotStartFailsTheCallsWithoutALoop()
    {
        QFETCH(bool, async);
        QForkRpcPool::Options options = quickOptions(async, 4, 1);
        options.startDelayMs = 100;
        options.idle = 2;
        auto *pool = QForkRpcPool::run(QStringLiteral("noSuchFunction"), options, this);
        PoolRecorder recorder(pool);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 10; ++i)
            futures << pool->call({ i });
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 10000);
        for (const auto &future : futures) {
            QString message;
            QCOMPARE(kindOf(future, &message), int(Kind::StartFailed));
            QVERIFY2(message.contains(QStringLiteral("noSuchFunction")), qPrintable(message));
        }
        QTRY_COMPARE(pool->workerCount(), 0);
        const int errors = recorder.errors.size();
        QVERIFY2(errors >= 1 && errors <= 4, qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        QTest::qWait(500);
        QCOMPARE(pool->workerCount(), 0); // no restart loop, idle or not
        QCOMPARE(recorder.errors.size(), errors);
        QFuture<QVariantList> again = pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(again.isFinished(), 10000);
        QCOMPARE(kindOf(again), int(Kind::StartFailed));
        delete pool;
    }

    // A call cancelled while it waits in the pool never runs; nothing is said.
    void aCancelledWaitingCallNeverRuns_data() { backends_data(); }
    void aCancelledWaitingCallNeverRuns()
    {
        QFETCH(bool, async);
        const QString path = m_dir.filePath(QStringLiteral("waiting-%1").arg(async));
        auto *pool = QForkRpcPool::run(async ? QStringLiteral("markAsync") : QStringLiteral("mark"),
            quickOptions(async, 1, 1), this);
        PoolRecorder recorder(pool);
        QFuture<QVariantList> first = pool->call({ path, QStringLiteral("A"), 300 });
        QFuture<QVariantList> waiting = pool->call({ path, QStringLiteral("B"), 0 });
        QCOMPARE(pool->pendingCalls(), 2);
        waiting.cancel();
        QVERIFY(waiting.isCanceled());
        QTRY_VERIFY(waiting.isFinished());
        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished(), 10000);
        QTest::qWait(100);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("A\n"));
        QVERIFY(recorder.errors.isEmpty());
        QCOMPARE(pool->pendingCalls(), 0);
        delete pool;
    }

    // A running call that ignores its cancel: its worker is killed after cancelKillAfterMs and
    // replaced, without an error(), and the calls queued behind it run elsewhere.
    void aCancelledCallThatRunsOnIsKilled()
    {
        QForkRpcPool::Options options = quickOptions(false, 1, 2);
        options.cancelKillAfterMs = 200;
        auto *pool = QForkRpcPool::run(task(false), options, this);
        PoolRecorder recorder(pool);
        QFuture<QVariantList> stuck = pool->call({ QStringLiteral("sleep"), 60000 });
        QFuture<QVariantList> behind = pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(!recorder.events.isEmpty(), 10000); // it runs: "sleeping"
        const QList<qint64> before = childrenOf(getpid());
        stuck.cancel();
        QTRY_VERIFY(stuck.isFinished());
        QTRY_VERIFY_WITH_TIMEOUT(behind.isFinished(), 10000);
        QVERIFY(pidOf(behind) > 0);
        QVERIFY(!before.contains(pidOf(behind))); // a fresh worker ran it
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        delete pool;
    }

    // callTimeoutMs in a pool: the stuck call fails TimedOut, only its worker is killed.
    void aTimeoutKillsOnlyThatWorker()
    {
        QForkRpcPool::Options options = quickOptions(false, 2, 1);
        options.worker.callTimeoutMs = 2000; // generous: valgrind runs the workers too
        auto *pool = QForkRpcPool::run(task(false), options, this);
        PoolRecorder recorder(pool);
        QFuture<QVariantList> stuck = pool->call({ QStringLiteral("sleep"), 60000 });
        QFuture<QVariantList> fine = pool->call({ QStringLiteral("sleep"), 100 });
        QTRY_VERIFY_WITH_TIMEOUT(allFinished({ stuck, fine }), 10000);
        QCOMPARE(kindOf(stuck), int(Kind::TimedOut));
        QVERIFY(pidOf(fine) > 0);
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY(recorder.errors.first().contains(QStringLiteral("2000 ms")));
        QFuture<QVariantList> after = pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(after.isFinished(), 10000);
        QVERIFY(pidOf(after) > 0);
        delete pool;
    }

    // maxQueuedCalls: calls beyond it fail at once with Refused and an error().
    void callsBeyondMaxQueuedCallsAreRefused()
    {
        QForkRpcPool::Options options = quickOptions(false, 1, 1);
        options.maxQueuedCalls = 2;
        auto *pool = QForkRpcPool::run(task(false), options, this);
        PoolRecorder recorder(pool);
        QList<QFuture<QVariantList>> accepted;
        for (int i = 0; i < 3; ++i)
            accepted << pool->call({ QStringLiteral("sleep"), 50 });
        QFuture<QVariantList> refused = pool->call({});
        QVERIFY(refused.isFinished());
        QCOMPARE(kindOf(refused), int(Kind::Refused));
        QTRY_COMPARE(recorder.errors.size(), 1);
        QVERIFY(recorder.errors.first().contains(QStringLiteral("maxQueuedCalls")));
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(accepted), 10000);
        for (const auto &future : accepted)
            QVERIFY(pidOf(future) > 0);
        delete pool;
    }

    // QForkRpcChild::retire(): the worker answers, takes no new call and exits; another takes
    // its place.
    void aRetiringWorkerIsReplaced_data() { backends_data(); }
    void aRetiringWorkerIsReplaced()
    {
        QFETCH(bool, async);
        auto *pool = QForkRpcPool::run(task(async), quickOptions(async, 1, 1), this);
        PoolRecorder recorder(pool);
        QFuture<QVariantList> retiring = pool->call({ QStringLiteral("retire") });
        QFuture<QVariantList> next = pool->call({});
        QTRY_VERIFY_WITH_TIMEOUT(allFinished({ retiring, next }), 10000);
        QVERIFY(pidOf(retiring) > 0);
        QVERIFY(pidOf(next) > 0);
        QVERIFY(pidOf(retiring) != pidOf(next));
        QTRY_VERIFY(!processExists(pidOf(retiring)));
        QVERIFY(recorder.errors.isEmpty());
        delete pool;
    }

    // A lone QForkRpc treats retire() as finish().
    void aLoneWorkerThatRetiresFinishes()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("poolTask"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> retiring = rpc->call({ QStringLiteral("retire") });
        QTRY_COMPARE(recorder.destroyedCount, 1);
        QVERIFY(pidOf(retiring) > 0);
        QCOMPARE(rpc->state(), QForkRpc::State::Ended);
        QVERIFY(recorder.errors.isEmpty());
        delete rpc;
    }

    // finish(): calls made before still run, later ones are refused, then destroyed().
    void finishRunsWhatWasCalledThenSaysDestroyed_data() { backends_data(); }
    void finishRunsWhatWasCalledThenSaysDestroyed()
    {
        QFETCH(bool, async);
        auto *pool = QForkRpcPool::run(task(async), quickOptions(async, 2, 1), this);
        PoolRecorder recorder(pool);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 6; ++i)
            futures << pool->call({ QStringLiteral("sleep"), 20 });
        pool->finish();
        QFuture<QVariantList> late = pool->call({});
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QVERIFY(allFinished(futures));
        for (const auto &future : futures)
            QVERIFY(pidOf(future) > 0);
        QCOMPARE(kindOf(late), int(Kind::Refused));
        QCOMPARE(recorder.errors.size(), 1);
        QCOMPARE(pool->workerCount(), 0);
        delete pool;
    }

    // finish() on a pool with nothing to do still says destroyed(), once.
    void finishingAnIdlePoolSaysDestroyed()
    {
        QForkRpcPool::Options options = quickOptions(false, 2, 1);
        options.idle = 2;
        auto *pool = QForkRpcPool::run(task(false), options, this);
        PoolRecorder recorder(pool);
        pool->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(pool->workerCount(), 0);
        QTest::qWait(100);
        QCOMPARE(recorder.destroyedCount, 1);
        delete pool;
    }

    // Deleting the pool kills every worker at once and drops callbacks.
    void deletingThePoolKillsItsWorkers()
    {
        auto *pool = QForkRpcPool::run(task(false), quickOptions(false, 2, 2), this);
        PoolRecorder recorder(pool);
        bool called = false;
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 4; ++i)
            futures << pool->call({ QStringLiteral("sleep"), 60000 });
        pool->call(
            { QStringLiteral("sleep"), 60000 }, [&called](const QVariantList &) { called = true; });
        // Both workers said hello and run a call ("sleeping"): a worker whose pid the template
        // has not sent yet would be reaped by the library when it comes, not at once.
        QTRY_COMPARE_WITH_TIMEOUT(recorder.events.size(), 2, 10000);
        QCOMPARE(childrenOf(getpid()).size(), m_templateAndFriends + 2);
        delete pool;
        QCOMPARE(childrenOf(getpid()).size(), m_templateAndFriends);
        for (const auto &future : futures)
            QVERIFY(future.isCanceled() && future.isFinished());
        QTest::qWait(50);
        QVERIFY(!called);
    }

    // Progress reaches a pool call's future; events come from every worker.
    void progressAndEventsComeThroughThePool_data() { backends_data(); }
    void progressAndEventsComeThroughThePool()
    {
        QFETCH(bool, async);
        auto *progressPool = QForkRpcPool::run(
            async ? QStringLiteral("progressAsync") : QStringLiteral("progress"),
            quickOptions(async, 2, 1), this);
        QFuture<QVariantList> progress = progressPool->call({ 1000 });
        QTRY_VERIFY_WITH_TIMEOUT(progress.isFinished(), 10000);
        QCOMPARE(progress.progressValue(), 1000);
        QCOMPARE(progress.progressMaximum(), 1000);
        delete progressPool;

        auto *pool = QForkRpcPool::run(task(async), quickOptions(async, 2, 1), this);
        PoolRecorder recorder(pool);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 4; ++i)
            futures << pool->call({ QStringLiteral("event") });
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 10000);
        QCOMPARE(recorder.events.size(), 4);
        for (const QVariantList &event : std::as_const(recorder.events))
            QCOMPARE(event.value(0).toString(), QStringLiteral("from"));
        delete pool;
    }

    // A callback with a context object is dropped once the context is gone.
    void contextCallbacksAreDroppedWithTheirContext()
    {
        auto *pool = QForkRpcPool::run(task(false), quickOptions(false, 1, 2), this);
        int delivered = 0;
        auto *gone = new QObject;
        QObject kept;
        pool->call(
            { QStringLiteral("sleep"), 100 }, gone, [&](const QVariantList &) { ++delivered; });
        pool->call({}, &kept, [&](const QVariantList &) { delivered += 10; });
        delete gone;
        QTRY_COMPARE_WITH_TIMEOUT(delivered, 10, 10000);
        QTest::qWait(50);
        QCOMPARE(delivered, 10);
        delete pool;
    }

    // Calls from another thread are made in the pool's thread.
    void callsFromAnotherThread()
    {
        auto *pool = QForkRpcPool::run(QStringLiteral("echo"), quickOptions(false, 2, 2), this);
        QList<QFuture<QVariantList>> futures;
        std::thread other([&] {
            for (int i = 0; i < 20; ++i)
                futures << pool->call({ i });
        });
        other.join();
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(futures), 10000);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(futures.at(i).result().value(0).toInt(), i);
        delete pool;
    }

private:
    QTemporaryDir m_dir;
    int m_templateAndFriends = 0;
    int m_descriptors = 0;
};

QFORKRPC_TEST_MAIN(tst_Pool)
#include "tst_pool.moc"
