// SPDX-License-Identifier: MIT
#include "rawfloor.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

namespace RawFloor {

namespace {

constexpr size_t batchLimit = 64 * 1024;

bool writeAllVectors(int fd, iovec *parts, int count)
{
    while (count > 0) {
        const ssize_t n = writev(fd, parts, count);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        size_t left = size_t(n);
        while (count > 0 && left >= parts->iov_len) {
            left -= parts->iov_len;
            ++parts;
            --count;
        }
        if (count > 0) {
            parts->iov_base = static_cast<char *>(parts->iov_base) + left;
            parts->iov_len -= left;
        }
    }
    return true;
}

// opSpin: n reads of a bool nobody sets, the least a cancel check can cost.
uint64_t spinOnVolatile(uint64_t n, double *nanosecondsPerRead)
{
    volatile bool cancelled = false;
    uint64_t set = 0;
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < n; ++i)
        set += cancelled;
    const auto end = std::chrono::steady_clock::now();
    *nanosecondsPerRead
        = std::chrono::duration<double, std::nano>(end - start).count() / double(n ? n : 1);
    return set;
}

// The child: answers requests until the parent closes its end. It allocates with new[] after
// fork(), which glibc makes safe (malloc's locks are taken around fork), and the bench's parent is
// single-threaded when it forks anyway.
[[noreturn]] void serve(int fd, ReplyWrites writes)
{
    FrameIn in;
    std::string out; // replies not written yet
    out.reserve(batchLimit + 1024);
    // Batched, small replies wait while more requests are buffered, then leave in one write.
    auto reply = [&](const void *payload, size_t size) {
        if (size > batchLimit) {
            if (!out.empty() && !writeAll(fd, out.data(), out.size()))
                return false;
            out.clear();
            return writeFrame(fd, payload, size);
        }
        const uint32_t length = uint32_t(size);
        out.append(reinterpret_cast<const char *>(&length), sizeof length);
        out.append(static_cast<const char *>(payload), size);
        if (writes == ReplyWrites::Batched && in.hasFrame() && out.size() < batchLimit)
            return true;
        const bool written = writeAll(fd, out.data(), out.size());
        out.clear();
        return written;
    };
    const char *data;
    size_t size;
    while (in.next(fd, &data, &size)) {
        if (size == 0)
            _exit(3);
        const char *arg = data + 1;
        const size_t argSize = size - 1;
        bool written = false;
        switch (data[0]) {
        case opRmdir: {
            char path[4096];
            const size_t length = std::min(argSize, sizeof path - 1);
            std::memcpy(path, arg, length);
            path[length] = '\0';
            char text[512];
            size_t replySize = 1;
            if (::rmdir(path) == 0) {
                text[0] = '1';
            } else {
                const char *error = strerror(errno);
                const size_t errorSize = std::min(std::strlen(error), sizeof text - 1);
                text[0] = '0';
                std::memcpy(text + 1, error, errorSize);
                replySize += errorSize;
            }
            written = reply(text, replySize);
            break;
        }
        case opLength: {
            const uint64_t length = argSize;
            written = reply(&length, sizeof length);
            break;
        }
        case opBytes: {
            uint64_t count = 0;
            if (argSize != sizeof count)
                _exit(4);
            std::memcpy(&count, arg, sizeof count);
            std::unique_ptr<char[]> bytes(new char[count]);
            std::memset(bytes.get(), 'x', count);
            written = reply(bytes.get(), count);
            break;
        }
        case opSpin: {
            uint64_t count = 0;
            if (argSize != sizeof count)
                _exit(4);
            std::memcpy(&count, arg, sizeof count);
            double nanosecondsPerRead = 0;
            const uint64_t setCount = spinOnVolatile(count, &nanosecondsPerRead);
            char text[sizeof setCount + sizeof nanosecondsPerRead];
            std::memcpy(text, &setCount, sizeof setCount);
            std::memcpy(text + sizeof setCount, &nanosecondsPerRead, sizeof nanosecondsPerRead);
            written = reply(text, sizeof text);
            break;
        }
        case opEcho:
            // Straight from the read buffer: small replies are copied into the batch, large ones
            // are written from the frame's own buffer, so nothing is copied that need not be.
            written = reply(arg, argSize);
            break;
        default:
            _exit(5);
        }
        if (!written)
            _exit(6);
    }
    _exit(0);
}

} // namespace

FrameIn::FrameIn()
    : m_buffer(new char[capacity])
{ }

bool FrameIn::fill(int fd, size_t needed)
{
    if (m_end - m_start >= needed)
        return true;
    if (capacity - m_start < needed) {
        std::memmove(m_buffer.get(), m_buffer.get() + m_start, m_end - m_start);
        m_end -= m_start;
        m_start = 0;
    }
    while (m_end - m_start < needed) {
        const ssize_t n = read(fd, m_buffer.get() + m_end, capacity - m_end);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        m_end += size_t(n);
    }
    return true;
}

bool FrameIn::hasFrame() const
{
    uint32_t length;
    if (m_end - m_start < sizeof length)
        return false;
    std::memcpy(&length, m_buffer.get() + m_start, sizeof length);
    return m_end - m_start >= sizeof length + length;
}

bool FrameIn::next(int fd, const char **data, size_t *size)
{
    uint32_t length;
    if (!fill(fd, sizeof length))
        return false;
    std::memcpy(&length, m_buffer.get() + m_start, sizeof length);
    if (sizeof length + length <= capacity) {
        if (!fill(fd, sizeof length + length))
            return false;
        *data = m_buffer.get() + m_start + sizeof length;
        *size = length;
        m_start += sizeof length + length;
        if (m_start == m_end)
            m_start = m_end = 0;
        return true;
    }
    // Too large for the chunk buffer: what is buffered moves over, the rest is read in place.
    m_large.reset();
    m_large.reset(new char[length]);
    const size_t have = m_end - m_start - sizeof length;
    std::memcpy(m_large.get(), m_buffer.get() + m_start + sizeof length, have);
    m_start = m_end = 0;
    for (size_t filled = have; filled < length;) {
        const ssize_t n = read(fd, m_large.get() + filled, length - filled);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        filled += size_t(n);
    }
    *data = m_large.get();
    *size = length;
    return true;
}

bool writeAll(int fd, const void *data, size_t size)
{
    iovec part { const_cast<void *>(data), size };
    return writeAllVectors(fd, &part, 1);
}

bool writeFrame(int fd, const void *payload, size_t size)
{
    uint32_t length = uint32_t(size);
    iovec parts[2] = { { &length, sizeof length }, { const_cast<void *>(payload), size } };
    return writeAllVectors(fd, parts, 2);
}

void appendRequest(std::string &out, char op, const char *data, size_t size)
{
    const uint32_t length = uint32_t(size + 1);
    out.append(reinterpret_cast<const char *>(&length), sizeof length);
    out.push_back(op);
    out.append(data, size);
}

Connection::~Connection()
{
    stop();
}

bool Connection::start(std::string *error, ReplyWrites writes)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        *error = std::string("socketpair: ") + strerror(errno);
        return false;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        *error = std::string("fork: ") + strerror(errno);
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        // What any sane worker does: die with the parent, keep only stdio and its socket.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (fds[1] != 3 && dup2(fds[1], 3) != 3)
            _exit(7);
        syscall(SYS_close_range, 4U, ~0U, 0U);
        serve(3, writes);
    }
    close(fds[1]);
    m_fd = fds[0];
    m_pid = pid;
    m_in.reset();
    return true;
}

bool Connection::stop()
{
    if (m_pid <= 0)
        return false;
    close(m_fd);
    m_fd = -1;
    int status = 0;
    pid_t result;
    do {
        result = waitpid(m_pid, &status, 0);
    } while (result < 0 && errno == EINTR);
    m_pid = -1;
    return result > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool Connection::send(char op, const char *data, size_t size)
{
    uint32_t length = uint32_t(size + 1);
    iovec parts[3] = { { &length, sizeof length }, { &op, 1 }, { const_cast<char *>(data), size } };
    return writeAllVectors(m_fd, parts, 3);
}

} // namespace RawFloor
