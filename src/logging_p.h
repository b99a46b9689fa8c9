// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcQForkRpc) // "qforkrpc": errors nobody listens to, misuse
Q_DECLARE_LOGGING_CATEGORY(lcQForkRpcSpawn) // "qforkrpc.spawn": template, exec and fork
