// SPDX-License-Identifier: MIT
// QForkRpc and QForkRpcPool take calls from any thread: a call from another thread is made in the
// object's thread (whose event loop must run), in the order that thread made its calls.
#pragma once

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtCore/QVariantList>

#include <memory>
#include <utility>

namespace QForkRpcDetail {

// Runs `run` now in `object`'s thread, or queues it there from another thread.
template <typename Run> void inThreadOf(QObject *object, Run &&run)
{
    if (QThread::currentThread() == object->thread())
        run();
    else
        QMetaObject::invokeMethod(object, std::forward<Run>(run), Qt::QueuedConnection);
}

// Gives `make` a new promise in `object`'s thread (see inThreadOf()) and returns its future. A call
// that never comes to be made (the object is deleted first) leaves its future cancelled.
template <typename Make> QFuture<QVariantList> futureCall(QObject *object, Make &&make)
{
    auto promise = std::make_unique<QPromise<QVariantList>>();
    QFuture<QVariantList> future = promise->future();
    if (QThread::currentThread() == object->thread()) {
        make(std::move(promise));
        return future;
    }
    // Queued functors must be copyable.
    auto shared = std::make_shared<std::unique_ptr<QPromise<QVariantList>>>(std::move(promise));
    QMetaObject::invokeMethod(
        object, [make = std::forward<Make>(make), shared] { make(std::move(*shared)); },
        Qt::QueuedConnection);
    return future;
}

} // namespace QForkRpcDetail
