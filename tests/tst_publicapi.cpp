// SPDX-License-Identifier: MIT
// The contract as a user compiles it: no project defines, strict warnings as errors
// (-Woverloaded-virtual included), signals connected without qOverload, every run() overload.
#include <QForkRpc>
#include <QForkRpcPool>

#include <QtCore/QCoreApplication>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

namespace {
QVariantList userEcho(const QVariantList &args)
{
    QForkRpcChild::event(1, "two", QStringLiteral("three")); // the variadic form
    QForkRpcChild::event(QVariantList { QStringLiteral("list") });
    return args;
}
QFORKRPC_REGISTER("user::echo", userEcho);
const bool runtimeRegistered = QForkRpc::registerFunction(QStringLiteral("user::runtime"),
    [](QForkRpcDone done, const QVariantList &args) { done(args); });
} // namespace

class tst_PublicApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void signalsConnectWithoutQOverload()
    {
        QVERIFY(runtimeRegistered);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("user::echo"));
        QSignalSpy events(rpc, &QForkRpc::event);
        QSignalSpy destroyed(rpc, &QForkRpc::destroyed);
        QSignalSpy objectDestroyed(rpc, &QObject::destroyed); // QObject's signal still works
        QVariantList results;
        rpc->call({ 7 }, [&](const QVariantList &r) { results = r; });
        rpc->finish();
        QVERIFY(destroyed.wait(10000));
        QCOMPARE(results, QVariantList { 7 });
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).at(0).toList(),
            (QVariantList { 1, QStringLiteral("two"), QStringLiteral("three") }));
        QCOMPARE(events.at(1).at(0).toList(), QVariantList { QStringLiteral("list") });
        delete rpc;
        QCOMPARE(objectDestroyed.size(), 1);
    }

    // event(const QVariantList &) hides QObject::event(QEvent *) for callers only: Qt's events
    // still reach QObject's (deleteLater() is a QEvent::DeferredDelete handled there), and to
    // the meta-object system QForkRpc is still a direct QObject subclass.
    void qobjectStillGetsItsEvents()
    {
        QCOMPARE(QForkRpc::staticMetaObject.superClass(), &QObject::staticMetaObject);
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("user::echo"));
        QSignalSpy objectDestroyed(rpc, &QObject::destroyed);
        rpc->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(objectDestroyed.size(), 1, 10000);
    }

    void everyRunOverload()
    {
        QObject owner;
        QForkRpc::Options async;
        async.async = true;
        QForkRpc *a = QForkRpc::run(QStringLiteral("user::echo"));
        QForkRpc *b = QForkRpc::run(QStringLiteral("user::runtime"), async);
        QForkRpc *c = QForkRpc::run(QStringLiteral("user::runtime"), async, &owner);
        QForkRpc *d = QForkRpc::run(QStringLiteral("user::echo"), {}, &owner);
        QCOMPARE(c->parent(), &owner);
        QCOMPARE(d->parent(), &owner);
        for (QForkRpc *rpc : { a, b, c, d }) {
            QFuture<QVariantList> future = rpc->call({ rpc->function() });
            QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 10000);
            QCOMPARE(future.result(), QVariantList { rpc->function() });
        }
        delete a;
        delete b;
    }

    // Spawn::Command and the pool's commands, as the contract writes them; this program is the
    // command (its main() calls initialize()).
    void workersThroughACommand()
    {
        QForkRpc::Options options;
        options.spawn = QForkRpc::Spawn::Command;
        options.command = QStringList { QCoreApplication::applicationFilePath() };
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("user::echo"), options);
        QForkRpcPool::Options poolOptions;
        poolOptions.commands = QList<QStringList> { options.command, options.command };
        QForkRpcPool *pool = QForkRpcPool::run(QStringLiteral("user::echo"), poolOptions);
        QFuture<QVariantList> one = rpc->call({ 1 });
        QFuture<QVariantList> two = pool->call({ 2 });
        QTRY_VERIFY_WITH_TIMEOUT(one.isFinished() && two.isFinished(), 10000);
        QCOMPARE(one.result(), QVariantList { 1 });
        QCOMPARE(two.result(), QVariantList { 2 });
        delete rpc;
        delete pool;
    }

    // The pool's names, as the contract writes them: signals without qOverload, every run()
    // overload, and the three call() forms.
    void thePoolAsAUserWritesIt()
    {
        QObject owner;
        QForkRpcPool::Options options;
        options.worker.async = true;
        options.max = 2;
        QForkRpcPool *a = QForkRpcPool::run(QStringLiteral("user::echo"));
        QForkRpcPool *b = QForkRpcPool::run(QStringLiteral("user::runtime"), options);
        QForkRpcPool *c = QForkRpcPool::run(QStringLiteral("user::runtime"), options, &owner);
        QForkRpcPool *d = QForkRpcPool::run(QStringLiteral("user::echo"), {}, &owner);
        QCOMPARE(c->parent(), &owner);
        QCOMPARE(d->parent(), &owner);
        QSignalSpy events(a, &QForkRpcPool::event);
        QSignalSpy errors(a, &QForkRpcPool::error);
        QSignalSpy destroyed(a, &QForkRpcPool::destroyed);
        for (QForkRpcPool *pool : { a, b, c, d }) {
            QFuture<QVariantList> future = pool->call({ pool->function() });
            QVariantList byCallback;
            pool->call({ 1 }, [&](const QVariantList &r) { byCallback = r; });
            QVariantList inContext;
            pool->call({ 2 }, &owner, [&](const QVariantList &r) { inContext = r; });
            QTRY_VERIFY_WITH_TIMEOUT(future.isFinished() && !inContext.isEmpty(), 10000);
            QTRY_COMPARE(byCallback, QVariantList { 1 });
            QCOMPARE(future.result(), QVariantList { pool->function() });
            QCOMPARE(inContext, QVariantList { 2 });
            QVERIFY(pool->workerCount() >= 1);
            QCOMPARE(pool->pendingCalls(), 0);
        }
        a->finish();
        QVERIFY(destroyed.wait(10000));
        QCOMPARE(events.size(), 6); // two per call of user::echo
        QCOMPARE(errors.size(), 0);
        delete a;
        delete b;
    }
};

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);
    tst_PublicApi test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_publicapi.moc"
