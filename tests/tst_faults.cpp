// SPDX-License-Identifier: MIT
// What the parent survives: stuck, flooding, starving and dying workers, a dead template, and
// running out of descriptors. Every case uses real processes and checks that nothing is left
// behind.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

#include <sys/resource.h>

using Spawn = QForkRpc::Spawn;

namespace {

qint64 templatePid()
{
    for (qint64 child : childrenOf(getpid())) {
        QFile file(QStringLiteral("/proc/%1/cmdline").arg(child));
        if (file.open(QIODevice::ReadOnly) && file.readAll().startsWith("qforkrpc: template"))
            return child;
    }
    return 0;
}

} // namespace

class tst_Faults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aStuckWorkerCannotMakeTheParentGrow()
    {
        // The worker sleeps in its first call and reads nothing more; the parent keeps calling
        // with 1 MiB arguments. call() never blocks, and past 32 MiB of queued requests it fails.
        QForkRpc::Options o;
        o.maxQueuedBytes = 32 * 1024 * 1024;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("sleep"), o, this);
        Recorder recorder(rpc);
        rpc->call({ 60000 }, {});
        const QByteArray megabyte(1024 * 1024, 'm');
        const qint64 before = residentKiB();
        QElapsedTimer timer;
        timer.start();
        int accepted = 0;
        QFuture<QVariantList> refused;
        for (int i = 0; i < 200; ++i) {
            QFuture<QVariantList> future = rpc->call({ 1, megabyte });
            if (future.isFinished()) { // refused at once
                refused = future;
                break;
            }
            ++accepted;
            QCoreApplication::processEvents(); // let the writer push what the socket takes
        }
        QVERIFY2(timer.elapsed() < 20000, "call() must not block on a worker that does not read");
        QVERIFY(refused.isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, refused.result());
        QVERIFY2(accepted >= 32 && accepted < 64, qPrintable(QString::number(accepted)));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
        QVERIFY2(recorder.errors.first().contains(QStringLiteral("(Options::maxQueuedBytes)")),
            qPrintable(recorder.errors.first()));
        QVERIFY2(grewLessThan(before, residentKiB(), 96 * 1024),
            "queued requests are bounded by maxQueuedBytes");
        const qint64 pid = rpc->processId();
        delete rpc;
        // At once, unless the template's answer with the pid has not been read yet (a loaded
        // machine): the library reaps it then.
        QTRY_COMPARE_WITH_TIMEOUT(processState(pid), char(0), 5000);
    }

    void pendingCallsAreBounded()
    {
        QForkRpc::Options o;
        o.maxPendingCalls = 10;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("sleep"), o, this);
        Recorder recorder(rpc);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 11; ++i)
            futures << rpc->call({ 10, i });
        QVERIFY(futures.last().isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, futures.last().result());
        QTRY_VERIFY_WITH_TIMEOUT(futures.at(9).isFinished(), 10000);
        QCOMPARE(futures.at(9).result(), QVariantList { 9 });
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY(recorder.errors.first().contains(QStringLiteral("10 calls are waiting")));
        // Once answered, calls are accepted again.
        QFuture<QVariantList> again = rpc->call({ 0, QStringLiteral("again") });
        QTRY_VERIFY_WITH_TIMEOUT(again.isFinished(), 10000);
        QCOMPARE(again.result(), QVariantList { QStringLiteral("again") });
        delete rpc;
    }

    void aFloodOfEventsArrivesCompleteInOrderAndBounded()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("flood"), this);
        int next = 0;
        bool inOrder = true;
        connect(rpc, &QForkRpc::event, this, [&](const QVariantList &args) {
            inOrder = inOrder && args.value(0).toInt() == next;
            ++next;
        });
        const qint64 before = residentKiB();
        qint64 peak = before;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&] { peak = qMax(peak, residentKiB()); });
        sampler.start(5);
        // 200 000 events of 1 KiB: 200 MB in all, which must not pile up in the parent.
        QFuture<QVariantList> future = rpc->call({ 200000, 1024 });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 120000);
        QCOMPARE(future.result(), QVariantList { 200000 });
        QCOMPARE(next, 200000);
        QVERIFY(inOrder);
        QVERIFY2(grewLessThan(before, peak, 64 * 1024),
            qPrintable(QStringLiteral("the parent grew by %1 KiB").arg(peak - before)));
        delete rpc;
    }

    void runningOutOfMemoryInTheWorkerFailsTheCall()
    {
        if (underAddressSanitizer)
            QSKIP("AddressSanitizer reserves terabytes of address space and cannot run under "
                  "RLIMIT_AS");
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("allocate"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> tooMuch = rpc->call({ 512, 2048 });
        QTRY_VERIFY_WITH_TIMEOUT(tooMuch.isFinished(), 20000);
        QVERIFY_THROWS_EXCEPTION(std::exception, tooMuch.result());
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
        // Qt throws std::bad_alloc: the call fails and the worker goes on.
        QVERIFY2(recorder.errors.first().contains(QStringLiteral("bad_alloc")),
            qPrintable(recorder.errors.first()));
        QFuture<QVariantList> enough = rpc->call({ 512, 1 });
        QTRY_VERIFY_WITH_TIMEOUT(enough.isFinished(), 10000);
        QCOMPARE(enough.result(), QVariantList { 1 << 20 });
        delete rpc;
    }

    void anIdleWorkerThatDiesIsReported_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<bool>("async");
        QTest::newRow("sync SIGKILL") << int(SIGKILL) << false;
        QTest::newRow("sync SIGABRT") << int(SIGABRT) << false; // (a sanitizer would catch SIGSEGV)
        QTest::newRow("async SIGKILL") << int(SIGKILL) << true;
        QTest::newRow("async SIGTERM") << int(SIGTERM) << true;
    }
    void anIdleWorkerThatDiesIsReported()
    {
        // Between calls: nothing outstanding, still one error naming the cause.
        QFETCH(int, signal);
        QFETCH(bool, async);
        QForkRpc::Options o;
        o.async = async;
        QForkRpc *rpc
            = QForkRpc::run(async ? QStringLiteral("echoAsync") : QStringLiteral("echo"), o, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> first = rpc->call({ 1 });
        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished(), 10000);
        ::kill(pid_t(rpc->processId()), signal);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
        QVERIFY2(
            recorder.errors.first().contains(QStringLiteral("was killed by signal %1").arg(signal)),
            qPrintable(recorder.errors.first()));
        QVERIFY(!recorder.errors.first().contains(QStringLiteral("failed")));
        QCOMPARE(processState(rpc->processId()), char(0));
        delete rpc;
    }

    // The answers of calls queued together may wait a moment to leave together; a call after
    // them that crashes the worker must not take them along: the crash writes them out first.
    void answersBeforeACrashArriveAll_data() { addBackendRows(); }
    void answersBeforeACrashArriveAll()
    {
        QFETCH(bool, async);
        QForkRpc::Options options;
        options.async = async;
        QForkRpc *rpc = QForkRpc::run(
            async ? QStringLiteral("dieAsync") : QStringLiteral("die"), options, this);
        Recorder recorder(rpc);
        QList<QFuture<QVariantList>> answered;
        for (int i = 0; i < 300; ++i)
            answered << rpc->call({ QStringLiteral("live"), i });
        QFuture<QVariantList> crashing = rpc->call({ QStringLiteral("abort") });
        QTRY_VERIFY_WITH_TIMEOUT(crashing.isFinished(), 10000);
        QCOMPARE(kindOf(crashing), int(QForkRpcError::Kind::WorkerDied));
        for (int i = 0; i < answered.size(); ++i)
            QCOMPARE(answered.at(i).result(), QVariantList { i });
        QVERIFY2(recorder.errors.value(0).contains(QStringLiteral("1 call(s) were running")),
            qPrintable(recorder.errors.value(0)));
        delete rpc;
    }

    void aWorkerKilledWhileTheParentWritesALargeRequest()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("sleep"), this);
        Recorder recorder(rpc);
        rpc->call({ 60000 }, {}); // busy: the 64 MiB below stays mostly in the parent
        QFuture<QVariantList> large = rpc->call({ 1, QByteArray(64 * 1024 * 1024, 'L') });
        QTRY_VERIFY_WITH_TIMEOUT(rpc->processId() > 0, 10000);
        QTest::qWait(100);
        ::kill(pid_t(rpc->processId()), SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(large.isFinished(), 10000);
        QVERIFY_THROWS_EXCEPTION(std::exception, large.result());
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
        QVERIFY2(recorder.errors.first().contains(QStringLiteral("was killed by signal 9")),
            qPrintable(recorder.errors.first()));
        QCOMPARE(processState(rpc->processId()), char(0));
        delete rpc;
    }

    void aWorkerKilledWhileSendingALargeResult()
    {
        // Through the socket: shared memory would hand the result over in one read.
        QForkRpc::Options options;
        options.sharedMemoryThreshold = 0;
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("bytes"), options, this);
        Recorder recorder(rpc);
        bool killed = false;
        // Kill the worker once more than 4 MiB of its 512 MiB result are in our memory (reads
        // with recvmsg() do not count in /proc/self/io).
        const qint64 before = residentKiB();
        QFuture<QVariantList> large = rpc->call({ qint64(512) * 1024 * 1024 });
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            if (!killed && residentKiB() - before > 4 * 1024) {
                ::kill(pid_t(rpc->processId()), SIGKILL);
                killed = true;
            }
        });
        poll.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(large.isFinished(), 30000);
        QVERIFY(killed);
        QVERIFY_THROWS_EXCEPTION(std::exception, large.result());
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
        QVERIFY2(recorder.errors.first().contains(QStringLiteral("was killed by signal 9")),
            qPrintable(recorder.errors.first()));
        delete rpc;
    }

    // A template worker is killed the moment it exists, before it can say hello itself: the
    // parent still learns its pid (the template announces it), reports how it died and reaps it.
    void aTemplateWorkerKilledAtBirthIsReportedAndReaped()
    {
        const QList<qint64> before = childrenOf(getpid());
        for (int i = 0; i < 20; ++i) {
            QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), this);
            Recorder recorder(rpc);
            qint64 worker = 0;
            QElapsedTimer waited;
            waited.start();
            while (!worker && waited.elapsed() < 5000) { // no event loop: nothing has been read yet
                for (qint64 child : childrenOf(getpid()))
                    worker = before.contains(child) ? worker : child;
            }
            QVERIFY(worker > 0);
            ::kill(pid_t(worker), SIGKILL);
            QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
            QVERIFY2(recorder.errors.first().contains(
                         QStringLiteral("(pid %1) was killed by signal 9").arg(worker)),
                qPrintable(recorder.errors.first()));
            QTRY_COMPARE_WITH_TIMEOUT(processState(worker), char(0), 5000);
            delete rpc;
        }
        QCOMPARE(childrenOf(getpid()), before);
    }

    void sixtyFourWorkersAtOnce()
    {
        const QList<qint64> children = childrenOf(getpid());
        const int descriptors = openDescriptorCount();
        QList<QForkRpc *> workers;
        QList<QFuture<QVariantList>> futures;
        int destroyed = 0;
        for (int i = 0; i < 64; ++i) {
            QForkRpc::Options o;
            o.async = i % 2;
            QForkRpc *rpc = QForkRpc::run(
                o.async ? QStringLiteral("delayedEcho") : QStringLiteral("sleep"), o, this);
            connect(rpc, &QForkRpc::destroyed, this, [&] { ++destroyed; });
            for (int call = 0; call < 4; ++call)
                futures << rpc->call({ 20, i * 10 + call });
            rpc->finish();
            workers << rpc;
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(futures.cbegin(), futures.cend(),
                                     [](const QFuture<QVariantList> &f) { return f.isFinished(); }),
            30000);
        for (int i = 0; i < futures.size(); ++i) {
            const QVariantList r = futures.at(i).result();
            QCOMPARE(r.last().toInt(), (i / 4) * 10 + i % 4);
        }
        QTRY_COMPARE_WITH_TIMEOUT(destroyed, 64, 10000);
        qDeleteAll(workers);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(childrenOf(getpid()), children);
        QCOMPARE(openDescriptorCount(), descriptors);
    }

    void runningOutOfDescriptorsIsAClearErrorAndPasses()
    {
        struct rlimit saved;
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &saved), 0);
        struct rlimit tight = saved;
        tight.rlim_cur = rlim_t(
            openDescriptorCount() - 1); // no new descriptor at all (the count had one open)
        QCOMPARE(setrlimit(RLIMIT_NOFILE, &tight), 0);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"));
        QStringList errors;
        connect(rpc, &QForkRpc::error, this, [&](const QString &message) { errors << message; });
        setrlimit(RLIMIT_NOFILE, &saved);
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 5000);
        QVERIFY2(errors.first().contains(QString::fromLocal8Bit(strerror(EMFILE))),
            qPrintable(errors.first()));
        delete rpc;

        // With the descriptors back, workers start again.
        QForkRpc *again = QForkRpc::run(QStringLiteral("echo"), this);
        QFuture<QVariantList> future = again->call({ 1 });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QCOMPARE(future.result(), QVariantList { 1 });
        delete again;
    }

    // Last: it kills this program's template.
    void aDeadTemplateIsAClearErrorAndWorkersGoOn()
    {
        QForkRpc *survivor = QForkRpc::run(QStringLiteral("echo"), this);
        QFuture<QVariantList> first = survivor->call({ 1 });
        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished(), 10000);

        const qint64 pid = templatePid();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(hasDied(pid), 5000);

        QForkRpc *late = QForkRpc::run(QStringLiteral("echo"));
        QStringList errors;
        connect(late, &QForkRpc::error, this, [&](const QString &message) { errors << message; });
        QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 5000);
        QCOMPARE(errors.first(),
            QStringLiteral(
                "the template process is no longer running (it was killed by signal 9 (%1))")
                .arg(QString::fromLocal8Bit(strsignal(SIGKILL))));
        delete late;
        QCOMPARE(processState(pid), char(0)); // and it has been reaped

        // Workers forked before go on; exec and fork spawning still work.
        QFuture<QVariantList> second = survivor->call({ 2 });
        QTRY_VERIFY_WITH_TIMEOUT(second.isFinished(), 10000);
        QCOMPARE(second.result(), QVariantList { 2 });
        QForkRpc::Options exec;
        exec.spawn = Spawn::Exec;
        QForkRpc *execWorker = QForkRpc::run(QStringLiteral("echo"), exec, this);
        QFuture<QVariantList> third = execWorker->call({ 3 });
        QTRY_VERIFY_WITH_TIMEOUT(third.isFinished(), 10000);
        QCOMPARE(third.result(), QVariantList { 3 });
        delete execWorker;
        delete survivor;
    }
};

QFORKRPC_TEST_MAIN(tst_Faults)
#include "tst_faults.moc"
