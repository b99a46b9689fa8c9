// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>

#include <QtCore/QString>
#include <QtCore/QVariant>
#include <QtCore/QVariantList>

#include <type_traits>
#include <utility>

/*!
    \file qforkrpcchild.h
    \brief The worker side of QForkRpc: what a worker function can call (namespace QForkRpcChild).
*/

/*!
    \namespace QForkRpcChild
    \brief What a worker function can use inside the worker process.

    \code
    QVariantList countFiles(const QVariantList &args)
    {
        ...
        QForkRpcChild::event(count, QStringLiteral("files counted")); // progress to the parent
        ...
    }
    \endcode
*/
namespace QForkRpcChild {

/*!
    \brief Sends an event to the parent, where QForkRpc::event() is emitted with \a args.

    Events and results reach the parent in the order the worker produced them. Any thread of the
    worker may call it (worker code that uses QtConcurrent, say): each event is sent whole, in the
    order of the calls, and one from a thread other than the worker's main thread is written at
    once. Outside a worker this logs a warning and does nothing.

    \sa QForkRpc::event()
*/
QFORKRPC_EXPORT void event(const QVariantList &args);

/*!
    \brief In a sync worker, true once the parent has cancelled the call that is running
    (QFuture::cancel() on its future), so that a long function can stop early; its results are
    dropped.

    Cheap enough for a tight loop (about 10 ns): it reads the coarse clock and, at most once a
    clock tick (1-10 ms, the kernel's CONFIG_HZ), looks for news from the parent without waiting
    (one system call). False outside a call, outside a worker
    and in an async worker, whose functions ask QForkRpcDone::isCancelled() instead.

    \code
    for (int row = 0; row < rows; ++row) {
        if (QForkRpcChild::isCancelled())
            return {};
        ...
        QForkRpcChild::setProgress(row + 1, rows);
    }
    \endcode
*/
QFORKRPC_EXPORT bool isCancelled();

/*!
    \brief In a sync worker, reports how far the running call has got; the parent sees it
    through the call's QFuture (QFuture::progressValue(), QFutureWatcher::progressValueChanged()).

    Updates may be coalesced (about 60 a second reach the parent): a million calls cost the parent
    little. The last update before the results always arrives, none after them, and updates keep
    their order with events. As with QFuture, a value below the last one is ignored. Ignored
    outside a call and in an async worker, whose functions use QForkRpcDone::setProgress().
*/
QFORKRPC_EXPORT void setProgress(int value, int maximum);

/*!
    \brief Asks to retire this worker (AnyEvent::Fork::Pool's \c retire): it takes no new calls,
    runs those it has been given, and exits.

    A QForkRpcPool gives this worker no more calls and starts another in its place when calls
    need one; a lone QForkRpc behaves as if its finish() had been called (destroyed() follows once
    the calls it has are answered). Use it when a worker has grown too large or its state is
    spent. Any thread of the worker may call it; calling it again does nothing.
*/
QFORKRPC_EXPORT void retire();

/*! \brief True inside a worker process. */
QFORKRPC_EXPORT bool isChild();

//! \cond internal
namespace detail {
inline QVariant toVariant(const char *text)
{
    return QVariant(QString::fromUtf8(text));
}
template <typename T> QVariant toVariant(T &&value)
{
    if constexpr (std::is_convertible_v<T, QVariant>)
        return QVariant(std::forward<T>(value));
    else
        return QVariant::fromValue(std::forward<T>(value));
}
} // namespace detail
//! \endcond

/*!
    \brief Sends an event made of the given values (\a first, then \a rest), each converted to a
    QVariant; a C string becomes a QString.

    \code
    QForkRpcChild::event(3, "requests handled");
    \endcode
*/
template <typename First, typename... Rest,
    typename
    = std::enable_if_t<sizeof...(Rest) != 0 || !std::is_convertible_v<First, const QVariantList &>>>
void event(First &&first, Rest &&...rest)
{
    event(QVariantList { detail::toVariant(std::forward<First>(first)),
        detail::toVariant(std::forward<Rest>(rest))... });
}

} // namespace QForkRpcChild
