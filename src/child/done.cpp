// SPDX-License-Identifier: MIT
// QForkRpcDone, the handle an async worker function ends its call with: a shared pointer to
// what it reaches (the worker's call, see asyncworker.cpp, or a plain function).
#include <qforkrpc/qforkrpcfunctions.h>

namespace QForkRpcDetail {

DoneTarget::~DoneTarget() = default;

namespace {
// A plain function behind the handle, for code that calls its async functions itself.
class FunctionTarget final : public DoneTarget
{
public:
    explicit FunctionTarget(std::function<void(const QVariantList &)> function)
        : m_function(std::move(function))
    { }
    void done(const QVariantList &results) override
    {
        if (m_function)
            m_function(results);
    }
    bool isCancelled() const override { return false; }
    void setProgress(int, int) override { }

private:
    std::function<void(const QVariantList &)> m_function;
};
} // namespace

std::shared_ptr<DoneTarget> doneTargetFor(std::function<void(const QVariantList &)> function)
{
    return std::make_shared<FunctionTarget>(std::move(function));
}

} // namespace QForkRpcDetail

void QForkRpcDone::operator()(const QVariantList &results) const
{
    if (m_target)
        m_target->done(results);
}

bool QForkRpcDone::isCancelled() const
{
    return m_target && m_target->isCancelled();
}

void QForkRpcDone::setProgress(int value, int maximum) const
{
    if (m_target)
        m_target->setProgress(value, maximum);
}
