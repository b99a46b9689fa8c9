// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>

#include <QtCore/QObject>
#include <QtCore/QString>

#include <stdexcept>

/*!
    \file qforkrpcerror.h
    \brief QForkRpcError, what the QFuture of a failed call throws.
*/

/*!
    \class QForkRpcError
    \brief What the QFuture of a failed call throws: why it failed (kind()) and the text that
    QForkRpc::error() also reports (message(), and \c what() in UTF-8).

    \code
    try {
        const QVariantList results = future.result();
    } catch (const QForkRpcError &e) {
        if (e.kind() == QForkRpcError::Kind::NotRun)
            ...; // it never ran: safe to call again
    }
    \endcode
*/
class QFORKRPC_EXPORT QForkRpcError : public std::runtime_error
{
    Q_GADGET

public:
    /*! \brief Why a call failed. */
    enum class Kind {
        StartFailed, //!< The worker never started (unknown function, init threw, spawn failed).
        Threw, //!< The function threw, or its values could not be serialised; the worker goes on.
        WorkerDied, //!< The call was running when the worker died or was killed. In the async
                    //!< backend every call sent to the worker counts as running.
        NotRun, //!< The call never started in a worker (it was still queued when the worker
                //!< ended), so it is always safe to repeat.
        TimedOut, //!< Options::callTimeoutMs passed; the worker was killed.
        Refused, //!< Not sent at all: after finish(), a limit, a value the serialiser cannot
                 //!< carry.
        Protocol //!< The worker broke the protocol.
    };
    Q_ENUM(Kind)

    /*! \brief A failure of \a kind, described by \a message (the library throws these). */
    QForkRpcError(Kind kind, const QString &message);

    /*! \brief Why the call failed. */
    Kind kind() const { return m_kind; }
    /*! \brief The (translated) text that QForkRpc::error() reported for this failure. */
    QString message() const { return m_message; }

private:
    Kind m_kind;
    QString m_message;
};
