// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QtGlobal>

#include <cerrno>
#include <unistd.h>

namespace QForkRpcDetail {

// write() until all `size` bytes are written; false (errno set) if the descriptor fails first.
inline bool writeAll(int fd, const char *data, qsizetype size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

} // namespace QForkRpcDetail
