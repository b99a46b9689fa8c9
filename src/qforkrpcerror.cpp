// SPDX-License-Identifier: MIT
#include <qforkrpc/qforkrpcerror.h>

QForkRpcError::QForkRpcError(Kind kind, const QString &message)
    : std::runtime_error(message.toStdString())
    , m_kind(kind)
    , m_message(message)
{ }
