// SPDX-License-Identifier: MIT
#include "wire/sharedmemory_p.h"

#include <QtCore/QVarLengthArray>

#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
constexpr int sealsWeNeed = F_SEAL_WRITE | F_SEAL_SHRINK;
constexpr int sealsWeSet = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

// writev() until everything is written; false (errno set) if it fails.
bool writeAll(int fd, const FramePayload &payload)
{
    qsizetype piece = 0;
    qsizetype offset = 0; // into pieces()[piece]
    const auto &pieces = payload.pieces();
    while (piece < pieces.size()) {
        iovec parts[64];
        int count = 0;
        for (qsizetype i = piece; i < pieces.size() && count < 64; ++i, ++count) {
            const qsizetype skip = i == piece ? offset : 0;
            parts[count] = { const_cast<char *>(pieces[i].constData()) + skip,
                size_t(pieces[i].size() - skip) };
        }
        ssize_t n = writev(fd, parts, count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        while (n > 0 && piece < pieces.size()) {
            const qsizetype left = pieces[piece].size() - offset;
            if (n < left) {
                offset += n;
                break;
            }
            n -= left;
            ++piece;
            offset = 0;
        }
        while (piece < pieces.size() && pieces[piece].size() == offset) { // empty pieces
            ++piece;
            offset = 0;
        }
    }
    return true;
}
} // namespace

int sealedMemfdWith(const FramePayload &payload)
{
    const int fd = memfd_create("qforkrpc-payload", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    if (!writeAll(fd, payload) || fcntl(fd, F_ADD_SEALS, sealsWeSet) < 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

bool readSealedMemfd(int fd, quint32 length, QByteArray *bytes, QString *error)
{
    const int seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0 || (seals & sealsWeNeed) != sealsWeNeed) {
        *error = QStringLiteral("a payload in shared memory came in a descriptor that is not a "
                                "memfd sealed against writing and shrinking");
        return false;
    }
    struct stat status = {};
    if (fstat(fd, &status) < 0 || quint64(status.st_size) != length) {
        *error = QStringLiteral("a payload in shared memory is %1 bytes long, not the %2 its "
                                "frame says")
                     .arg(qint64(status.st_size))
                     .arg(length);
        return false;
    }
    QByteArray data(qsizetype(length), Qt::Uninitialized);
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = pread(fd, data.data() + done, size_t(data.size() - done), done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = QStringLiteral("a payload in shared memory could not be read");
            return false;
        }
        done += n;
    }
    *bytes = std::move(data);
    return true;
}

} // namespace QForkRpcDetail
