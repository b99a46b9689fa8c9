// SPDX-License-Identifier: MIT
// ForkRpcCall: one call of a ForkRpc or ForkRpcPool, following the QFuture of its call(args).
#include "qforkrpccallqml_p.h"

#include "jsvalues_p.h"
#include "qforkrpcqmlbase_p.h"

#include <QForkRpc>

#include <QtQml/QJSEngine>
#include <QtQml/QQmlInfo>

#include <exception>

namespace {

QForkRpcCallQml::Error errorOf(QForkRpcError::Kind kind)
{
    // No default: a kind added to QForkRpcError warns here (-Wswitch) until QML has it too.
    switch (kind) {
    case QForkRpcError::Kind::StartFailed:
        return QForkRpcCallQml::StartFailed;
    case QForkRpcError::Kind::Threw:
        return QForkRpcCallQml::Threw;
    case QForkRpcError::Kind::WorkerDied:
        return QForkRpcCallQml::WorkerDied;
    case QForkRpcError::Kind::NotRun:
        return QForkRpcCallQml::NotRun;
    case QForkRpcError::Kind::TimedOut:
        return QForkRpcCallQml::TimedOut;
    case QForkRpcError::Kind::Refused:
        return QForkRpcCallQml::Refused;
    case QForkRpcError::Kind::Protocol:
        return QForkRpcCallQml::Protocol;
    }
    return QForkRpcCallQml::UnknownError;
}

// QFutureInterface sends at most 25 progress signals a second and drops the updates in between
// without sending them later, so a value that came within 40 ms of the last signal would stay
// unseen while the call runs on. Looking again after a quiet moment shows it.
constexpr int progressSettleMs = 50;

} // namespace

QForkRpcCallQml::QForkRpcCallQml(
    const QFuture<QVariantList> &future, const QJSValue &callback, QForkRpcQmlBase *owner)
    : QObject(owner)
    , m_future(future)
    , m_callback(callback)
    , m_owner(owner)
{
    QJSEngine::setObjectOwnership(this, QJSEngine::JavaScriptOwnership);

    m_progressSettle.setSingleShot(true);
    m_progressSettle.setInterval(progressSettleMs);
    connect(&m_progressSettle, &QTimer::timeout, this, &QForkRpcCallQml::updateProgress);
    auto progressSignal = [this] {
        updateProgress();
        m_progressSettle.start();
    };
    connect(&m_watcher, &QFutureWatcher<QVariantList>::progressValueChanged, this, progressSignal);
    connect(&m_watcher, &QFutureWatcher<QVariantList>::progressRangeChanged, this, progressSignal);
    // A future the continuation below does not report: cancelled by QForkRpc itself, or one that
    // had already failed when call() returned (that one is reported here, after call() returned).
    // And a cancelled call leaves ForkRpc's `pending` only when QForkRpc has heard of the cancel,
    // through the event loop; it finishes the future then.
    connect(&m_watcher, &QFutureWatcher<QVariantList>::finished, this, [this] {
        settle();
        if (m_owner)
            m_owner->updatePending();
    });
    m_watcher.setFuture(m_future);

    // Results and failures are reported the moment QForkRpc finishes the future, in its thread
    // (ours): so a callback keeps its place among events and other callbacks, as with
    // QForkRpc::call(args, callback). The watcher's signals would come later, through the event
    // loop. (A QFuture has room for one continuation; this future is ours alone, so it is free.)
    if (!m_future.isFinished()) {
        m_future.then(QtFuture::Launch::Sync,
            [self = QPointer<QForkRpcCallQml>(this)](const QFuture<QVariantList> &) {
                if (self)
                    self->settle();
            });
    }
}

QForkRpcCallQml::~QForkRpcCallQml() = default;

bool QForkRpcCallQml::cancel()
{
    if (m_status != Pending)
        return false;
    m_future.cancel();
    end(Cancelled);
    // QForkRpc hears of the cancel through the event loop, and only then leaves the call out of
    // its pendingCalls(). The watcher's finished() says when, unless the garbage collector has
    // deleted us by then; this comes after QForkRpc's news in any case.
    if (m_owner) {
        QMetaObject::invokeMethod(
            m_owner.data(), [owner = m_owner] { owner->updatePending(); }, Qt::QueuedConnection);
    }
    Q_EMIT cancelled();
    return true;
}

void QForkRpcCallQml::updateProgress()
{
    if (m_status != Pending)
        return; // none after the end
    const int maximum = m_future.progressMaximum();
    // Without a range nobody reported progress: what QFuture then counts is its results (1 once
    // they are in), which is no progress of the call.
    if (maximum <= 0)
        return;
    const int progress = m_future.progressValue();
    if (progress == m_progress && maximum == m_maximum)
        return;
    m_progress = progress;
    m_maximum = maximum;
    Q_EMIT progressChanged();
}

void QForkRpcCallQml::settle()
{
    if (m_status != Pending || !m_future.isFinished())
        return;
    // The last progress before the results first: QFutureInterface may have kept it from its
    // signals (see progressSettleMs).
    updateProgress();

    Error error = NoError;
    QString message;
    try {
        m_future.waitForFinished(); // it is finished: this only throws the failure, if any
    } catch (const QForkRpcError &e) {
        error = errorOf(e.kind());
        message = e.message();
    } catch (const std::exception &e) {
        error = UnknownError;
        message = QString::fromUtf8(e.what());
    } catch (...) {
        error = UnknownError;
    }

    if (error != NoError) {
        m_error = error;
        m_errorString = message;
        end(Failed);
        Q_EMIT failed(message, error);
        return;
    }
    if (m_future.resultCount() == 0) { // cancelled without cancel(): QForkRpc dropped it
        end(Cancelled);
        Q_EMIT cancelled();
        return;
    }

    const QForkRpcDetail::JsValues *convert = m_owner ? m_owner->values() : nullptr;
    if (convert)
        m_results = convert->toArray(m_future.result());
    const QPointer<QForkRpcQmlBase> owner = m_owner;
    const QJSValue callback = m_callback;
    end(Answered);
    Q_EMIT answered(m_results);
    if (!callback.isCallable() || !convert)
        return;
    const QJSValue result = callback.call({ m_results });
    if (result.isError() && owner) {
        qmlWarning(owner) << owner->typeName()
                          << ": a call()'s callback threw: " << result.toString() << " ("
                          << result.property(QStringLiteral("fileName")).toString() << ':'
                          << result.property(QStringLiteral("lineNumber")).toInt() << ')';
    }
}

void QForkRpcCallQml::end(Status status)
{
    m_status = status;
    m_progressSettle.stop();
    m_callback = QJSValue(); // it may hold what holds us
    disconnect(&m_watcher, &QFutureWatcher<QVariantList>::progressValueChanged, this, nullptr);
    disconnect(&m_watcher, &QFutureWatcher<QVariantList>::progressRangeChanged, this, nullptr);

    // Leave the ForkRpc, so that the garbage collector may delete us once JavaScript lets go. It
    // deletes only objects it has a wrapper for: make sure there is one (the one JavaScript holds,
    // if any, else a new one nobody refers to, which goes at the next collection).
    if (QJSEngine *engine = m_owner ? qjsEngine(m_owner) : nullptr) {
        setParent(nullptr);
        engine->newQObject(this);
    }
    if (m_owner)
        m_owner->updatePending();
    Q_EMIT statusChanged();
}
