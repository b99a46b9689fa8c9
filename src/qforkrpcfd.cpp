// SPDX-License-Identifier: MIT
// QForkRpcFd, and the per-thread table through which serialisers put descriptors into a frame
// and take them out of one.
#include "wire/descriptors_p.h"

#include <QtCore/QCoreApplication>

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

QForkRpcFd qForkRpcAdoptFd(int fd);

struct QForkRpcFd::Owner
{
    explicit Owner(int fd)
        : fd(fd)
    { }
    ~Owner()
    {
        // EINTR from close() on Linux still closes the descriptor: never retried.
        ::close(fd);
    }
    Owner(const Owner &) = delete;
    Owner &operator=(const Owner &) = delete;
    int fd;
};

QForkRpcFd::QForkRpcFd() = default;

QForkRpcFd QForkRpcFd::fromFd(int fd)
{
    const int copy = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return copy < 0 ? QForkRpcFd() : qForkRpcAdoptFd(copy);
}

QForkRpcFd qForkRpcAdoptFd(int fd)
{
    QForkRpcFd value;
    if (fd >= 0)
        value.m_owner = std::make_shared<const QForkRpcFd::Owner>(fd);
    return value;
}

bool QForkRpcFd::isValid() const
{
    return m_owner != nullptr;
}

int QForkRpcFd::fd() const
{
    return m_owner ? m_owner->fd : -1;
}

int QForkRpcFd::takeFd() const
{
    return m_owner ? fcntl(m_owner->fd, F_DUPFD_CLOEXEC, 0) : -1;
}

bool QForkRpcFd::operator==(const QForkRpcFd &other) const
{
    return m_owner == other.m_owner;
}

namespace QForkRpcDetail {

QForkRpcFd adoptDescriptor(int fd)
{
    return qForkRpcAdoptFd(fd);
}

namespace {
thread_local FreezingDescriptors *freezing = nullptr;
thread_local ThawingDescriptors *thawing = nullptr;

// The type is known by name from the start, so that a worker reads a QForkRpcFd in the very
// first frame (initArgs), before anything else would have registered it.
void registerType()
{
    qRegisterMetaType<QForkRpcFd>();
}
Q_CONSTRUCTOR_FUNCTION(registerType)
} // namespace

FreezingDescriptors::FreezingDescriptors(Descriptors *out)
    : out(out)
    , outer(freezing)
{
    freezing = this;
}

FreezingDescriptors::~FreezingDescriptors()
{
    freezing = outer;
}

ThawingDescriptors::ThawingDescriptors(const Descriptors &in)
    : in(in)
    , outer(thawing)
{
    thawing = this;
}

ThawingDescriptors::~ThawingDescriptors()
{
    thawing = outer;
}

} // namespace QForkRpcDetail

using namespace QForkRpcDetail;

quint32 qForkRpcFreezeFd(const QForkRpcFd &fd)
{
    if (!freezing)
        throw std::runtime_error("a QForkRpcFd is frozen only while QForkRpc freezes a message");
    if (!freezing->out)
        throw std::runtime_error(QCoreApplication::translate("QForkRpc",
            "a QForkRpcFd cannot travel to or from a worker started through a command: its "
            "pipes carry no descriptors")
                                     .toStdString());
    if (!fd.isValid())
        throw std::runtime_error("an invalid QForkRpcFd has no descriptor to send");
    if (freezing->out->size() >= QForkRpcFd::maxPerMessage)
        throw std::runtime_error(
            QCoreApplication::translate("QForkRpc", "one message may carry at most %1 descriptors")
                .arg(QForkRpcFd::maxPerMessage)
                .toStdString());
    freezing->out->append(fd);
    return quint32(freezing->out->size() - 1);
}

QForkRpcFd qForkRpcThawFd(quint32 number)
{
    if (!thawing || number >= quint32(thawing->in.size()))
        throw std::runtime_error(QCoreApplication::translate(
            "QForkRpc", "the message refers to descriptor %1, which did not come with it")
                                     .arg(number)
                                     .toStdString());
    return thawing->in.at(qsizetype(number));
}

namespace {
constexpr quint32 invalidNumber = 0xffffffffu;
} // namespace

QDataStream &operator<<(QDataStream &out, const QForkRpcFd &fd)
{
    if (!fd.isValid())
        return out << invalidNumber;
    // A refusal throws, through Qt's writer, to the serialiser's caller: that call fails with it.
    return out << qForkRpcFreezeFd(fd);
}

QDataStream &operator>>(QDataStream &in, QForkRpcFd &fd)
{
    quint32 number = invalidNumber;
    in >> number;
    fd = QForkRpcFd();
    if (in.status() != QDataStream::Ok || number == invalidNumber)
        return in;
    try {
        fd = qForkRpcThawFd(number);
    } catch (const std::exception &) {
        in.setStatus(QDataStream::ReadCorruptData);
    }
    return in;
}
