// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>
#include <qforkrpc/qforkrpcfunctions.h>

#include <QtCore/QFuture>
#include <QtCore/QLocale>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantList>

#include <functional>
#include <memory>

class QForkRpcPrivate;

/*!
    \class QForkRpc
    \brief Runs a named function in a forked child process and delivers its results, events and
    errors through callbacks and signals.

    A QForkRpc is the parent-side handle of one worker process, like the code reference that
    Perl's \c AnyEvent::Fork::RPC::run returns. Create it with run(), queue calls with call(),
    and end it with finish() (the original's \c{undef $rpc}) or by deleting it.

    \code
    auto *rpc = QForkRpc::run(QStringLiteral("MyWorker::run"));
    QObject::connect(rpc, &QForkRpc::event, [](const QVariantList &args) { ... });
    rpc->call({QStringLiteral("rmdir"), path}, [](const QVariantList &results) { ... });
    rpc->finish();
    \endcode
*/
class QFORKRPC_EXPORT QForkRpc : public QObject
{
    Q_OBJECT

public:
    /*!
        How the worker process is created.
        \value Auto     Template if initialize() ran, else Exec if Options::program is set, else
                        Fork for the sync backend; otherwise run() reports an error.
        \value Template Fork from the template process that initialize() started.
        \value Exec     Start Options::program (or this program) fresh; its main() must call
                        initialize(), which runs the worker.
        \value Fork     Fork the calling process directly. Sync backend only; meant for small
                        single-threaded programs, as the child inherits the parent's memory.
    */
    enum class Spawn { Auto, Template, Exec, Fork };
    Q_ENUM(Spawn)

    /*! The options of run(); every member has a sensible default. */
    struct Options
    {
        bool async = false; //!< use the async backend (the child runs a QCoreApplication)
        QString init; //!< name of a registered init function, or empty
        QVariantList initArgs; //!< arguments passed to \c init
        QString serialiser = QStringLiteral("datastream"); //!< "datastream", "octets", "json", "cbor" or a registered name
        QStringList require; //!< shared libraries the child loads before \c init
        Spawn spawn = Spawn::Auto; //!< how the worker is created
        QString program; //!< Exec: worker program to run; empty means this program
        /*!
            At most this many calls may wait for their results; call() beyond it fails at once
            (through error() and a failed future). 0 means no limit.
        */
        int maxPendingCalls = 1000000;
        /*!
            At most this many bytes of requests may wait in the parent for the worker to read
            them (a worker that stops reading cannot make the parent grow without bound); call()
            beyond it fails at once. A single request larger than this is still sent when nothing
            else waits. 0 means no limit.
        */
        qint64 maxQueuedBytes = 256 * 1024 * 1024;
    };

    /*!
        Starts the machinery; call it as the first statement of main().

        In a process that was started as a worker (Spawn::Exec) it runs the worker and never
        returns. Otherwise it forks the template process, while the program is still
        single-threaded, from which Spawn::Template workers are forked later. Calling it again
        does nothing. The template exits when the program exits, even by SIGKILL.
    */
    static void initialize(int argc, char **argv);

    /*!
        Starts a worker that runs \a function and returns its handle at once. Every failure to
        start is reported through error() after run() returns. The object is owned by \a parent
        (or by nobody).
    */
    static QForkRpc *run(const QString &function, const Options &options, QObject *parent = nullptr);
    static QForkRpc *run(const QString &function, QObject *parent = nullptr);

    /*!
        Registers a worker function under \a name: a sync function
        \c{QVariantList(const QVariantList &)}, an async function
        \c{void(QForkRpcDone, const QVariantList &)} or an init function
        \c{void(const QVariantList &)}. Register before initialize() so that every worker has it;
        QFORKRPC_REGISTER does this at static-initialisation time.
    */
    template<typename Function>
    static bool registerFunction(const QString &name, Function &&function)
    {
        return QForkRpcFunctions::registerFunction(name, std::forward<Function>(function));
    }

    /*!
        Registers a serialiser under \a name. \a freeze turns a list of values into bytes, \a thaw
        turns them back; either may throw an exception derived from std::exception to fail the
        call it works for. Register before initialize() so that parent and workers both have it.
    */
    static bool registerSerialiser(const QString &name, QForkRpcFreeze freeze, QForkRpcThaw thaw);

    /*!
        Installs QForkRpc's translation of its error messages for \a locale (German and French
        ship with the library) on the application; call it after creating the QCoreApplication.
        Returns false when there is no translation for that locale (English stays).
    */
    static bool installTranslator(const QLocale &locale = QLocale());

    ~QForkRpc() override;

    /*!
        Calls the function in the worker with \a args; \a callback runs in this object's thread
        with the function's results (sync) or the values passed to \c done (async). A call that
        fails is reported through error() and its callback is not called.
    */
    void call(const QVariantList &args, std::function<void(const QVariantList &results)> callback);

    /*! The same call, reported through a QFuture; a failed call is a failed future. */
    QFuture<QVariantList> call(const QVariantList &args);

    /*!
        Stops accepting calls: the worker runs every queued call, reports the results and exits,
        and then destroyed() is emitted. A call() after finish() is reported through error().
    */
    void finish();

    /*! The worker's process id once known, else 0. */
    qint64 processId() const;

    /*! The number of calls whose results have not arrived yet. */
    int pendingCalls() const;

    /*! The function this worker runs. */
    QString function() const;

Q_SIGNALS:
// These names are the contract: event() hides QObject::event(QEvent *) on purpose (Qt still
// reaches that one through QObject), so the warning about the hidden virtual is silenced here.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#endif
    /*! Emitted for every QForkRpcChild::event() in the worker, in the order the worker sent them. */
    void event(const QVariantList &args);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    /*!
        Fatal errors and failed calls, as human-readable text. With nothing connected here but
        something connected to event(), an error arrives as \c{event({"error", message})}; with
        neither, it is logged through the \c qforkrpc category.
    */
    void error(const QString &message);
    /*!
        Emitted after finish() once every call has been handled (answered or failed) and the
        worker is gone. It sits beside QObject::destroyed(QObject *), which still works.
    */
    void destroyed();

private:
    explicit QForkRpc(QObject *parent);
    Q_DECLARE_PRIVATE(QForkRpc)
    std::unique_ptr<QForkRpcPrivate> d_ptr;
};
