// SPDX-License-Identifier: MIT
// The descriptors a frame carries (QForkRpcFd values, and a payload in shared memory), and how a
// serialiser reaches those of the message it freezes or thaws.
#pragma once

#include <qforkrpc/qforkrpcfd.h>

#include <QtCore/QList>

namespace QForkRpcDetail {

using Descriptors = QList<QForkRpcFd>;

// Takes ownership of `fd` (which must be close-on-exec): it is closed with the last copy.
QForkRpcFd adoptDescriptor(int fd);

// While one lives, qForkRpcFreezeFd() in this thread appends to `*out`, or refuses when `out` is
// null (a Command worker's pipes carry no descriptors).
class FreezingDescriptors
{
public:
    explicit FreezingDescriptors(Descriptors *out);
    ~FreezingDescriptors();
    FreezingDescriptors(const FreezingDescriptors &) = delete;
    FreezingDescriptors &operator=(const FreezingDescriptors &) = delete;

    Descriptors *const out;
    FreezingDescriptors *const outer; // a freeze inside a freeze (a serialiser's own)
};

// While one lives, qForkRpcThawFd() in this thread takes from `in`.
class ThawingDescriptors
{
public:
    explicit ThawingDescriptors(const Descriptors &in);
    ~ThawingDescriptors();
    ThawingDescriptors(const ThawingDescriptors &) = delete;
    ThawingDescriptors &operator=(const ThawingDescriptors &) = delete;

    const Descriptors &in;
    ThawingDescriptors *const outer;
};

} // namespace QForkRpcDetail
