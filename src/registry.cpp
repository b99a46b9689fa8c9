// SPDX-License-Identifier: MIT
#include "registry_p.h"

#include "logging_p.h"
#include "serialisers/serialisers_p.h"

#include <qforkrpc/qforkrpc.h>

namespace QForkRpcDetail {

Registry &Registry::instance()
{
    // A function-local static: registrations run during static initialisation of other
    // translation units, in an order nobody controls.
    static Registry registry;
    return registry;
}

Registry::Registry()
{
    m_serialisers.insert(QStringLiteral("datastream"), dataStreamSerialiser());
    m_serialisers.insert(QStringLiteral("octets"), octetsSerialiser());
    m_serialisers.insert(QStringLiteral("json"), jsonSerialiser());
    m_serialisers.insert(QStringLiteral("cbor"), cborSerialiser());
}

const RegisteredFunction *Registry::function(const QString &name) const
{
    const auto it = m_functions.constFind(name);
    return it == m_functions.cend() ? nullptr : &it.value();
}

const Serialiser *Registry::serialiser(const QString &name) const
{
    const auto it = m_serialisers.constFind(name);
    return it == m_serialisers.cend() ? nullptr : &it.value();
}

bool Registry::addFunction(const QString &name, RegisteredFunction function)
{
    if (name.isEmpty())
        return false;
    if (m_functions.contains(name))
        qCWarning(lcQForkRpc) << "replacing the registered function" << name;
    m_functions.insert(name, std::move(function));
    return true;
}

bool Registry::addSerialiser(const QString &name, Serialiser serialiser)
{
    if (name.isEmpty() || !serialiser.freeze || !serialiser.thaw)
        return false;
    serialiser.customName = name;
    m_serialisers.insert(name, std::move(serialiser));
    return true;
}

QString functionKindName(FunctionKind kind)
{
    switch (kind) {
    case FunctionKind::Sync:
        return QStringLiteral("sync");
    case FunctionKind::Async:
        return QStringLiteral("async");
    case FunctionKind::Init:
        return QStringLiteral("init");
    }
    return QString();
}

bool registerSync(const QString &name, SyncFunction function)
{
    RegisteredFunction entry;
    entry.kind = FunctionKind::Sync;
    entry.sync = std::move(function);
    return Registry::instance().addFunction(name, std::move(entry));
}

bool registerAsync(const QString &name, AsyncFunction function)
{
    RegisteredFunction entry;
    entry.kind = FunctionKind::Async;
    entry.async = std::move(function);
    return Registry::instance().addFunction(name, std::move(entry));
}

bool registerInit(const QString &name, InitFunction function)
{
    RegisteredFunction entry;
    entry.kind = FunctionKind::Init;
    entry.init = std::move(function);
    return Registry::instance().addFunction(name, std::move(entry));
}

bool registerSerialiser(const QString &name, QForkRpcFreeze freeze, QForkRpcThaw thaw)
{
    return Registry::instance().addSerialiser(
        name, Serialiser { std::move(freeze), std::move(thaw) });
}

} // namespace QForkRpcDetail

bool QForkRpc::registerSerialiser(const QString &name, QForkRpcFreeze freeze, QForkRpcThaw thaw)
{
    return QForkRpcDetail::registerSerialiser(name, std::move(freeze), std::move(thaw));
}
