// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QVariantList>

#include <functional>
#include <type_traits>
#include <utility>

/*!
    \file qforkrpcfunctions.h
    \brief Registering worker functions and serialisers: QFORKRPC_REGISTER,
    QFORKRPC_REGISTER_SERIALISER and the types they take.
*/

/*!
    \brief The callback an async worker function calls, once, with its results.

    It may be called before or after the worker function returns; the call ends then.

    \code
    void countdown(QForkRpcDone done, const QVariantList &args)
    {
        ... // later, from a timer:
        done({ QStringLiteral("finished") });
    }
    \endcode
*/
using QForkRpcDone = std::function<void(const QVariantList &results)>;

/*! \brief A serialiser's freeze function: values to bytes. May throw a \c std::exception. */
using QForkRpcFreeze = std::function<QByteArray(const QVariantList &values)>;
/*! \brief A serialiser's thaw function: bytes to values. May throw a \c std::exception. */
using QForkRpcThaw = std::function<QVariantList(const QByteArray &bytes)>;

//! \cond internal
namespace QForkRpcDetail {

using SyncFunction = std::function<QVariantList(const QVariantList &)>;
using AsyncFunction = std::function<void(QForkRpcDone, const QVariantList &)>;
using InitFunction = std::function<void(const QVariantList &)>;

QFORKRPC_EXPORT bool registerSync(const QString &name, SyncFunction function);
QFORKRPC_EXPORT bool registerAsync(const QString &name, AsyncFunction function);
QFORKRPC_EXPORT bool registerInit(const QString &name, InitFunction function);
QFORKRPC_EXPORT bool registerSerialiser(
    const QString &name, QForkRpcFreeze freeze, QForkRpcThaw thaw);

// Picks the backend from the callable's signature: (done, args) is async, (args) -> list is sync,
// (args) -> void is init. std::function alone cannot tell these apart, as a function returning a
// list also converts to one returning void.
template <typename Function> bool registerFunction(const QString &name, Function &&function)
{
    using F = std::decay_t<Function>;
    if constexpr (std::is_invocable_v<F &, QForkRpcDone, const QVariantList &>) {
        return registerAsync(name, AsyncFunction(std::forward<Function>(function)));
    } else if constexpr (
        std::is_invocable_r_v<QVariantList, F &,
            const QVariantList
                &> && !std::is_void_v<std::invoke_result_t<F &, const QVariantList &>>) {
        return registerSync(name, SyncFunction(std::forward<Function>(function)));
    } else if constexpr (std::is_invocable_v<F &, const QVariantList &>) {
        return registerInit(name, InitFunction(std::forward<Function>(function)));
    } else {
        static_assert(std::is_invocable_v<F &, const QVariantList &>,
            "a QForkRpc worker function takes (const QVariantList &) or "
            "(QForkRpcDone, const QVariantList &)");
        return false;
    }
}

} // namespace QForkRpcDetail

#define QFORKRPC_CONCAT_IMPL(a, b) a##b
#define QFORKRPC_CONCAT(a, b) QFORKRPC_CONCAT_IMPL(a, b)
//! \endcond

/*!
    \def QFORKRPC_REGISTER(name, ...)
    \brief Registers a worker function (the second argument) under the string \a name at
    static-initialisation time; use it at namespace scope.

    Accepts sync, async and init functions and lambdas with those signatures, as
    QForkRpc::registerFunction() does.

    \code
    QFORKRPC_REGISTER("MyWorker::run", rmdirWorker);
    QFORKRPC_REGISTER("countdown", [](QForkRpcDone done, const QVariantList &args) { ... });
    \endcode
*/
// Variadic, so that a lambda with commas in its body needs no extra parentheses.
#define QFORKRPC_REGISTER(name, ...)                                                               \
    static const bool QFORKRPC_CONCAT(qforkrpc_registered_, __COUNTER__)                           \
        = QForkRpcDetail::registerFunction(QString::fromUtf8(name), __VA_ARGS__)

/*!
    \def QFORKRPC_REGISTER_SERIALISER(name, ...)
    \brief Registers a serialiser under the string \a name at static-initialisation time; use it
    at namespace scope with a freeze and a thaw function (QForkRpcFreeze, QForkRpcThaw).

    \sa QForkRpc::registerSerialiser()
*/
#define QFORKRPC_REGISTER_SERIALISER(name, ...)                                                    \
    static const bool QFORKRPC_CONCAT(qforkrpc_registered_, __COUNTER__)                           \
        = QForkRpcDetail::registerSerialiser(QString::fromUtf8(name), __VA_ARGS__)
