// SPDX-License-Identifier: MIT
// Every message a user can read, in one place, through the "QForkRpc" translation context.
#pragma once

#include "protocol_p.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace QForkRpcDetail {

QString errorText(ErrorCode code, const QStringList &args);
inline QString errorText(const ErrorReport &report)
{
    return errorText(report.code, report.args);
}

// "exited with code 3", "was killed by signal 11 (Segmentation fault)", from a waitpid() status.
QString exitStatusText(int waitStatus);

} // namespace QForkRpcDetail
