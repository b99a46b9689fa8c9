// SPDX-License-Identifier: MIT
#pragma once

#include <qforkrpc/qforkrpc_export.h>
#include <qforkrpc/qforkrpcerror.h>
#include <qforkrpc/qforkrpcfunctions.h>

#include <QtCore/QFuture>
#include <QtCore/QLocale>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariantList>

#include <functional>
#include <memory>

/*!
    \file qforkrpc.h
    \brief The parent side of QForkRpc: the class QForkRpc, its options and its signals.

    Include it as `#include <QForkRpc>`, which brings in the whole public API.
*/

class QForkRpcPrivate;

//! \cond internal
namespace QForkRpcDetail {
// QForkRpc's direct base, there for one warning. QForkRpc's event() signal hides
// QObject::event(QEvent *) on purpose (&QForkRpc::event must name one function: no second
// overload, no using-declaration). GCC's -Woverloaded-virtual reports that at the hidden function
// and looks up the pragmas there: with QObject as the direct base, in qobject.h, which pragmas
// in this header cannot reach when Qt's headers are not system headers (pkg-config gives -I).
// Overriding event(QEvent *) here puts the hidden function inside our pragmas. It only forwards
// to QObject::event; no data, and QForkRpc's meta-object still has QObject's as its superclass.
class QFORKRPC_EXPORT EventBase : public QObject
{
protected:
    explicit EventBase(QObject *parent)
        : QObject(parent)
    { }
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#endif
    bool event(QEvent *e) override
    {
        return QObject::event(e);
    }
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
};
} // namespace QForkRpcDetail
//! \endcond

/*!
    \class QForkRpc
    \brief Runs a named function in a forked child process and delivers its results, events and
    errors through callbacks and signals.

    A QForkRpc is the parent-side handle of one worker process, like the code reference that
    Perl's \c AnyEvent::Fork::RPC::run returns. Create it with run(), queue calls with call(),
    and end it with finish() or by deleting it.

    \code
    auto *rpc = QForkRpc::run(QStringLiteral("MyWorker::run"));
    QObject::connect(rpc, &QForkRpc::event, [](const QVariantList &args) { ... });
    rpc->call({QStringLiteral("rmdir"), path}, [](const QVariantList &results) { ... });
    rpc->finish();
    \endcode

    The program's \c main() calls initialize() first; worker functions are registered with
    QFORKRPC_REGISTER (or registerFunction()) and run in the child, where QForkRpcChild::event()
    sends events back.

    \sa initialize(), QFORKRPC_REGISTER, QForkRpcChild
*/
class QFORKRPC_EXPORT QForkRpc : public QForkRpcDetail::EventBase
{
    Q_OBJECT

public:
    /*!
        \brief How the worker process is created (Options::spawn).
    */
    enum class Spawn {
        Auto, //!< Template if initialize() ran, else Exec if Options::program is set, else Fork
              //!< for the sync backend; otherwise run() reports an error.
        Template, //!< Fork from the template process that initialize() started.
        Exec, //!< Start Options::program (or this program) fresh; its \c main() must call
              //!< initialize(), which runs the worker.
        Fork, //!< Fork the calling process directly. Sync backend only; meant for small
              //!< single-threaded programs, as the child inherits the parent's memory.
        Command //!< Run Options::command (say \c ssh to another machine) and speak the protocol
                //!< over its stdin and stdout; the program it ends in calls initialize().
    };
    Q_ENUM(Spawn)

    /*!
        \brief Where a worker is in its life (state(), stateChanged()).

        \code
        connect(rpc, &QForkRpc::stateChanged, this, [](QForkRpc::State state) {
            if (state == QForkRpc::State::Ended)
                ...; // no more results, events or errors will come
        });
        \endcode
    */
    enum class State {
        Starting, //!< From run() until the worker has started (said hello); calls queue up.
        Running, //!< The worker runs calls.
        Finishing, //!< After finish(): queued calls still run, new ones are refused.
        Ended //!< The worker is gone: after destroyed(), after its death, or after it failed to
              //!< start (an init function that throws included). Final: call() fails at once.
    };
    Q_ENUM(State)

    /*!
        \brief The options of run(); every member has a sensible default.

        \code
        QForkRpc::Options options;
        options.async = true;
        options.init = QStringLiteral("MyWorker::init");
        options.initArgs = { databasePath };
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("MyWorker::run"), options, parent);
        \endcode
    */
    struct Options
    {
        bool async = false; //!< use the async backend (the child runs a QCoreApplication)
        QString init; //!< name of a registered init function, or empty
        QVariantList initArgs; //!< arguments passed to \c init
        QString serialiser = QStringLiteral(
            "datastream"); //!< "datastream", "octets", "json", "cbor" or a registered name
        QStringList require; //!< shared libraries the child loads before \c init
        Spawn spawn = Spawn::Auto; //!< how the worker is created
        QString program; //!< Exec: worker program to run; empty means this program
        /*!
            Command: the program and its arguments, for example
            <tt>{"ssh", "build7", "/usr/libexec/myapp-worker"}</tt>. \c --qforkrpc-worker-stdio
            is appended; the program it runs must call initialize() at the top of its \c main().
            The command's stderr goes on to this program's stderr, and its last lines are in
            the error() of a command that fails. The worker keeps its own environment and
            working directory (a local worker takes the parent's).
        */
        QStringList command;
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
        /*!
            A call that has not answered this many milliseconds after the worker started it
            fails (QForkRpcError::Kind::TimedOut, with an error() naming the function and the
            time), and the worker is killed, since a stuck function cannot be interrupted
            otherwise: its other calls fail with it, in one error(). The sync backend starts a call
            once the calls before it have answered, the async backend when it is sent. 0 means no
            limit.
        */
        int callTimeoutMs = 0;
        /*!
            A call's arguments or results (or an event) whose frozen bytes reach this many bytes
            travel through shared memory, as a sealed memfd passed with the message, instead of
            through the socket: one copy on each side and no wake-ups in between, so that large
            byte arrays cross faster than a socket carries them (README.md, "Large payloads and
            shared memory"). The other side receives the same values as ever. 0 means never;
            Spawn::Command workers never use it. The default is where shared memory overtook the
            socket in the benchmark's sweep (README.md).
        */
        qint64 sharedMemoryThreshold = 32 * 1024 * 1024;
    };

    /*!
        \brief Starts the machinery; call it as the first statement of \c main(), with \a argc
        and \a argv as \c main() received them.

        In a process that was started as a worker (Spawn::Exec) it runs the worker and never
        returns. Otherwise it forks the template process, while the program is still
        single-threaded, from which Spawn::Template workers are forked later. Calling it again
        does nothing. The template exits when the program exits, even by SIGKILL.

        \code
        int main(int argc, char **argv)
        {
            QForkRpc::initialize(argc, argv);
            QApplication app(argc, argv);
            ...
        }
        \endcode
    */
    static void initialize(int argc, char **argv);

    /*!
        \brief Starts a worker that runs \a function with \a options and returns its handle at
        once.

        Every failure to start is reported through error() after run() returns, so connecting
        right after run() is enough. The object is owned by \a parent (or by nobody).

        \sa call(), finish(), Options
    */
    static QForkRpc *run(
        const QString &function, const Options &options, QObject *parent = nullptr);
    /*!
        \brief Starts a worker that runs \a function with the default Options, owned by
        \a parent.
        \overload
    */
    static QForkRpc *run(const QString &function, QObject *parent = nullptr);

    /*!
        \brief Registers a worker \a function under \a name; returns false when \a name is
        empty.

        Registering a name again replaces the earlier function (with a warning).

        The signature decides the kind: a sync function <tt>QVariantList(const QVariantList &)</tt>,
        an async function <tt>void(QForkRpcDone, const QVariantList &)</tt> or an init function
        <tt>void(const QVariantList &)</tt>. Register before initialize() so that every worker has
        it; QFORKRPC_REGISTER does this at static-initialisation time.

        \sa QFORKRPC_REGISTER
    */
    template <typename Function>
    static bool registerFunction(const QString &name, Function &&function)
    {
        return QForkRpcDetail::registerFunction(name, std::forward<Function>(function));
    }

    /*!
        \brief Registers a serialiser under \a name; returns false when \a name is empty or a
        function is missing. A name registered again (a built-in one too) is replaced.

        \a freeze turns a list of values into bytes, \a thaw turns them back; either may throw an
        exception derived from \c std::exception to fail the call it works for. Register before
        initialize() so that parent and workers both have it.

        \sa QFORKRPC_REGISTER_SERIALISER, Options::serialiser
    */
    static bool registerSerialiser(const QString &name, QForkRpcFreeze freeze, QForkRpcThaw thaw);

    /*!
        \brief Installs QForkRpc's translation of its error messages for \a locale (German and
        French ship with the library) on the application.

        Call it after creating the QCoreApplication. Returns false when there is no translation
        for that locale (English stays).
    */
    static bool installTranslator(const QLocale &locale = QLocale());

    /*!
        \brief Ends the worker at once: SIGKILLs it, reaps it, and drops pending callbacks without
        calling them (pending futures are cancelled).

        Deleting the object is safe inside its own callbacks and signals.
    */
    ~QForkRpc() override;

    /*!
        \brief Calls the function in the worker with \a args; \a callback runs in this object's
        thread with the function's results (sync) or the values passed to \c done (async).

        Calls queue up: the sync backend runs them one at a time, in order, the async backend all
        at once. A call that fails is reported through error() and its callback is not called.

        It may be called from any thread: from another thread the call is queued to this object's
        thread (whose event loop must run) and made there, in the order that thread made its
        calls; \a callback still runs in this object's thread.

        \sa finish(), error()
    */
    void call(const QVariantList &args, std::function<void(const QVariantList &results)> callback);

    /*!
        \brief Calls the function in the worker with \a args and reports its results through the
        returned QFuture.

        A failed call is a failed future: its \c result() throws a QForkRpcError (a
        \c std::runtime_error) whose kind() says why and whose message() is the text also
        reported through error(). Like the other overload it may be called from any thread.

        \c future.cancel() cancels the call: one the worker has not started never runs, one
        that runs sees QForkRpcChild::isCancelled() (sync) or QForkRpcDone::isCancelled() (async)
        become true and its results are dropped. The future is cancelled at once and no error()
        is emitted. The worker's QForkRpcChild::setProgress() reaches the future's progress.

        Never call \c future.result() or \c waitForFinished() in this object's thread before the
        future has finished: the results arrive through this thread's event loop, which cannot
        run while it waits, so it waits for ever. Use \c future.then(context, ...), a
        QFutureWatcher, or waitFor().
    */
    QFuture<QVariantList> call(const QVariantList &args);

    /*!
        \brief Like call(args, callback), but \a callback runs in \a context's thread and is
        dropped (never called) once \a context is destroyed, as with QObject::connect() to a
        functor with a context object.

        \code
        rpc->call({ path }, dialog, [dialog](const QVariantList &results) {
            dialog->show(results); // never runs once the dialog is gone
        });
        \endcode
    */
    template <typename Functor>
    void call(const QVariantList &args, const QObject *context, Functor &&callback)
    {
        callInContext(args, context,
            std::function<void(const QVariantList &)>(std::forward<Functor>(callback)));
    }

    /*!
        \brief Blocks this object's thread until \a future is finished or \a msecs have
        passed, reading this worker's replies without running the event loop (as
        QProcess::waitForFinished() does); returns whether \a future finished.

        Results, events, progress and errors that come before it are delivered, in order, while
        it waits. Use it in command-line tools and tests, never in a GUI thread. Calling
        \c future.result() in the object's thread instead would wait for an event loop that
        cannot run, for ever. From another thread it simply waits for \a future (the object's
        thread delivers it).

        \code
        QFuture<QVariantList> future = rpc->call({ 6, 7 });
        if (rpc->waitFor(future, 5000))
            qDebug() << future.result(); // throws QForkRpcError if the call failed
        \endcode
    */
    bool waitFor(const QFuture<QVariantList> &future, int msecs = 30000);

    /*!
        \brief Stops accepting calls: the worker runs every queued call, reports the results and
        exits, and then destroyed() is emitted.

        A call() after finish() is reported through
        error(). destroyed() comes even when the worker died or never started.
    */
    void finish();

    /*!
        \brief The worker's process id, else 0.

        Known as soon as the worker exists (for Spawn::Template workers that is moments after
        run(), once the template has forked it, whether or not this thread's event loop runs).
        For Spawn::Command it is the command's pid (the local \c ssh, say), the process this
        program owns.
    */
    qint64 processId() const;

    /*! \brief Where the worker is in its life; see State and stateChanged(). */
    State state() const;

    /*! \brief The number of calls whose results have not arrived yet. */
    int pendingCalls() const;

    /*! \brief The function this worker runs. */
    QString function() const;

Q_SIGNALS:
// These names are the contract: event() hides event(QEvent *) on purpose (Qt still reaches
// that one through the base class), so the warning about the hidden virtual is silenced, here
// for clang, which reports it at this declaration, and above, at EventBase::event, for GCC.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverloaded-virtual"
#endif
    /*!
        \brief Emitted with \a args for every QForkRpcChild::event() in the worker, in the order
        the worker sent them (and in order with the results).
    */
    void event(const QVariantList &args);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    /*!
        \brief Fatal errors and failed calls, as human-readable (and translatable) \a message.

        With nothing connected here but something connected to event(), an error arrives as
        <tt>event({"error", message})</tt>; with neither, it is logged through the \c qforkrpc
        logging category.
    */
    void error(const QString &message);
    /*!
        \brief Emitted after finish() once every call has been handled (answered or failed) and
        the worker is gone.

        It sits beside QObject::destroyed(QObject *), which still works.
    */
    void destroyed();
    /*!
        \brief Emitted with the new \a state each time state() changes: Starting to Running when
        the worker has started, to Finishing on finish(), and to Ended last of all (after the
        error() and the destroyed() that belong to the end).
    */
    void stateChanged(QForkRpc::State state);

private:
    explicit QForkRpc(QObject *parent);
    void callInContext(const QVariantList &args, const QObject *context,
        std::function<void(const QVariantList &)> callback);
    Q_DECLARE_PRIVATE(QForkRpc)
    std::unique_ptr<QForkRpcPrivate> d_ptr;
};
