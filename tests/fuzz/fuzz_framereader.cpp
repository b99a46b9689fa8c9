// SPDX-License-Identifier: MIT
// Fuzz target: FrameReader (src/wire/framereader.cpp), the code that cuts whatever arrives on a
// worker or parent socket into frames, with the descriptors that come along (SCM_RIGHTS) and
// payloads in sealed memfds.
//
// The input is a feeding plan followed by the byte stream:
//   byte 0, bits 0-2   n, the number of chunk sizes that follow
//   byte 0, bit 3      if set, 3 more bytes (little endian) say how many zero bytes to append to
//                      the stream (at most 4 MiB), so that a short input can carry a large frame
//   byte 0, bit 4      if set, a descriptor plan follows (after the padding bytes): one byte k,
//                      then k entries, entry i for read i (later reads carry none). An entry is
//                      one byte: bits 0-6 how many pipe ends come with the read; bit 7 if a
//                      memfd comes after them, then described by 4 more bytes: a kind byte (bits
//                      0-2 what it is, see MemfdKind; bits 3-7 seed its bytes) and its size,
//                      3 bytes little endian (at most 1 MiB)
//   n x 2 bytes        chunk sizes (little endian), used in turn for each read; 0 means "as much
//                      as reserve() offers"; with n == 0 every read takes all that is offered
//   the rest           the stream
// Every read is min(chunk size, capacity offered, bytes left), as a socket read would be; the
// harness creates the read's descriptors (close-on-exec) and hands them over with
// addDescriptors() before commit(), as readFrom() does after recvmsg().
//
// Checked for every input:
// - reserve() always offers space (a reader offering none would hang its caller);
// - the space offered is at most 2 x the bytes fed but not yet returned as frames, plus a fixed
//   bound (32 MiB first large allocation + 2 chunks): a lying length header cannot make the
//   reader reserve much address space for bytes that never come (and none of it is touched);
// - the frames returned are exactly those a straightforward parser finds in the whole stream,
//   in order, with their payload bytes, and a payload's allocation is at most 2 x its size plus
//   a small bound;
// - each frame holds exactly the descriptors its header claims (at most 64, the memfd aside),
//   the very ones sent, in the order sent, still open; a frame in shared memory comes out only
//   if its memfd is sealed against writing and shrinking and exactly as long as the header
//   says, with the memfd's bytes as payload;
// - failed() is set (with an error text) exactly when the model below says: the stream reaches
//   a header of unknown type, a frame claims more descriptors than allowed or than came, its
//   memfd is missing or not right, descriptors are left over once every byte fed is taken, or
//   more than 2 x 65 wait; no frame comes out after that; otherwise inMiddleOfFrame() says
//   whether bytes of an unfinished frame are left at the end;
// - no descriptor leaks: once the reader and the frames are gone, /proc/self/fd lists exactly
//   what it listed before the input.
#include "fuzzcheck.h"

#include "wire/framereader_p.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace QForkRpcDetail;

namespace {

[[noreturn]] void fail(const char *what)
{
    QForkRpcFuzz::fail("fuzz_framereader", what);
}

constexpr size_t maxPadding = 4 * 1024 * 1024;
constexpr size_t maxMemfdSize = 1024 * 1024;
constexpr quint64 fixedBound = 32 * 1024 * 1024 + 2 * FrameReader::chunkSize;
constexpr size_t maxQueued = 2 * (QForkRpcFd::maxPerMessage + 1);

// What the memfd of an entry is (bits 0-2 of its kind byte). Only SealedAsWriter and
// SealedEnough may carry a payload.
enum class MemfdKind : uint8_t {
    SealedAsWriter = 0, // write, shrink, grow and seal sealed, as sealedMemfdWith() makes them
    Unsealed = 1,
    ShrinkOnly = 2,
    WriteOnly = 3,
    SealedEnough = 4, // write and shrink only: what the reader needs
    NoSealing = 5, // created without MFD_ALLOW_SEALING (its seals say F_SEAL_SEAL only)
    FutureWrite = 6, // F_SEAL_FUTURE_WRITE | F_SEAL_SHRINK: not F_SEAL_WRITE
    Pipe = 7, // a pipe's read end where the memfd should be
};

struct Sent
{
    int fd;
    bool payloadOk = false; // a memfd the reader may take a payload from
    uint8_t seed = 0;
    size_t size = 0;
};

struct Entry
{
    int pipeEnds = 0;
    bool memfd = false;
    uint8_t kind = 0;
    size_t size = 0;
};

uint8_t patternByte(uint8_t seed, size_t i)
{
    return uint8_t(seed + 7 * i + (i >> 8));
}

// Creates an entry's descriptors, close-on-exec, and appends them to `sent`.
void createDescriptors(const Entry &entry, std::vector<Sent> *sent)
{
    for (int i = 0; i < entry.pipeEnds; i += 2) {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) != 0)
            fail("pipe2() failed");
        sent->push_back({ ends[0] });
        if (i + 1 < entry.pipeEnds)
            sent->push_back({ ends[1] });
        else
            ::close(ends[1]);
    }
    if (!entry.memfd)
        return;
    const auto kind = MemfdKind(entry.kind & 7);
    const uint8_t seed = uint8_t(entry.kind >> 3);
    if (kind == MemfdKind::Pipe) {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) != 0)
            fail("pipe2() failed");
        ::close(ends[1]);
        sent->push_back({ ends[0] });
        return;
    }
    const int fd = memfd_create(
        "fuzz", MFD_CLOEXEC | (kind == MemfdKind::NoSealing ? 0 : MFD_ALLOW_SEALING));
    if (fd < 0)
        fail("memfd_create() failed");
    std::vector<uint8_t> bytes(entry.size);
    for (size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = patternByte(seed, i);
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0)
            fail("writing a memfd failed");
        done += size_t(n);
    }
    int seals = 0;
    switch (kind) {
    case MemfdKind::SealedAsWriter:
        seals = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
        break;
    case MemfdKind::ShrinkOnly:
        seals = F_SEAL_SHRINK;
        break;
    case MemfdKind::WriteOnly:
        seals = F_SEAL_WRITE;
        break;
    case MemfdKind::SealedEnough:
        seals = F_SEAL_WRITE | F_SEAL_SHRINK;
        break;
    case MemfdKind::FutureWrite:
        seals = F_SEAL_FUTURE_WRITE | F_SEAL_SHRINK;
        break;
    default:
        break;
    }
    if (seals && fcntl(fd, F_ADD_SEALS, seals) != 0)
        fail("sealing a memfd failed");
    sent->push_back({ fd, kind == MemfdKind::SealedAsWriter || kind == MemfdKind::SealedEnough,
        seed, entry.size });
}

// The descriptors open in this process, by number.
std::vector<int> openDescriptors()
{
    std::vector<int> fds;
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        fail("cannot list /proc/self/fd");
    const int own = dirfd(dir);
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        const int fd = std::atoi(entry->d_name);
        if (fd != own)
            fds.push_back(fd);
    }
    closedir(dir);
    std::sort(fds.begin(), fds.end());
    return fds;
}

struct ReferenceFrame
{
    FrameHeader header;
    size_t start; // of the header in the stream
    size_t end() const { return start + sizeof header + lengthInStream(header); }
};

struct Reference
{
    std::vector<ReferenceFrame> frames; // the last may be unfinished (its end() is past the end)
    size_t stop = 0; // where the frames end: a header of unknown type, an unfinished frame, or
                     // the end
    bool corrupt = false; // a complete header of unknown type at `stop`
};

// The frames in the whole stream, without regard to chunks or descriptors.
Reference parseWhole(const std::vector<uint8_t> &stream)
{
    Reference reference;
    size_t pos = 0;
    while (stream.size() - pos >= sizeof(FrameHeader)) {
        const FrameHeader header = readFrameHeader(reinterpret_cast<const char *>(&stream[pos]));
        if (!isKnownFrameType(header.type)) {
            reference.corrupt = true;
            break;
        }
        reference.frames.push_back({ header, pos });
        if (stream.size() - pos - sizeof header < lengthInStream(header))
            break; // unfinished: it never comes out, but a large one claims its descriptors
        pos += sizeof header + lengthInStream(header);
    }
    reference.stop = pos;
    return reference;
}

struct ExpectedFrame
{
    const ReferenceFrame *frame;
    std::vector<int> descriptors;
    bool inMemfd = false;
    uint8_t seed = 0; // of the memfd's bytes
};

// When the reader takes which frame, with which descriptors, and when it fails: the stream's
// frames (parseWhole) as the bytes come, and the descriptors as a queue that each frame's header
// takes from when the frame is taken, a large frame's (one whose payload in the stream exceeds
// largeFrameThreshold) as soon as its header is there.
class Model
{
public:
    explicit Model(const Reference &reference)
        : m_reference(reference)
    { }

    bool failed() const { return m_failed; }
    // Bytes of an unfinished frame are left.
    bool inMiddleOfFrame(size_t fed) const { return m_large || fed > m_nextStart; }

    void add(const std::vector<Sent> &sent)
    {
        if (m_failed) // the reader closes them at once
            return;
        m_queue.insert(m_queue.end(), sent.begin(), sent.end());
        if (m_queue.size() > maxQueued)
            setFailed();
    }

    // The next frame the reader returns now that `fed` bytes are in: true with `*frame`, false
    // when none (failed() says whether that is a failure).
    bool next(size_t fed, ExpectedFrame *frame)
    {
        if (m_failed)
            return false;
        if (!m_large) {
            if (m_index == m_reference.frames.size()) {
                if (m_reference.corrupt && fed >= m_reference.stop + sizeof(FrameHeader))
                    setFailed();
                return false;
            }
            const ReferenceFrame &candidate = m_reference.frames[m_index];
            if (fed < candidate.start + sizeof(FrameHeader))
                return false;
            const bool large
                = lengthInStream(candidate.header) > quint32(FrameReader::largeFrameThreshold);
            if (!large && fed < candidate.end())
                return false;
            if (!claim(candidate, &m_claimed))
                return false;
            m_nextStart = candidate.end();
            if (large)
                m_large = true;
        }
        const ReferenceFrame &current = m_reference.frames[m_index];
        if (fed < current.end())
            return false; // a large frame, not complete yet
        m_large = false;
        ++m_index;
        // Once every byte fed is taken, descriptors left belong to no frame.
        if (fed == current.end() && !m_queue.empty()) {
            setFailed();
            return false;
        }
        *frame = std::move(m_claimed);
        m_claimed = {};
        return true;
    }

private:
    bool claim(const ReferenceFrame &candidate, ExpectedFrame *frame)
    {
        const size_t count = size_t(descriptorCount(candidate.header));
        const bool inMemfd = payloadInMemfd(candidate.header);
        if (count > size_t(QForkRpcFd::maxPerMessage) + (inMemfd ? 1 : 0) || (inMemfd && !count)
            || m_queue.size() < count) {
            setFailed();
            return false;
        }
        *frame = {};
        frame->frame = &candidate;
        for (size_t i = 0; i < count; ++i) {
            frame->descriptors.push_back(m_queue.front().fd);
            if (inMemfd && i + 1 == count) {
                const Sent &memfd = m_queue.front();
                if (!memfd.payloadOk || memfd.size != candidate.header.length) {
                    setFailed();
                    return false;
                }
                frame->descriptors.pop_back();
                frame->inMemfd = true;
                frame->seed = memfd.seed;
            }
            m_queue.pop_front();
        }
        return true;
    }

    void setFailed()
    {
        m_failed = true;
        m_queue.clear();
    }

    const Reference &m_reference;
    size_t m_index = 0; // of the next frame to take
    size_t m_nextStart = 0; // the stream's bytes before this are in frames taken or claimed
    bool m_large = false; // frame m_index is large and has claimed its descriptors
    ExpectedFrame m_claimed;
    std::deque<Sent> m_queue;
    bool m_failed = false;
};

void checkFrame(
    const Frame &frame, const ExpectedFrame &expected, const std::vector<uint8_t> &stream)
{
    const FrameHeader &header = expected.frame->header;
    if (frame.type != frameType(header) || frame.id != header.id)
        fail("a frame's type or id differs from its header");
    if (quint64(frame.payload.size()) != header.length)
        fail("a frame's payload size differs from its header's length");
    if (expected.inMemfd) {
        for (qsizetype i = 0; i < frame.payload.size(); ++i) {
            if (uint8_t(frame.payload[i]) != patternByte(expected.seed, size_t(i)))
                fail("a frame's payload differs from the bytes in its memfd");
        }
    } else if (frame.payload.size()
        && std::memcmp(frame.payload.constData(),
               stream.data() + expected.frame->start + sizeof(FrameHeader),
               size_t(frame.payload.size()))
            != 0) {
        fail("a frame's payload differs from the bytes sent");
    }
    if (quint64(frame.payload.capacity()) > 2 * quint64(frame.payload.size()) + 4096)
        fail("a frame's payload holds more than 2 x its size");
    if (frame.descriptors.size() > QForkRpcFd::maxPerMessage)
        fail("a frame holds more than QForkRpcFd::maxPerMessage descriptors");
    if (size_t(frame.descriptors.size()) != expected.descriptors.size())
        fail("a frame holds another number of descriptors than its header claims");
    for (qsizetype i = 0; i < frame.descriptors.size(); ++i) {
        const int fd = frame.descriptors[i].fd();
        if (fd != expected.descriptors[size_t(i)])
            fail("a frame holds other descriptors than those sent for it, or in another order");
        if (fcntl(fd, F_GETFD) < 0)
            fail("a frame holds a descriptor that is closed");
    }
}

void run(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    const uint8_t plan = data[pos++];
    const size_t sizeCount = plan & 7;
    size_t padding = 0;
    if (plan & 8) {
        if (size - pos < 3)
            return;
        padding
            = std::min<size_t>(maxPadding, data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16);
        pos += 3;
    }
    std::vector<Entry> entries;
    if (plan & 16) {
        if (size - pos < 1)
            return;
        const size_t count = data[pos++];
        for (size_t i = 0; i < count; ++i) {
            if (size - pos < 1)
                return;
            Entry entry;
            entry.pipeEnds = data[pos] & 0x7f;
            entry.memfd = data[pos++] & 0x80;
            if (entry.memfd) {
                if (size - pos < 4)
                    return;
                entry.kind = data[pos];
                entry.size = std::min<size_t>(
                    maxMemfdSize, data[pos + 1] | data[pos + 2] << 8 | data[pos + 3] << 16);
                pos += 4;
            }
            entries.push_back(entry);
        }
    }
    if (size - pos < 2 * sizeCount)
        return;
    std::vector<size_t> chunkSizes;
    for (size_t i = 0; i < sizeCount; ++i, pos += 2)
        chunkSizes.push_back(size_t(data[pos] | data[pos + 1] << 8));

    std::vector<uint8_t> stream(data + pos, data + size);
    stream.resize(stream.size() + padding, 0);
    const Reference reference = parseWhole(stream);
    Model model(reference);

    FrameReader reader;
    size_t fed = 0; // bytes committed
    size_t consumed = 0; // bytes of the frames taken, headers included
    size_t reads = 0;
    std::vector<Sent> sent;
    while (fed < stream.size() && !reader.failed()) {
        qsizetype capacity = -1;
        char *space = reader.reserve(&capacity);
        if (!space || capacity <= 0)
            fail("reserve() offered no space");
        if (quint64(capacity) > 2 * quint64(fed - consumed) + fixedBound)
            fail("reserve() offered more than 2 x the pending bytes + 32 MiB + 2 chunks");
        size_t n = size_t(capacity);
        if (!chunkSizes.empty()) {
            const size_t chunk = chunkSizes[reads % chunkSizes.size()];
            if (chunk)
                n = std::min(n, chunk);
        }
        n = std::min(n, stream.size() - fed);
        std::memcpy(space, stream.data() + fed, n);
        sent.clear();
        if (reads < entries.size())
            createDescriptors(entries[reads], &sent);
        ++reads;
        if (!sent.empty()) {
            std::vector<int> fds;
            for (const Sent &descriptor : sent)
                fds.push_back(descriptor.fd);
            reader.addDescriptors(fds.data(), int(fds.size()));
            model.add(sent);
            if (reader.failed() != model.failed())
                fail(model.failed() ? "more than 2 x 65 descriptors waiting, and no failure"
                                    : "addDescriptors() failed with few descriptors waiting");
        }
        reader.commit(qsizetype(n));
        fed += n;

        Frame frame;
        ExpectedFrame expected;
        for (;;) {
            const bool expectFrame = model.next(fed, &expected);
            const bool took = reader.takeFrame(&frame);
            if (took != expectFrame) {
                fail(took ? "takeFrame() returned a frame the model does not"
                          : "takeFrame() returned no frame where the model does");
            }
            if (!took)
                break;
            checkFrame(frame, expected, stream);
            if (expected.frame->end() > fed)
                fail("a frame came out before all its bytes were fed");
            consumed = expected.frame->end();
        }
        if (reader.failed() != model.failed()) {
            fail(model.failed() ? "failed() is false where the stream or its descriptors are "
                                  "corrupt"
                                : "failed() on a stream and descriptors the model accepts");
        }
    }

    if (reader.failed()) {
        if (reader.error().isEmpty())
            fail("failed() without an error text");
        Frame frame;
        if (reader.takeFrame(&frame))
            fail("takeFrame() returned a frame after failed()");
    } else {
        const bool partial = model.inMiddleOfFrame(fed);
        if (reader.inMiddleOfFrame() != partial)
            fail(partial ? "inMiddleOfFrame() is false with an unfinished frame"
                         : "inMiddleOfFrame() is true at a frame boundary");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const std::vector<int> before = openDescriptors();
    run(data, size);
    const std::vector<int> after = openDescriptors();
    if (after != before) {
        for (int fd : after) {
            if (std::binary_search(before.begin(), before.end(), fd))
                continue;
            char link[256] = {};
            const std::string path = "/proc/self/fd/" + std::to_string(fd);
            (void)!readlink(path.c_str(), link, sizeof link - 1);
            std::fprintf(stderr, "fuzz_framereader: descriptor %d (%s) is still open\n", fd, link);
        }
        fail("descriptors leaked: /proc/self/fd lists other descriptors after the input");
    }
    return 0;
}
