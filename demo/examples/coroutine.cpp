// SPDX-License-Identifier: MIT
// Awaiting calls in a coroutine with QCoro: `co_await rpc->call(args)` gives the call's results,
// and a call that failed throws QForkRpcError where it is awaited. C++20; built when QCoro (Debian:
// qcoro-qt6-dev) is found.
//
// Its output:
//
//   17 / 5 = 3 remainder 2
//   100 / 7 = 14 remainder 2
//   81 / 9 = 9 remainder 0
//   error(): a call to 'divide' failed: uncaught exception: division by zero
//   1 / 0 failed: Threw: a call to 'divide' failed: uncaught exception: division by zero
//   8 / 3 = 2 remainder 2
//
// The failed call is reported twice, as every failed call is: through error() and to the code
// that awaits it, with the same (translatable) message. Which of the two comes first is not
// guaranteed.
#include <QForkRpc>

#include <QCoroFuture>
#include <QCoroTask>
#include <QtCore/QCoreApplication>
#include <QtCore/QMetaEnum>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace {

// The worker function: runs in the worker process. A C++ exception fails the call.
QVariantList divide(const QVariantList &args)
{
    const int dividend = args.value(0).toInt();
    const int divisor = args.value(1).toInt();
    if (divisor == 0)
        throw std::domain_error("division by zero");
    return { dividend / divisor, dividend % divisor };
}

void print(const QString &line)
{
    std::puts(qPrintable(line));
    std::fflush(stdout);
}

// "a / b = q remainder r", from a call's arguments and results.
QString quotient(const QVariantList &args, const QVariantList &results)
{
    return QStringLiteral("%1 / %2 = %3 remainder %4")
        .arg(args.value(0).toInt())
        .arg(args.value(1).toInt())
        .arg(results.value(0).toInt())
        .arg(results.value(1).toInt());
}

// The parent's side. Each co_await suspends the coroutine until the worker has answered; the
// event loop runs meanwhile. The arguments are made before the co_await expressions: g++ 11 and
// 12 reject a braced list inside one ("array used as initializer"), clang does not.
QCoro::Task<> divideSome(QForkRpc *rpc)
{
    const QVariantList args { 17, 5 };
    const QVariantList results = co_await rpc->call(args);
    print(quotient(args, results));

    // Calls queue up as always: make two, then await them both.
    const QVariantList args1 { 100, 7 };
    const QVariantList args2 { 81, 9 };
    const QFuture<QVariantList> first = rpc->call(args1);
    const QFuture<QVariantList> second = rpc->call(args2);
    print(quotient(args1, co_await first));
    print(quotient(args2, co_await second));

    // A call that fails throws QForkRpcError where it is awaited.
    const QVariantList byZero { 1, 0 };
    try {
        co_await rpc->call(byZero);
    } catch (const QForkRpcError &error) {
        const char *kind
            = QMetaEnum::fromType<QForkRpcError::Kind>().valueToKey(static_cast<int>(error.kind()));
        print(QStringLiteral("1 / 0 failed: %1: %2").arg(QLatin1String(kind), error.message()));
    }

    // A function that threw does not end its worker.
    const QVariantList last { 8, 3 };
    print(quotient(last, co_await rpc->call(last)));
}

} // namespace

QFORKRPC_REGISTER("divide", divide);

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);

    QForkRpc *rpc = QForkRpc::run(QStringLiteral("divide"), {}, &app);
    QObject::connect(rpc, &QForkRpc::error,
        [](const QString &message) { print(QStringLiteral("error(): ") + message); });
    QObject::connect(rpc, &QForkRpc::destroyed, &app, &QCoreApplication::quit);

    // The coroutine runs until its first co_await and returns here; then() runs when it ends, or
    // when an exception escapes it (a call that failed unexpectedly).
    divideSome(rpc).then([rpc] { rpc->finish(); },
        [](const std::exception &error) {
            std::fprintf(stderr, "FATAL: %s\n", error.what());
            std::exit(1);
        });

    return app.exec();
}
