// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>

#include <QtCore/QDataStream>
#include <QtCore/QMetaType>

#include <memory>

/*!
    \file qforkrpcfd.h
    \brief QForkRpcFd: an open file descriptor that travels in call arguments, results, events
    and initArgs.
*/

/*!
    \brief An open file descriptor as a value: put it into a QVariant anywhere in a call's
    arguments, its results, an event or Options::initArgs, and the other side receives a
    QForkRpcFd for the same open file (passed with SCM_RIGHTS), as in Node's
    <tt>child.send(message, handle)</tt>.

    It owns its descriptor, shared by its copies, and the last copy closes it. What travels is a
    duplicate: the sender's copy stays open and valid.

    \code
    // parent: hand a worker an open file (a sandboxed worker need not open anything itself)
    rpc->call({ QVariant::fromValue(QForkRpcFd::fromFd(file.handle())) }, ...);

    // worker: read it
    const auto fd = args.value(0).value<QForkRpcFd>();
    QFile in; in.open(fd.takeFd(), QIODevice::ReadOnly, QFileDevice::AutoCloseHandle);
    \endcode

    The \c datastream and \c cbor serialisers carry it; \c json and \c octets fail the call that
    holds one, and so does a worker started through Spawn::Command (there is no descriptor passing
    over a command's pipes). A registered serialiser carries one with qForkRpcFreezeFd() and
    qForkRpcThawFd(). One message carries at most QForkRpcFd::maxPerMessage descriptors.
*/
class QFORKRPC_EXPORT QForkRpcFd
{
public:
    /*! \brief An invalid descriptor (fd() is -1); it travels as an invalid one. */
    QForkRpcFd();
    /*!
        \brief A QForkRpcFd that owns a duplicate of \a fd (close-on-exec); the caller keeps
        \a fd and closes it as before. Invalid if \a fd is not open.
    */
    static QForkRpcFd fromFd(int fd);

    /*! \brief Whether it holds a descriptor. */
    bool isValid() const;
    /*! \brief The descriptor, owned by this object and its copies: do not close it. -1 if invalid.
     */
    int fd() const;
    /*!
        \brief A new duplicate (close-on-exec) of the descriptor for the caller to own and close;
        -1 if invalid.
    */
    int takeFd() const;

    /*! \brief Whether both refer to the same descriptor (copies of one QForkRpcFd). */
    bool operator==(const QForkRpcFd &other) const;
    /*! \brief Whether they refer to different descriptors. */
    bool operator!=(const QForkRpcFd &other) const { return !(*this == other); }

    /*! \brief The most descriptors one message (a call, a result, an event) may carry. */
    static constexpr int maxPerMessage = 64;

private:
    struct Owner;
    std::shared_ptr<const Owner> m_owner;
    friend QForkRpcFd qForkRpcAdoptFd(int fd);
};

/*!
    \brief For a registered serialiser's freeze function: adds \a fd to the message being frozen
    and returns its number in that message (0 for the first), which the frozen bytes should hold
    in its place. Throws std::runtime_error where no descriptor can travel (outside a freeze, to
    or from a Spawn::Command worker, or past QForkRpcFd::maxPerMessage).
*/
QFORKRPC_EXPORT quint32 qForkRpcFreezeFd(const QForkRpcFd &fd);
/*!
    \brief For a registered serialiser's thaw function: the descriptor the message being thawed
    carries under \a number. Throws std::runtime_error if it carries none by that number.
*/
QFORKRPC_EXPORT QForkRpcFd qForkRpcThawFd(quint32 number);

/*!
    \brief How the \c datastream serialiser writes a QForkRpcFd: its number in the message as a
    quint32 (0xffffffff for an invalid one), through qForkRpcFreezeFd() and qForkRpcThawFd(), so
    that it works only while a message is frozen or thawed.
*/
QFORKRPC_EXPORT QDataStream &operator<<(QDataStream &out, const QForkRpcFd &fd);
/*!
    \brief Reads what operator<<() wrote: the descriptor of that number in the message being
    thawed; a number the message does not carry fails the stream (ReadCorruptData).
*/
QFORKRPC_EXPORT QDataStream &operator>>(QDataStream &in, QForkRpcFd &fd);

Q_DECLARE_METATYPE(QForkRpcFd)
