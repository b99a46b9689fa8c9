// SPDX-License-Identifier: MIT
#pragma once

#include "qforkrpcqmlbase_p.h"

#include <QtCore/QPointer>
#include <QtQml/qqmlregistration.h>

class QForkRpc;

// The QML type ForkRpc (import QForkRpc 1.0): one worker, owned by the object. README.md, "Using
// QForkRpc from QML", is its documentation; the short version:
//
//   ForkRpc {
//       functionName: "MyWorker::run"   // or, from JavaScript, rpc.function = "..."
//       async: false; serialiser: "datastream"; init: ""; initArgs: []; program: ""
//       callTimeoutMs: 0
//       onEvent: (args) => ...
//       onError: (message) => ...
//       onDestroyed: ...                 // after finish(): every call handled, worker gone
//   }
//   const job = rpc.call([1, "two"], (results) => ...); rpc.finish()
//   job.cancel(); job.progress; job.maximum; job.status; job.error   (qforkrpccallqml_p.h)
//
// Its members are those of QForkRpcQmlBase (qforkrpcqmlbase_p.h), which ForkRpcPool shares. The
// worker starts when the component is complete (QQmlParserStatus::componentComplete), or at the
// first call() or finish() if that comes first or the function was not set by then. The
// settings are read once, at that start; changing them later only warns.
//
// Two names differ from the C++ API, because QML cannot use them:
// - `function` is a reserved word of JavaScript, and QML's grammar rejects it as the name of a
//   binding (`function: "x"` is a syntax error). The property exists and works from JavaScript
//   (rpc.function = "x"); `functionName` is the same property under a name bindings accept.
// - nothing else: `event`, `error` and `destroyed` work as signal names in Qt 6.4 (QML hides
//   QObject::destroyed(QObject *), so onDestroyed reaches ours only; tests/qml checks all three).
//
// `running` is true from the start of the worker until it is gone: after finish() (with
// destroyed()), or when it died or failed to start (with error()).
class QForkRpcQml : public QForkRpcQmlBase
{
    Q_OBJECT
    QML_NAMED_ELEMENT(ForkRpc)

public:
    explicit QForkRpcQml(QObject *parent = nullptr);
    ~QForkRpcQml() override;

protected:
    const char *typeName() const override { return "ForkRpc"; }
    const char *startedThing() const override { return "worker"; }
    void start(const QForkRpc::Options &worker) override;
    QFuture<QVariantList> startCall(const QVariantList &args) override;
    void finishStarted() override;
    int pendingOfStarted() const override;

private:
    void followState();

    QPointer<QForkRpc> m_rpc;
};
