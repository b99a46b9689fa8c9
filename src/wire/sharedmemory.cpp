// SPDX-License-Identifier: MIT
#include "wire/sharedmemory_p.h"

#include "wire/writeall_p.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
constexpr int sealsWeNeed = F_SEAL_WRITE | F_SEAL_SHRINK;
constexpr int sealsWeSet = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

// Writes every piece in turn. The kernel copies into the memfd's pages through its own mapping of
// them: no page of this process is touched. Filling a mapping of the memfd instead (ftruncate +
// mmap(MAP_SHARED | MAP_POPULATE) + memcpy) takes a page table entry per 4 KiB page (shmem has no
// transparent huge pages by default) and was about ten times slower for 64 MiB on the development
// VM; fallocate() first only adds zeroing.
bool writePieces(int fd, const FramePayload &payload)
{
    for (const QByteArray &piece : payload.pieces())
        if (!writeAll(fd, piece.constData(), piece.size()))
            return false;
    return true;
}

// The size of a transparent huge page (a PMD's worth), or 0 if the system has none.
qsizetype hugePageSize()
{
    static const qsizetype size = [] {
        const int fd
            = ::open("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return qsizetype(0);
        char text[32] = {};
        const ssize_t n = ::read(fd, text, sizeof text - 1);
        ::close(fd);
        return n > 0 ? qsizetype(std::strtoll(text, nullptr, 10)) : qsizetype(0);
    }();
    return size;
}

// Gets the pages of a freshly allocated buffer before pread() fills it: the whole huge pages in
// it as transparent huge pages, then every page at once. Without this the copy faults in one
// 4 KiB page at a time, and on virtual machines, where a page table change is expensive, those
// faults cost many times the copy itself: on the development VM a 64 MiB payload took about
// 400 ms to read into 4 KiB pages, about 20 ms into huge ones. Mapping the memfd and copying
// from the mapping (mmap(MAP_SHARED | MAP_POPULATE) + memcpy) was slower than pread() (60-100 ms):
// the mapping's 4 KiB page table entries cost what the destination's no longer do. Hints only:
// where the kernel refuses (no THP, THP "never", a kernel before 5.14), pread() faults the pages
// in as before.
void prepareDestination(char *data, qsizetype size)
{
    const auto begin = reinterpret_cast<quintptr>(data);
    const auto end = begin + quintptr(size);
    const auto huge = quintptr(hugePageSize());
    if (huge > 0 && (huge & (huge - 1)) == 0) {
        // Only whole huge pages: an advice on less would split the mapping for nothing.
        const quintptr from = (begin + huge - 1) & ~(huge - 1);
        const quintptr to = end & ~(huge - 1);
        if (from < to)
            madvise(reinterpret_cast<void *>(from), to - from, MADV_HUGEPAGE);
    }
#ifdef MADV_POPULATE_WRITE
    const auto page = quintptr(sysconf(_SC_PAGESIZE));
    const quintptr from = (begin + page - 1) & ~(page - 1);
    const quintptr to = end & ~(page - 1);
    if (from < to)
        madvise(reinterpret_cast<void *>(from), to - from, MADV_POPULATE_WRITE);
#endif
}
} // namespace

int sealedMemfdWith(const FramePayload &payload)
{
    const int fd = memfd_create("qforkrpc-payload", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    if (!writePieces(fd, payload) || fcntl(fd, F_ADD_SEALS, sealsWeSet) < 0) {
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
    prepareDestination(data.data(), data.size());
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
