// SPDX-License-Identifier: MIT
// How failures surface: dying workers, error routing, garbage on the wire, the 4 GiB limit,
// deleting the object from its own callbacks.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QDataStream>

#include <cstring>

using Spawn = QForkRpc::Spawn;

namespace {
// A serialiser that claims to produce 4 GiB for the argument "huge" (the memory is reserved but
// never touched), and otherwise works like datastream.
QByteArray freezeMaybeHuge(const QVariantList &values)
{
    if (values.value(0) == QStringLiteral("huge"))
        return QByteArray(qsizetype(1) << 32, Qt::Uninitialized);
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out << values;
    return bytes;
}
QVariantList thawMaybeHuge(const QByteArray &bytes)
{
    QVariantList values;
    QDataStream in(bytes);
    in >> values;
    return values;
}
QFORKRPC_REGISTER_SERIALISER("maybe-huge", freezeMaybeHuge, thawMaybeHuge);

QByteArray frame(quint32 type, quint32 id, quint32 length, const QByteArray &payload)
{
    QByteArray bytes;
    for (quint32 field : { type, id, length })
        bytes.append(reinterpret_cast<const char *>(&field), sizeof field);
    return bytes + payload;
}

} // namespace

class tst_Errors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deathFailsOutstandingCalls_data()
    {
        QTest::addColumn<bool>("async");
        QTest::addColumn<QVariantList>("how");
        QTest::addColumn<QString>("expected");
        for (bool async : { false, true }) {
            const char *backend = async ? "async " : "sync ";
            QTest::newRow(QByteArray(backend + QByteArray("segv")).constData())
                << async << QVariantList { QStringLiteral("segv") }
                << QStringLiteral("was killed by signal 11");
            QTest::newRow(QByteArray(backend + QByteArray("abort")).constData())
                << async << QVariantList { QStringLiteral("abort") }
                << QStringLiteral("was killed by signal 6");
            QTest::newRow(QByteArray(backend + QByteArray("kill")).constData())
                << async << QVariantList { QStringLiteral("kill") }
                << QStringLiteral("was killed by signal 9");
            QTest::newRow(QByteArray(backend + QByteArray("exit 3")).constData())
                << async << QVariantList { QStringLiteral("exit"), 3 }
                << QStringLiteral("exited with code 3");
        }
    }
    void deathFailsOutstandingCalls()
    {
        QFETCH(bool, async);
        QFETCH(QVariantList, how);
        QFETCH(QString, expected);
        QForkRpc::Options o;
        o.async = async;
        QForkRpc *rpc
            = QForkRpc::run(async ? QStringLiteral("dieAsync") : QStringLiteral("die"), o, this);
        Recorder recorder(rpc);
        bool called = false;
        QFuture<QVariantList> dying = rpc->call(how);
        rpc->call(how, [&](const QVariantList &) { called = true; });
        QFuture<QVariantList> queued = rpc->call(how);
        QTRY_VERIFY_WITH_TIMEOUT(queued.isFinished(), 10000);
        QTest::qWait(20);
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(expected), qPrintable(recorder.errors.first()));
        // The sync worker ran the first call only: the others never ran and are safe to repeat.
        // The async worker starts every call it reads, so all three count as running.
        const QString lost = async
            ? QStringLiteral("; 3 call(s) were running")
            : QStringLiteral("; 1 call(s) were running, 2 call(s) never ran (safe to repeat)");
        QVERIFY2(recorder.errors.first().endsWith(lost), qPrintable(recorder.errors.first()));
        QVERIFY(!called);
        using Kind = QForkRpcError::Kind;
        const QList<std::pair<QFuture<QVariantList>, Kind>> futures {
            { dying, Kind::WorkerDied },
            { queued, async ? Kind::WorkerDied : Kind::NotRun },
        };
        for (const auto &[future, kind] : futures) {
            try {
                future.result();
                QFAIL("the call did not fail");
            } catch (const QForkRpcError &e) {
                QVERIFY2(e.message().contains(expected), e.what());
                QCOMPARE(e.message(), recorder.errors.first());
                QCOMPARE(e.kind(), kind);
            }
        }
        QCOMPARE(processState(rpc->processId()), char(0)); // reaped
        // Calls after the death are refused, and finish() still ends in destroyed().
        QFuture<QVariantList> late = rpc->call({});
        QVERIFY(late.isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, late.result());
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 5000);
        delete rpc;
    }

    void errorsGoToErrorThenEventThenTheLog()
    {
        {
            QForkRpc *rpc = QForkRpc::run(QStringLiteral("throwing"), this);
            Recorder recorder(rpc, /*connectError=*/true);
            rpc->call({ QStringLiteral("to error()") }, {});
            QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 10000);
            QVERIFY(
                !recorder.lines.join(QLatin1Char('\n')).contains(QStringLiteral("event error")));
            delete rpc;
        }
        {
            QForkRpc *rpc = QForkRpc::run(QStringLiteral("throwing"), this);
            Recorder recorder(rpc, /*connectError=*/false);
            rpc->call({ QStringLiteral("to event()") }, {});
            QTRY_COMPARE_WITH_TIMEOUT(recorder.lines.size(), 1, 10000);
            QVERIFY2(recorder.lines.first().startsWith(
                         QStringLiteral("event error a call to 'throwing' failed:")),
                qPrintable(recorder.lines.first()));
            QVERIFY(recorder.lines.first().contains(QStringLiteral("to event()")));
            delete rpc;
        }
        {
            QForkRpc *rpc = QForkRpc::run(QStringLiteral("throwing"), this);
            QTest::ignoreMessage(QtWarningMsg,
                QRegularExpression(QStringLiteral("a call to 'throwing' failed: .*to the log")));
            QFuture<QVariantList> future = rpc->call({ QStringLiteral("to the log") });
            QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
            delete rpc;
        }
    }

    void unfreezableValuesFailTheCall()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("unfreezable"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> result = rpc->call({});
        QTRY_VERIFY_WITH_TIMEOUT(result.isFinished(), 10000);
        QVERIFY_THROWS_EXCEPTION(std::exception, result.result());
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(QStringLiteral(
                     "the datastream serialiser cannot carry value 0 of type QObject*")),
            qPrintable(recorder.errors.first()));

        // In the parent: the argument is refused before it is sent.
        QFuture<QVariantList> argument
            = rpc->call({ QVariant::fromValue(static_cast<QObject *>(this)) });
        QVERIFY(argument.isFinished());
        QVERIFY_THROWS_EXCEPTION(std::exception, argument.result());
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 2, 5000);
        QVERIFY(processExists(rpc->processId()));
        delete rpc;
    }

    void messagesOverTheLimitFailOnlyTheirCall()
    {
        QForkRpc::Options o;
        o.serialiser = QStringLiteral("maybe-huge");
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("echo"), o, this);
        Recorder recorder(rpc);
        QFuture<QVariantList> huge = rpc->call({ QStringLiteral("huge") });
        QFuture<QVariantList> small = rpc->call({ QStringLiteral("small") });
        QTRY_VERIFY_WITH_TIMEOUT(huge.isFinished() && small.isFinished(), 10000);
        QVERIFY_THROWS_EXCEPTION(std::exception, huge.result());
        QCOMPARE(small.result(), QVariantList { QStringLiteral("small") });
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 5000);
        QVERIFY2(recorder.errors.first().contains(
                     QStringLiteral("4294967296 bytes is larger than the 4 GiB - 1")),
            qPrintable(recorder.errors.first()));
        delete rpc;
    }

    void garbageFromTheWorkerEndsIt_data()
    {
        QTest::addColumn<QByteArray>("garbage");
        QTest::addColumn<bool>("thenExit");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown frame type")
            << frame(99, 1, 0, {}) << false << QStringLiteral("unknown frame type 99");
        QTest::newRow("result for no call")
            << frame(4, 12345, 0, {}) << false << QStringLiteral("unknown call 12345");
        QTest::newRow("request from the worker")
            << frame(3, 1, 0, {}) << false << QStringLiteral("the worker sent a frame of type 3");
        QTest::newRow("4 GiB - 1 announced, 10 bytes sent") << frame(
            4, 1, 0xFFFFFFFFu, QByteArray(10, 'x')) << true << QStringLiteral("exited with code 0");
        QTest::newRow("truncated header")
            << QByteArray("\x04\x00\x00", 3) << true << QStringLiteral("exited with code 0");
        QTest::newRow("broken error report") << frame(6, 1, 3, QByteArray("abc")) << false
                                             << QStringLiteral("undecodable error report");
    }
    void garbageFromTheWorkerEndsIt()
    {
        QFETCH(QByteArray, garbage);
        QFETCH(bool, thenExit);
        QFETCH(QString, expected);
        const qint64 residentBefore = residentKiB();
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("garbage"), this);
        Recorder recorder(rpc);
        QFuture<QVariantList> future = rpc->call({ garbage, thenExit });
        QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
        QVERIFY_THROWS_EXCEPTION(std::exception, future.result());
        QTest::qWait(20);
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(expected), qPrintable(recorder.errors.first()));
        QCOMPARE(processState(rpc->processId()), char(0)); // ended and reaped
        QVERIFY2(grewLessThan(residentBefore, residentKiB(), 256 * 1024),
            "a lying length must not cost its size in memory");
        delete rpc;
    }

    void deletingTheObjectFromItsOwnCallbacks_data()
    {
        QTest::addColumn<QString>("where");
        QTest::newRow("result callback") << QStringLiteral("result");
        QTest::newRow("event handler") << QStringLiteral("event");
        QTest::newRow("error handler") << QStringLiteral("error");
        QTest::newRow("destroyed handler") << QStringLiteral("destroyed");
    }
    void deletingTheObjectFromItsOwnCallbacks()
    {
        QFETCH(QString, where);
        QForkRpc *rpc = QForkRpc::run(
            where == QLatin1String("error") ? QStringLiteral("throwing") : QStringLiteral("events"),
            this);
        QPointer<QForkRpc> guard(rpc);
        qint64 pid = 0;
        auto deleteIt = [&] {
            pid = rpc->processId();
            delete rpc;
        };
        if (where == QLatin1String("event"))
            connect(rpc, &QForkRpc::event, this, deleteIt);
        if (where == QLatin1String("error"))
            connect(rpc, &QForkRpc::error, this, deleteIt);
        if (where == QLatin1String("destroyed"))
            connect(rpc, &QForkRpc::destroyed, this, deleteIt);
        rpc->call({ 3 }, [&](const QVariantList &) {
            if (where == QLatin1String("result"))
                deleteIt();
        });
        rpc->call({ 3 }, {});
        if (where == QLatin1String("destroyed"))
            rpc->finish();
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
        QVERIFY(pid > 0);
        QTRY_COMPARE_WITH_TIMEOUT(processState(pid), char(0), 5000);
    }

    void deletingTheObjectFromAFuturesContinuation_data()
    {
        QTest::addColumn<QString>("function");
        QTest::addColumn<QVariantList>("args");
        QTest::newRow("result") << QStringLiteral("echo") << QVariantList { 1 };
        QTest::newRow("failed call")
            << QStringLiteral("throwing") << QVariantList { QStringLiteral("x") };
        QTest::newRow("dead worker")
            << QStringLiteral("die") << QVariantList { QStringLiteral("kill") };
    }
    void deletingTheObjectFromAFuturesContinuation()
    {
        // Qt 6.4 runs continuations synchronously inside QPromise::finish(), i.e. inside the
        // object's own code, like a callback.
        QFETCH(QString, function);
        QFETCH(QVariantList, args);
        QForkRpc *rpc = QForkRpc::run(function, this);
        QPointer<QForkRpc> guard(rpc);
        connect(rpc, &QForkRpc::error, this, [] {});
        qint64 pid = 0;
        QFuture<QVariantList> first = rpc->call(args);
        QFuture<void> continuation = first
                                         .then(this,
                                             [&](const QVariantList &) {
                                                 pid = rpc->processId();
                                                 delete rpc;
                                             })
                                         .onFailed(this, [&](const std::exception &) {
                                             pid = rpc->processId();
                                             delete rpc;
                                         });
        QFuture<QVariantList> second = rpc->call(args);
        QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(second.isFinished(), 5000);
        QVERIFY(pid > 0);
        QTRY_COMPARE_WITH_TIMEOUT(processState(pid), char(0), 5000);
    }

    void aFailedStartFailsEveryQueuedCallWithOneError()
    {
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("noSuchFunction"), this);
        Recorder recorder(rpc);
        QList<QFuture<QVariantList>> futures;
        for (int i = 0; i < 5; ++i)
            futures << rpc->call({ i });
        rpc->finish();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.destroyedCount, 1, 10000);
        QCOMPARE(recorder.errors.size(), 1);
        for (const QFuture<QVariantList> &future : std::as_const(futures)) {
            QVERIFY(future.isFinished());
            QVERIFY_THROWS_EXCEPTION(std::exception, future.result());
        }
        QCOMPARE(recorder.lines.last(), QStringLiteral("destroyed"));
    }
};

QFORKRPC_TEST_MAIN(tst_Errors)
#include "tst_errors.moc"
