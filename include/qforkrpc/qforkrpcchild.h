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
