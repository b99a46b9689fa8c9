// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QVariantList>

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

/*!
    \file qforkrpcfunctions.h
    \brief Registering worker functions and serialisers: QFORKRPC_REGISTER,
    QFORKRPC_REGISTER_SERIALISER and the types they take.
*/

//! \cond internal
namespace QForkRpcDetail {
// What a QForkRpcDone reaches: the async worker's call, or a plain function (see below).
class QFORKRPC_EXPORT DoneTarget
{
public:
    virtual ~DoneTarget();
    virtual void done(const QVariantList &results) = 0;
    virtual bool isCancelled() const = 0;
    virtual void setProgress(int value, int maximum) = 0;
};
QFORKRPC_EXPORT std::shared_ptr<DoneTarget> doneTargetFor(
    std::function<void(const QVariantList &results)> function);
} // namespace QForkRpcDetail
//! \endcond

/*!
    \brief What an async worker function receives to end its call: call it once with the results.

    It may be called before or after the worker function returns; the call ends then. It is a
    small copyable handle: keep a copy in a timer or a lambda, as the function returns long before
    the work is done.

    \code
    void countdown(QForkRpcDone done, const QVariantList &args)
    {
        auto *timer = new QTimer;
        QObject::connect(timer, &QTimer::timeout, [done, timer, left = args.value(0).toInt()]()
   mutable { if (done.isCancelled() || --left == 0) { // the parent cancelled the call's future
                timer->deleteLater();
                done({ left });
                return;
            }
            done.setProgress(10 - left, 10);
        });
        timer->start(100);
    }
    \endcode
*/
class QFORKRPC_EXPORT QForkRpcDone
{
public:
    /*! \brief A handle that reaches no call: calling it does nothing. */
    QForkRpcDone() = default;
    /*!
        \brief Wraps a plain function, for code that calls an async worker function itself (a
        unit test, say): calling the handle calls \a function, isCancelled() is false and
        setProgress() does nothing.
    */
    template <typename Function,
        typename = std::enable_if_t<
            !std::is_same_v<std::decay_t<Function>,
                QForkRpcDone> && std::is_invocable_v<std::decay_t<Function> &, const QVariantList &>>>
    QForkRpcDone(Function &&function) // NOLINT(google-explicit-constructor): source compatible
        : m_target(QForkRpcDetail::doneTargetFor(std::forward<Function>(function)))
    { }

    /*!
        \brief Ends the call with \a results, which the parent receives as the call's results.
        Only the first call counts (a second one is reported through QForkRpc::error()).
    */
    void operator()(const QVariantList &results) const;
    /*!
        \brief True once the parent has cancelled this call (QFuture::cancel() on its future).
        Cheap: no system call. The call should stop and call the handle; its results are dropped.
    */
    bool isCancelled() const;
    /*!
        \brief Reports how far the call has got; the parent sees it through the call's QFuture
        (QFuture::progressValue(), QFutureWatcher::progressValueChanged()). Updates may be
        coalesced (about 60 a second reach the parent); the last one before the results always
        arrives, and none after them.
    */
    void setProgress(int value, int maximum) const;
    /*! \brief True when the handle reaches a call (or a function), as std::function's. */
    explicit operator bool() const { return m_target != nullptr; }

    //! \cond internal
    explicit QForkRpcDone(std::shared_ptr<QForkRpcDetail::DoneTarget> target)
        : m_target(std::move(target))
    { }
    //! \endcond

private:
    std::shared_ptr<QForkRpcDetail::DoneTarget> m_target;
};

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
