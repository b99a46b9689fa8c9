// SPDX-License-Identifier: MIT
// Where QForkRpc's and QForkRpcPool's error() messages go when nobody listens.
#pragma once

#include "logging_p.h"

#include <QtCore/QPointer>
#include <QtCore/QString>

namespace QForkRpcDetail {

// The original's routing: on_error if set, else on_event("error", ...), else stderr (our log).
// Returns false when a slot deleted `object`. (Only the object's private class may ask
// QObject::isSignalConnected(), so it passes what it found.)
template <typename Object>
bool routeError(Object *object, bool errorConnected, bool eventConnected, const QString &message)
{
    QPointer<Object> alive(object);
    if (errorConnected)
        Q_EMIT object->error(message);
    else if (eventConnected)
        Q_EMIT object->event({ QStringLiteral("error"), message });
    else
        qCWarning(lcQForkRpc).noquote() << message;
    return !alive.isNull();
}

} // namespace QForkRpcDetail
