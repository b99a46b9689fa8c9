// SPDX-License-Identifier: MIT
// Load: a million small calls through one worker and through a pool of four, ten thousand
// spawn/finish cycles, and a thousand worker recycles in a pool. The parent's memory and
// descriptors must stay flat and every result must be right. The figures are printed (qInfo) for
// the README; QFORKRPC_LOAD_SCALE (default 1) scales the counts down for slow builds such as the
// sanitizer run.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QSet>
#include <QtCore/QTimer>

namespace {

int scaled(int count)
{
    bool ok = false;
    const double scale = qEnvironmentVariable("QFORKRPC_LOAD_SCALE").toDouble(&ok);
    return ok && scale > 0 ? qMax(1, int(count * scale)) : count;
}
} // namespace

class tst_Load : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aMillionCallsThroughOneWorker_data() { addBackendRows(); }
    void aMillionCallsThroughOneWorker()
    {
        QFETCH(bool, async);
        QForkRpc::Options o;
        o.async = async;
        o.serialiser = QStringLiteral("octets");
        QForkRpc *rpc
            = QForkRpc::run(async ? QStringLiteral("echoAsync") : QStringLiteral("echo"), o, this);
        streamEchoCalls(rpc, async ? "async" : "sync");
        delete rpc;
    }

    // The same through a pool of four workers: the pool's queue and bookkeeping stay flat too.
    void aMillionCallsThroughAPoolOfFour_data() { aMillionCallsThroughOneWorker_data(); }
    void aMillionCallsThroughAPoolOfFour()
    {
        QFETCH(bool, async);
        QForkRpcPool::Options o;
        o.worker.async = async;
        o.worker.serialiser = QStringLiteral("octets");
        o.max = 4;
        o.idle = 4;
        o.load = 64;
        QForkRpcPool *pool = QForkRpcPool::run(
            async ? QStringLiteral("echoAsync") : QStringLiteral("echo"), o, this);
        streamEchoCalls(pool, async ? "pool of 4, async" : "pool of 4, sync");
        QCOMPARE(pool->workerCount(), 4);
        delete pool;
    }

    // maxCallsPerWorker = 1: every call gets a fresh worker, and a thousand of them leave nothing.
    void aThousandWorkerRecyclesInAPool()
    {
        const int calls = scaled(1000);
        const QList<qint64> children = childrenOf(getpid());
        QForkRpcPool::Options o;
        o.max = 2;
        o.maxCallsPerWorker = 1;
        o.startDelayMs = 0;
        QForkRpcPool *pool = QForkRpcPool::run(QStringLiteral("poolTask"), o, this);
        QStringList errors;
        connect(pool, &QForkRpcPool::error, this, [&errors](const QString &m) { errors << m; });
        QSet<qint64> pids;
        auto recycle = [&](int count) {
            int answered = 0;
            for (int i = 0; i < count; ++i)
                pool->call({}, [&](const QVariantList &r) {
                    pids << r.value(0).toLongLong();
                    ++answered;
                });
            QTRY_COMPARE_WITH_TIMEOUT(answered, count, 600000);
        };
        recycle(20); // warm up
        QTRY_COMPARE(pool->workerCount(), 0);
        const qint64 rssBefore = residentKiB();
        const int fdsBefore = openDescriptorCount();
        QElapsedTimer timer;
        timer.start();
        recycle(calls);
        QTRY_COMPARE(pool->workerCount(), 0);
        const qint64 elapsed = timer.elapsed();
        const qint64 rssAfter = residentKiB();
        const int fdsAfter = openDescriptorCount();
        qInfo("%d worker recycles in a pool in %lld ms (%.0f us each); parent RSS %lld -> %lld kB, "
              "descriptors %d -> %d",
            calls, elapsed, elapsed * 1000.0 / calls, rssBefore, rssAfter, fdsBefore, fdsAfter);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        QCOMPARE(pids.size(), calls + 20); // one worker per call
        QCOMPARE(fdsAfter, fdsBefore);
        QCOMPARE(childrenOf(getpid()), children);
        QVERIFY2(
            grewLessThan(rssBefore, rssAfter, 16 * 1024), "the parent's memory must stay flat");
        delete pool;
    }

    void tenThousandSpawnFinishCycles()
    {
        const int cycles = scaled(10000);
        const QList<qint64> children = childrenOf(getpid());
        // Warm up: the first cycles allocate what Qt keeps for good (event dispatcher tables).
        for (int i = 0; i < 20; ++i)
            QVERIFY(cycle(i));
        const qint64 rssBefore = residentKiB();
        const int fdsBefore = openDescriptorCount();
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < cycles; ++i)
            QVERIFY2(cycle(i), qPrintable(QStringLiteral("cycle %1").arg(i)));
        const qint64 elapsed = timer.elapsed();
        const qint64 rssAfter = residentKiB();
        const int fdsAfter = openDescriptorCount();
        qInfo("%d spawn/call/finish cycles in %lld ms (%.0f us each); parent RSS %lld -> %lld kB, "
              "descriptors %d -> %d",
            cycles, elapsed, elapsed * 1000.0 / cycles, rssBefore, rssAfter, fdsBefore, fdsAfter);
        QCOMPARE(fdsAfter, fdsBefore);
        QCOMPARE(childrenOf(getpid()), children);
        QVERIFY2(
            grewLessThan(rssBefore, rssAfter, 16 * 1024), "the parent's memory must stay flat");
    }

private:
    // Streams a million echo calls (scaled) through `target`, a QForkRpc or a QForkRpcPool,
    // `batch` in flight at once, and checks every answer and that the parent's memory and
    // descriptors stay flat.
    template <typename Target> void streamEchoCalls(Target *target, const char *label)
    {
        const int total = scaled(1000000);
        const int batch = 10000; // calls in flight at once
        QStringList errors;
        connect(target, &Target::error, this, [&errors](const QString &m) { errors << m; });

        // Warm up first, so that the "before" figures include what running workers need.
        QFuture<QVariantList> warm = target->call({ QByteArray("warm") });
        QTRY_VERIFY_WITH_TIMEOUT(warm.isFinished(), 10000);
        // A pool's other workers may still be starting (a template's answer not read yet, their
        // pidfds not open): count once nothing has changed for a moment.
        int fdsBefore = openDescriptorCount();
        QElapsedTimer unchanged;
        unchanged.start();
        QElapsedTimer waited;
        waited.start();
        while (unchanged.elapsed() < 300 && waited.elapsed() < 10000) {
            QTest::qWait(20);
            const int now = openDescriptorCount();
            if (now != fdsBefore) {
                fdsBefore = now;
                unchanged.restart();
            }
        }
        const qint64 rssBefore = residentKiB();
        QElapsedTimer timer;
        timer.start();

        int issued = 0;
        int answered = 0;
        bool allRight = true;
        while (answered < total) {
            while (issued < total && issued - answered < batch) {
                const QByteArray tag = QByteArray::number(issued);
                target->call({ tag }, [&, tag](const QVariantList &r) {
                    allRight = allRight && r.size() == 1 && r.first().toByteArray() == tag;
                    ++answered;
                });
                ++issued;
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        }
        const qint64 elapsed = timer.elapsed();
        const qint64 rssAfter = residentKiB();
        const int fdsAfter = openDescriptorCount();
        qInfo("%s: %d calls in %lld ms (%.0f calls/s); parent RSS %lld -> %lld kB, descriptors %d "
              "-> %d",
            label, total, elapsed, total * 1000.0 / qMax<qint64>(elapsed, 1), rssBefore, rssAfter,
            fdsBefore, fdsAfter);
        QVERIFY(allRight);
        QCOMPARE(fdsAfter, fdsBefore);
        QVERIFY2(
            grewLessThan(rssBefore, rssAfter, 32 * 1024), "the parent's memory must stay flat");
    }

    bool cycle(int i)
    {
        QForkRpc::Options o;
        o.async = i % 2;
        QForkRpc *rpc
            = QForkRpc::run(o.async ? QStringLiteral("echoAsync") : QStringLiteral("echo"), o);
        bool destroyed = false;
        bool right = false;
        QEventLoop loop; // not QTest::qWaitFor, which sleeps 10 ms at a time
        connect(rpc, &QForkRpc::destroyed, &loop, [&] {
            destroyed = true;
            loop.quit();
        });
        rpc->call({ i }, [&](const QVariantList &r) { right = r == QVariantList { i }; });
        rpc->finish();
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        loop.exec();
        const bool done = destroyed;
        delete rpc;
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        return done && right;
    }
};

QFORKRPC_TEST_MAIN(tst_Load)
#include "tst_load.moc"
