// SPDX-License-Identifier: MIT
// The floor the benchmark compares QForkRpc with: the least a fork + socketpair RPC can cost,
// written in plain C++ and POSIX, without Qt. The parent forks a child directly; both sides use
// blocking I/O on a SOCK_STREAM socketpair and exchange [u32 length][payload] frames. A request's
// first payload byte says what the child does with the rest. The child reads in 64 KiB chunks and
// writes the replies to requests that arrived together in one write, as a careful hand-written
// server would (QForkRpc's async worker batches its replies too). Started with
// ReplyWrites::OnePerReply it writes each reply as soon as it is made, as QForkRpc's sync worker
// and AnyEvent::Fork::RPC::Sync do: that is the floor for a worker that never holds a result back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>

namespace RawFloor {

// Request: path. Reply: '1', or '0' followed by strerror(errno).
constexpr char opRmdir = 'r';
// Request: any bytes. Reply: their count as a host-order uint64_t.
constexpr char opLength = 'l';
// Request: a host-order uint64_t n. Reply: n bytes of 'x'.
constexpr char opBytes = 'b';
// Request: any bytes. Reply: the same bytes.
constexpr char opEcho = 'e';
// Request: a host-order uint64_t n. The child reads a volatile bool n times, timing the loop with
// steady_clock (C1's floor: a cancel check that costs nothing but the check). Reply: a
// host-order uint64_t, how often the bool was set (always 0), then a double, nanoseconds per read.
constexpr char opSpin = 'v';

// Cuts frames out of a blocking stream: reads in 64 KiB chunks, so frames that arrive together
// cost one read; a frame too large for the chunk buffer is read straight into its own buffer.
class FrameIn
{
public:
    FrameIn();
    // The next frame's payload, valid until the next call. False at end of stream or on error.
    bool next(int fd, const char **data, size_t *size);
    // True if a whole frame is buffered already, so next() will not block.
    bool hasFrame() const;
    // Forgets what is buffered (for a new stream).
    void reset()
    {
        m_start = m_end = 0;
        m_large.reset();
    }

private:
    bool fill(int fd, size_t needed);

    static constexpr size_t capacity = 128 * 1024;
    std::unique_ptr<char[]> m_buffer;
    size_t m_start = 0;
    size_t m_end = 0;
    std::unique_ptr<char[]> m_large;
};

// Writes every byte or fails (blocking).
bool writeAll(int fd, const void *data, size_t size);
// Writes one frame: header and payload in one writev.
bool writeFrame(int fd, const void *payload, size_t size);
// Appends one request frame (op + data) to out, for batched writing.
void appendRequest(std::string &out, char op, const char *data, size_t size);

enum class ReplyWrites { Batched, OnePerReply };

// One child process and the parent's end of its socket.
class Connection
{
public:
    Connection() = default;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection();

    // socketpair + fork; the child serves requests until the parent closes its end.
    bool start(std::string *error, ReplyWrites writes = ReplyWrites::Batched);
    // Closes the parent's end and reaps the child; true if it exited with status 0.
    bool stop();

    pid_t pid() const { return m_pid; }
    int fd() const { return m_fd; }

    bool send(char op, const char *data, size_t size);
    bool receive(const char **data, size_t *size) { return m_in.next(m_fd, data, size); }
    bool call(char op, const char *data, size_t size, const char **reply, size_t *replySize)
    {
        return send(op, data, size) && receive(reply, replySize);
    }

private:
    pid_t m_pid = -1;
    int m_fd = -1;
    FrameIn m_in;
};

} // namespace RawFloor
