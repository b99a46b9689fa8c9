// SPDX-License-Identifier: MIT
// Per-call control: cancelling through the future, timeouts, progress, callbacks bound to a
// context, the kind of each failure, and waitFor(). Each in both backends where both apply.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFutureWatcher>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>

using Kind = QForkRpcError::Kind;

namespace {
QString suffix(bool async)
{
    return async ? QStringLiteral("Async") : QString();
}

QStringList marks(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class tst_PerCall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void backends_data() { addBackendRows(); }

    // A call the worker has not started never runs: here it is in the worker's socket (async:
    // behind a call that blocks the event loop) or already read into its buffer (sync: sent with
    // the call before it) when it is cancelled.
    void aCancelledQueuedCallNeverRuns_data() { backends_data(); }
    void aCancelledQueuedCallNeverRuns()
    {
        QFETCH(bool, async);
        const QString path = m_dir.filePath(QStringLiteral("queued-%1").arg(async));
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("mark") + suffix(async), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> first = rpc->call({ path, QStringLiteral("A"), 400, true });
        QFuture<QVariantList> cancelled = rpc->call({ path, QStringLiteral("B"), 0, true });
        QFuture<QVariantList> last = rpc->call({ path, QStringLiteral("C"), 0, true });
        QCOMPARE(rpc->pendingCalls(), 3);
        QTRY_VERIFY(rpc->state() == QForkRpc::State::Running);
        QTest::qWait(100); // all three are in the worker's hands; the first runs
        cancelled.cancel();
        QVERIFY(cancelled.isCanceled());
        QTRY_VERIFY(cancelled.isFinished());
        QCOMPARE(rpc->pendingCalls(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(last.isFinished(), 10000);
        QCOMPARE(first.result(), QVariantList { QStringLiteral("A") });
        QCOMPARE(last.result(), QVariantList { QStringLiteral("C") });
        QCOMPARE(cancelled.resultCount(), 0);
        QCOMPARE(marks(path), (QStringList { QStringLiteral("A"), QStringLiteral("C") }));
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        QCOMPARE(rpc->pendingCalls(), 0);
        delete rpc;
    }

    // Cancelling before the worker has even started (calls made right after run()).
    void aCallCancelledBeforeTheWorkerStartsNeverRuns_data() { backends_data(); }
    void aCallCancelledBeforeTheWorkerStartsNeverRuns()
    {
        QFETCH(bool, async);
        const QString path = m_dir.filePath(QStringLiteral("early-%1").arg(async));
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("mark") + suffix(async), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> cancelled = rpc->call({ path, QStringLiteral("B"), 0 });
        cancelled.cancel();
        QFuture<QVariantList> last = rpc->call({ path, QStringLiteral("C"), 0 });
        QTRY_VERIFY_WITH_TIMEOUT(last.isFinished(), 10000);
        QVERIFY(cancelled.isFinished() && cancelled.isCanceled());
        QCOMPARE(marks(path), QStringList { QStringLiteral("C") });
        QVERIFY(recorder.errors.isEmpty());
        delete rpc;
    }

    // A running call sees isCancelled() become true; its result is dropped; no error.
    void aRunningCallIsTold_data() { backends_data(); }
    void aRunningCallIsTold()
    {
        QFETCH(bool, async);
        const QString path = m_dir.filePath(QStringLiteral("running-%1").arg(async));
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc
            = QForkRpc::run(QStringLiteral("runUntilCancelled") + suffix(async), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> running = rpc->call({ path, 20 });
        QTRY_VERIFY(rpc->state() == QForkRpc::State::Running);
        QTest::qWait(100);
        running.cancel();
        QVERIFY(running.isCanceled());
        QTRY_VERIFY(running.isFinished());
        QTRY_COMPARE_WITH_TIMEOUT(marks(path), QStringList { QStringLiteral("cancelled") }, 10000);
        // The worker goes on serving; the dropped result does not reach the next call.
        QFuture<QVariantList> next = rpc->call({ path, 0 });
        QTRY_VERIFY_WITH_TIMEOUT(next.isFinished(), 10000);
        QCOMPARE(next.result(), QVariantList { false });
        QCOMPARE(running.resultCount(), 0);
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        delete rpc;
    }

    // Only futures cancel; a callback call goes on, and cancelling a finished future is nothing.
    void cancellingAFinishedFutureChangesNothing()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({ 1 });
        QTRY_VERIFY(future.isFinished());
        future.cancel();
        QTest::qWait(20);
        QCOMPARE(future.result(), QVariantList { 1 });
        QVERIFY(recorder.errors.isEmpty());
        delete rpc;
    }

    // The timeout fails the call (TimedOut, naming the function and the time), kills and reaps
    // the worker, and fails the rest in the same one error().
    void aCallThatTakesTooLongKillsTheWorker_data() { backends_data(); }
    void aCallThatTakesTooLongKillsTheWorker()
    {
        QFETCH(bool, async);
        QForkRpc::Options options;
        options.async = async;
        options.callTimeoutMs = 300;
        const QString function = QStringLiteral("hang") + suffix(async);
        QForkRpc *rpc = QForkRpc::run(function, options, this);
        Recorder recorder(rpc);
        QElapsedTimer timer;
        timer.start();
        QFuture<QVariantList> stuck = rpc->call({});
        QFuture<QVariantList> behind = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(stuck.isFinished(), 10000);
        const qint64 took = timer.elapsed();
        QVERIFY2(took >= 300, qPrintable(QString::number(took)));
        QString message;
        QCOMPARE(kindOf(stuck, &message), int(Kind::TimedOut));
        QVERIFY2(message.contains(function) && message.contains(QStringLiteral("300 ms")),
            qPrintable(message));
        QTRY_VERIFY(behind.isFinished());
        QCOMPARE(kindOf(behind), int(async ? Kind::WorkerDied : Kind::NotRun));
        QTest::qWait(50);
        QCOMPARE(recorder.errors, QStringList { message });
        QCOMPARE(rpc->state(), QForkRpc::State::Ended);
        const qint64 pid = rpc->processId();
        QVERIFY(pid > 0);
        QCOMPARE(processState(pid), char(0)); // killed and reaped: no zombie
        delete rpc;
    }

    // Sync: the clock of a call starts once the calls before it have answered.
    void theSyncTimeoutCountsFromTheCallsTurn()
    {
        const QString path = m_dir.filePath(QStringLiteral("turns"));
        QForkRpc::Options options;
        options.callTimeoutMs = 1500;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("mark"), options, this);
        Recorder recorder(rpc);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 4; ++i)
            futures << rpc->call({ path, QString::number(i), 600 });
        QTRY_VERIFY_WITH_TIMEOUT(futures.last().isFinished(), 20000);
        for (const auto &future : futures)
            QCOMPARE(kindOf(future), -1);
        QCOMPARE(marks(path).size(), 4);
        QVERIFY(recorder.errors.isEmpty());
        delete rpc;
    }

    // Progress reaches a QFutureWatcher while the call runs, before the event that follows it
    // in the worker, and the final value is exact however many updates were made.
    void progressReachesTheFuture_data() { backends_data(); }
    void progressReachesTheFuture()
    {
        QFETCH(bool, async);
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("progress") + suffix(async), options, this);
        Recorder recorder(rpc);
        constexpr int steps = 1000000;
        QFuture<QVariantList> future = rpc->call({ steps });
        QFutureWatcher<QVariantList> watcher;
        QList<int> values;
        int maximum = -1;
        connect(&watcher, &QFutureWatcherBase::progressValueChanged, this,
            [&](int value) { values << value; });
        connect(&watcher, &QFutureWatcherBase::progressRangeChanged, this,
            [&](int, int max) { maximum = max; });
        watcher.setFuture(future);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 20000);
        QCOMPARE(future.result(), QVariantList { steps });
        QCOMPARE(future.progressValue(), steps);
        QCOMPARE(future.progressMaximum(), steps);
        QTRY_VERIFY(!values.isEmpty() && values.last() == steps);
        QCOMPARE(maximum, steps);
        QVERIFY(std::is_sorted(values.begin(), values.end()));
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        delete rpc;
    }

    void progressComesWhileTheCallRunsAndBeforeTheEventAfterIt()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("progress"), this);
        QFuture<QVariantList> future = rpc->call({ 10, 1000 });
        int progressAtEvent = -1;
        connect(rpc, &QForkRpc::event, this, [&] { progressAtEvent = future.progressValue(); });
        QFutureWatcher<QVariantList> watcher;
        bool sawProgressWhileRunning = false;
        connect(&watcher, &QFutureWatcherBase::progressValueChanged, this,
            [&](int value) { sawProgressWhileRunning |= value == 1 && !future.isFinished(); });
        watcher.setFuture(future);
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QCOMPARE(progressAtEvent, 1);
        QVERIFY(sawProgressWhileRunning);
        QCOMPARE(future.progressValue(), 10);
        delete rpc;
    }

    // The callback runs in the context's thread, and never once the context is gone.
    void aCallbackBoundToAContext()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
        bool calledAfterDeath = false;
        auto *gone = new QObject;
        rpc->call({ 1 }, gone, [&](const QVariantList &) { calledAfterDeath = true; });
        delete gone;

        QThread thread;
        thread.start();
        QObject elsewhere;
        elsewhere.moveToThread(&thread);
        std::atomic<QThread *> ranIn { nullptr };
        QVariantList got;
        rpc->call({ 2 }, &elsewhere, [&](const QVariantList &results) {
            got = results;
            ranIn = QThread::currentThread();
        });
        QVariantList here;
        rpc->call({ 3 }, this, [&](const QVariantList &results) { here = results; });
        QTRY_COMPARE(here, QVariantList { 3 });
        QTRY_VERIFY(ranIn.load() != nullptr);
        QCOMPARE(ranIn.load(), &thread);
        QCOMPARE(got, QVariantList { 2 });
        QVERIFY(!calledAfterDeath);
        thread.quit();
        thread.wait();
        delete rpc;
    }

    // Every kind a failed future can carry, apart from WorkerDied and NotRun (tst_errors'
    // deathFailsOutstandingCalls) and TimedOut (above).
    void eachKindOfFailure()
    {
        QForkRpc *unknown = QForkRpc::run(QStringLiteral("no such function"), this);
        connect(unknown, &QForkRpc::error, this, [] {});
        QFuture<QVariantList> neverStarted = unknown->call({});
        QTRY_VERIFY(neverStarted.isFinished());
        QCOMPARE(kindOf(neverStarted), int(Kind::StartFailed));

        QForkRpc *throwing = QForkRpc::run(QStringLiteral("throwing"), this);
        connect(throwing, &QForkRpc::error, this, [] {});
        QFuture<QVariantList> threw = throwing->call({ QStringLiteral("no") });
        QTRY_VERIFY(threw.isFinished());
        QCOMPARE(kindOf(threw), int(Kind::Threw));
        throwing->finish();
        QFuture<QVariantList> refused = throwing->call({});
        QVERIFY(refused.isFinished());
        QCOMPARE(kindOf(refused), int(Kind::Refused));

        QForkRpc *garbage = QForkRpc::run(QStringLiteral("garbage"), this);
        connect(garbage, &QForkRpc::error, this, [] {});
        QFuture<QVariantList> broken = garbage->call({ QByteArray(64, '\x7f') });
        QTRY_VERIFY_WITH_TIMEOUT(broken.isFinished(), 10000);
        QCOMPARE(kindOf(broken), int(Kind::Protocol));
        delete unknown;
        delete throwing;
        delete garbage;
    }

    // waitFor() delivers what comes before the future, in order, without the event loop.
    void waitForDeliversInOrder_data() { backends_data(); }
    void waitForDeliversInOrder()
    {
        QFETCH(bool, async);
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(
            async ? QStringLiteral("MyWorker::runAsync") : QStringLiteral("MyWorker::run"), options,
            this);
        Recorder recorder(rpc);
        const QString missing = m_dir.filePath(QStringLiteral("missing"));
        rpc->call({ QStringLiteral("rmdir"), missing }, recorder.result(QStringLiteral("1")));
        rpc->call({ QStringLiteral("rmdir"), missing }, recorder.result(QStringLiteral("2")));
        QFuture<QVariantList> third = rpc->call({ QStringLiteral("rmdir"), missing });
        QVERIFY(rpc->waitFor(third, 10000)); // no event loop has run since run()
        QVERIFY(third.isFinished());
        QCOMPARE(third.result().value(0).toInt(), 0);
        QCOMPARE(recorder.lines.size(), 3);
        QVERIFY(recorder.lines.at(0).startsWith(QStringLiteral("result 1")));
        QVERIFY(recorder.lines.at(1).startsWith(QStringLiteral("result 2")));
        QCOMPARE(recorder.lines.at(2), QStringLiteral("event 3"));
        delete rpc;
    }

    void waitForGivesUpAfterItsTime()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("hang"), this);
        QFuture<QVariantList> future = rpc->call({});
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!rpc->waitFor(future, 300));
        QVERIFY2(timer.elapsed() >= 300 && timer.elapsed() < 5000,
            qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!future.isFinished());
        delete rpc;
        QVERIFY(future.isCanceled());
    }

    void waitForSeesTheWorkerDie_data() { backends_data(); }
    void waitForSeesTheWorkerDie()
    {
        QFETCH(bool, async);
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("die") + suffix(async), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({ QStringLiteral("segv") });
        QVERIFY(rpc->waitFor(future, 10000));
        QCOMPARE(kindOf(future), int(Kind::WorkerDied));
        QCOMPARE(rpc->state(), QForkRpc::State::Ended);
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(QStringLiteral("signal 11")),
            qPrintable(recorder.errors.first()));
        QCOMPARE(processState(rpc->processId()), char(0));
        delete rpc;
    }

    void waitForRunsTheTimeout()
    {
        QForkRpc::Options options;
        options.callTimeoutMs = 200;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("hang"), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({});
        QVERIFY(rpc->waitFor(future, 10000));
        QCOMPARE(kindOf(future), int(Kind::TimedOut));
        QCOMPARE(recorder.errors.size(), 1);
        delete rpc;
    }

    void waitForAStartThatFailed()
    {
        QForkRpc::Options options;
        options.serialiser = QStringLiteral("no such serialiser");
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({});
        QVERIFY(rpc->waitFor(future, 1000));
        QCOMPARE(kindOf(future), int(Kind::StartFailed));
        QCOMPARE(recorder.errors.size(), 1);
        delete rpc;
    }

    // Found in review: each of these once went wrong.

    void deletingTheObjectWhenACallIsCancelled()
    {
        const QString path = m_dir.filePath(QStringLiteral("delete-on-cancel"));
        QPointer<QForkRpc> rpc = QForkRpc::run(QStringLiteral("runUntilCancelled"), this);
        QFuture<QVariantList> future = rpc->call({ path, 10 });
        QFuture<QVariantList> after = future.onCanceled([&] {
            delete rpc.data();
            return QVariantList();
        });
        QTRY_VERIFY(rpc && rpc->state() == QForkRpc::State::Running);
        future.cancel();
        QTRY_VERIFY(rpc.isNull());
        QVERIFY(future.isCanceled());
    }

    void aCallCancelledAfterFinishNeverRuns_data() { backends_data(); }
    void aCallCancelledAfterFinishNeverRuns()
    {
        QFETCH(bool, async);
        const QString path = m_dir.filePath(QStringLiteral("after-finish-%1").arg(async));
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("mark") + suffix(async), options, this);
        Recorder recorder(rpc);
        rpc->call({ path, QStringLiteral("A"), 400, true });
        QFuture<QVariantList> cancelled = rpc->call({ path, QStringLiteral("B"), 0, true });
        rpc->finish();
        QTest::qWait(100);
        cancelled.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(marks(path), QStringList { QStringLiteral("A") });
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        delete rpc;
    }

    // Cancelled as soon as it was made, on an idle worker: the Cancel leaves with the request.
    void aCallCancelledAtOnceNeverRuns_data() { backends_data(); }
    void aCallCancelledAtOnceNeverRuns()
    {
        QFETCH(bool, async);
        const QString path = m_dir.filePath(QStringLiteral("at-once-%1").arg(async));
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("mark") + suffix(async), options, this);
        Recorder recorder(rpc);
        QTRY_VERIFY(rpc->state() == QForkRpc::State::Running);
        for (int i = 0; i < 20; ++i) {
            QFuture<QVariantList> future = rpc->call({ path, QString::number(i), 0 });
            future.cancel();
            QTest::qWait(5);
        }
        QFuture<QVariantList> last = rpc->call({ path, QStringLiteral("last"), 0 });
        QTRY_VERIFY_WITH_TIMEOUT(last.isFinished(), 10000);
        QCOMPARE(marks(path), QStringList { QStringLiteral("last") });
        QVERIFY(recorder.errors.isEmpty());
        delete rpc;
    }

    void waitForSeesACancel()
    {
        const QString path = m_dir.filePath(QStringLiteral("wait-cancel"));
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("mark"), this);
        QFuture<QVariantList> first = rpc->call({ path, QStringLiteral("A"), 600 });
        QFuture<QVariantList> cancelled = rpc->call({ path, QStringLiteral("B"), 0 });
        QVERIFY(rpc->waitFor(first, 100) == false); // A runs; B waits in the worker
        cancelled.cancel();
        QVERIFY(rpc->waitFor(cancelled, 5000));
        QVERIFY(rpc->waitFor(first, 5000));
        QFuture<QVariantList> last = rpc->call({ path, QStringLiteral("C"), 0 });
        QVERIFY(rpc->waitFor(last, 5000));
        QCOMPARE(marks(path), (QStringList { QStringLiteral("A"), QStringLiteral("C") }));

        QFuture<QVariantList> running = rpc->call({ path, QStringLiteral("D"), 0 });
        QVERIFY(rpc->waitFor(running, 5000));
        delete rpc;
    }

    void aThreadOfTheCallSeesTheCancel()
    {
        const QString path = m_dir.filePath(QStringLiteral("thread"));
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("runUntilCancelledInAThread"), this);
        QFuture<QVariantList> future = rpc->call({ path, 20 });
        QTRY_VERIFY(rpc->state() == QForkRpc::State::Running);
        QTest::qWait(100);
        future.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(marks(path), QStringList { QStringLiteral("cancelled") }, 10000);
        delete rpc;
    }

    void aHandleUsedAfterTheWorkerEndedDoesNothing()
    {
        QForkRpc::Options options;
        options.async = true;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("doneAgainAtExitAsync"), options, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({ 1 });
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(future.result(), QVariantList { 1 });
        QVERIFY2(recorder.errors.isEmpty(), qPrintable(recorder.errors.join(QLatin1Char('\n'))));
        delete rpc;
    }

    void aWorkerThatDiesBeforeReadySaysItsCallsNeverRan()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("no such function"), this);
        Recorder recorder(rpc);
        rpc->call({});
        rpc->call({});
        QTRY_COMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().endsWith(
                     QStringLiteral("; 2 call(s) never ran (safe to repeat)")),
            qPrintable(recorder.errors.first()));
        delete rpc;
    }

private:
    QTemporaryDir m_dir;
};

QFORKRPC_TEST_MAIN(tst_PerCall)

#include "tst_percall.moc"
