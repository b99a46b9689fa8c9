// SPDX-License-Identifier: MIT
// Turning error codes (wire/messages_p.h) into text: errors travel from the worker as codes so
// that the parent translates them. A few more texts sit beside the code that needs them.
#pragma once

#include "wire/messages_p.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace QForkRpcDetail {

QString errorText(ErrorCode code, const QStringList &args);
inline QString errorText(const ErrorReport &report)
{
    return errorText(report.code, report.args);
}

// "; 1 call was running, 3 never ran": what a worker's end took with it, and what its pool gives
// to another worker; empty when nothing.
QString lostCallsText(int running, int neverRan, int passedOn = 0);

// "exited with code 3", "was killed by signal 11 (Segmentation fault)", from a waitpid() status.
QString exitStatusText(int waitStatus);

} // namespace QForkRpcDetail
