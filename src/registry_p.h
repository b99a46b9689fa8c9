// SPDX-License-Identifier: MIT
// The process-wide table of worker functions and serialisers, filled at static-initialisation
// time (QFORKRPC_REGISTER) or before initialize(), so that the template and every worker forked
// from it have the same table. Registration is not thread-safe: it happens before threads exist.
#pragma once

#include "serialisers/serialisers_p.h"

#include <qforkrpc/qforkrpcfunctions.h>

#include <QtCore/QHash>
#include <QtCore/QString>

namespace QForkRpcDetail {

enum class FunctionKind { Sync, Async, Init };

struct RegisteredFunction
{
    FunctionKind kind = FunctionKind::Sync;
    SyncFunction sync;
    AsyncFunction async;
    InitFunction init;
};

class Registry
{
public:
    static Registry &instance();

    const RegisteredFunction *function(const QString &name) const;
    const Serialiser *serialiser(const QString &name) const;

    bool addFunction(const QString &name, RegisteredFunction function);
    bool addSerialiser(const QString &name, Serialiser serialiser);

private:
    Registry();
    QHash<QString, RegisteredFunction> m_functions;
    QHash<QString, Serialiser> m_serialisers;
};

QString functionKindName(FunctionKind kind);

} // namespace QForkRpcDetail
