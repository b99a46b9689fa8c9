// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc.h>

#include <QtCore/QFuture>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariantList>

#include <functional>
#include <memory>

/*!
    \file qforkrpcpool.h
    \brief QForkRpcPool: a load-balanced set of workers that all run the same function.
*/

class QForkRpcPoolPrivate;

/*!
    \class QForkRpcPool
    \brief A load-balanced pool of workers that all run the same function, Perl's
    AnyEvent::Fork::Pool for Qt.

    Calls go to the least loaded worker, at most Options::load at a time; the rest wait in the
    pool, in order. Workers are started as calls need them (up to Options::max), kept while they
    are busy, and finished after Options::stopDelayMs idle. A worker that dies takes only its own
    calls with it: its calls that never ran go to another worker, the pool reports one error()
    naming the worker's pid and the cause, and starts a fresh worker when there is work.

    \code
    QForkRpcPool::Options options;
    options.worker.init = QStringLiteral("Thumbnails::init");
    auto *pool = QForkRpcPool::run(QStringLiteral("Thumbnails::make"), options, this);
    for (const QString &file : files)
        pool->call({ file }, this, [this, file](const QVariantList &results) { ... });
    pool->finish(); // destroyed() once every call is handled and every worker gone
    \endcode

    Calls are made exactly as with QForkRpc: a callback, a callback in a context object's
    thread, or a QFuture that reports progress, can be cancelled and fails with a QForkRpcError.

    \sa QForkRpc, QForkRpcChild::retire()
*/
class QFORKRPC_EXPORT QForkRpcPool : public QForkRpcDetail::EventBase
{
    Q_OBJECT

public:
    /*!
        \brief The options of run(); every member has a sensible default.

        \code
        QForkRpcPool::Options options;
        options.worker.async = true;    // how every worker is started
        options.max = 8;
        options.maxCallsPerWorker = 1000; // recycle workers that leak
        options.retries = 1;
        \endcode
    */
    struct Options
    {
        //! How every worker is started (backend, init, serialiser, spawn, callTimeoutMs, ...).
        QForkRpc::Options worker;
        //! The most workers at once; 0 means QThread::idealThreadCount().
        int max = 0;
        //! Started at once, and kept (within max) so that at least this many workers wait idle.
        int idle = 0;
        //! Calls handed to one worker at a time; the sync backend runs them one after the other.
        int load = 2;
        //! Every worker at load: wait this long before starting another.
        int startDelayMs = 100;
        //! A worker idle this long is finished, down to idle workers.
        int stopDelayMs = 10000;
        //! A worker that was given this many calls is finished and replaced; 0 means never.
        int maxCallsPerWorker = 0;
        //! A call whose worker died (QForkRpcError::Kind::WorkerDied; not one that threw or timed
        //! out) is tried again on another worker this many times before it fails. With commands,
        //! a call whose worker could not start (StartFailed) is tried on another one too.
        int retries = 0;
        //! A cancelled call still running this long after it was cancelled: its worker is killed
        //! and replaced (-1: never).
        int cancelKillAfterMs = 1000;
        //! Calls waiting for a worker beyond this fail at once (QForkRpcError::Kind::Refused);
        //! 0 means no limit.
        int maxQueuedCalls = 0;
        //! When not empty, workers are started with QForkRpc::Spawn::Command, taking these
        //! commands in turn (say one per machine: <tt>{"ssh", "host1", "/usr/bin/app"}</tt>), so
        //! that the pool spreads its calls over them; worker.spawn and worker.command are ignored.
        QList<QStringList> commands;
    };

    /*!
        \brief Starts a pool whose workers run \a function with \a options, owned by \a parent.

        Options::idle workers start at once, the others when calls need them. Every failure is
        reported through error() after run() returns.
    */
    static QForkRpcPool *run(
        const QString &function, const Options &options, QObject *parent = nullptr);
    /*!
        \brief Starts a pool with the default Options, owned by \a parent.
        \overload
    */
    static QForkRpcPool *run(const QString &function, QObject *parent = nullptr);

    /*!
        \brief Kills every worker at once and drops pending callbacks without calling them
        (pending futures are cancelled), as deleting a QForkRpc does.
    */
    ~QForkRpcPool() override;

    /*!
        \brief Calls the function in a worker with \a args; \a callback runs in this object's
        thread with the results. A call that fails is reported through error() and its callback
        is not called. May be called from any thread, as QForkRpc::call().
    */
    void call(const QVariantList &args, std::function<void(const QVariantList &results)> callback);

    /*!
        \brief Like call(args, callback), but \a callback runs in \a context's thread and is
        dropped once \a context is destroyed.
    */
    template <typename Functor>
    void call(const QVariantList &args, const QObject *context, Functor &&callback)
    {
        callInContext(args, context,
            std::function<void(const QVariantList &)>(std::forward<Functor>(callback)));
    }

    /*!
        \brief Calls the function in a worker with \a args and reports its results, progress
        and failure (a QForkRpcError) through the returned QFuture.

        \c future.cancel() cancels the call: one still waiting in the pool or in a worker never
        runs; one that runs sees QForkRpcChild::isCancelled() (or QForkRpcDone::isCancelled())
        become true, and if it still runs Options::cancelKillAfterMs later, its worker is killed
        and replaced. As with QForkRpc, never wait for the future in this object's thread.
    */
    QFuture<QVariantList> call(const QVariantList &args);

    /*!
        \brief Stops accepting calls: calls already made still run, then the workers exit and
        destroyed() is emitted (Perl's "undef $pool").
    */
    void finish();

    /*! \brief The workers started and not yet gone. */
    int workerCount() const;

    /*! \brief The calls queued or running, not yet answered. */
    int pendingCalls() const;

    /*! \brief The function the workers run. */
    QString function() const;

Q_SIGNALS:
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#endif
    /*!
        \brief Emitted with \a args for every QForkRpcChild::event() in any worker, in each
        worker's order (and in order with that worker's results).
    */
    void event(const QVariantList &args);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    /*!
        \brief Failed calls and workers that died or could not start, as \a message; one fault
        gives one error. Routed as QForkRpc::error(): to event({"error", message}) when only
        event() is connected, else to the log.
    */
    void error(const QString &message);
    /*!
        \brief Emitted after finish() once every call has been handled and every worker is gone.
    */
    void destroyed();

private:
    explicit QForkRpcPool(QObject *parent);
    void callInContext(const QVariantList &args, const QObject *context,
        std::function<void(const QVariantList &)> callback);
    Q_DECLARE_PRIVATE(QForkRpcPool)
    std::unique_ptr<QForkRpcPoolPrivate> d_ptr;
};
