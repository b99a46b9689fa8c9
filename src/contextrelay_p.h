// SPDX-License-Identifier: MIT
// Delivers one call's results to a callback in a context object's thread, and not at all once the
// context is gone: a queued (or, in the same thread, direct) connection to the context, which Qt
// drops with the context, as QObject::connect(sender, signal, context, functor) does.
#pragma once

#include <QtCore/QObject>
#include <QtCore/QVariantList>

#include <functional>
#include <memory>

namespace QForkRpcDetail {

class ContextRelay : public QObject
{
    Q_OBJECT
public:
    ContextRelay(const QObject *context, std::function<void(const QVariantList &)> callback)
    {
        connect(this, &ContextRelay::deliver, context, std::move(callback));
        // It only emits, from whichever thread delivers results, and may be deleted there.
        moveToThread(nullptr);
    }

Q_SIGNALS:
    void deliver(const QVariantList &results);
};

// The callback a call keeps for `callback` in `context`: the relay lives as long as the call
// waits (the callback holds it). Without a context, `callback` itself.
inline std::function<void(const QVariantList &)> inContext(
    const QObject *context, std::function<void(const QVariantList &)> callback)
{
    if (!context)
        return callback;
    auto relay = std::make_shared<ContextRelay>(context, std::move(callback));
    return [relay](const QVariantList &results) { Q_EMIT relay->deliver(results); };
}

} // namespace QForkRpcDetail
