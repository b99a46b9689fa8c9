// SPDX-License-Identifier: MIT
#include "logging_p.h"

Q_LOGGING_CATEGORY(lcQForkRpc, "qforkrpc", QtInfoMsg)
Q_LOGGING_CATEGORY(lcQForkRpcSpawn, "qforkrpc.spawn", QtWarningMsg)
