// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcQForkRpc) // "qforkrpc": errors nobody listens to, misuse
Q_DECLARE_LOGGING_CATEGORY(lcQForkRpcSpawn) // "qforkrpc.spawn": template, exec and fork
Q_DECLARE_LOGGING_CATEGORY(lcQForkRpcProtocol) // "qforkrpc.protocol": frames on the wire
