// SPDX-License-Identifier: MIT
// Fuzz target: FrameReader (src/framereader.cpp), the code that cuts whatever arrives on a worker
// or parent socket into frames.
//
// The input is a feeding plan followed by the byte stream:
//   byte 0, bits 0-2   n, the number of chunk sizes that follow
//   byte 0, bit 3      if set, 3 more bytes (little endian) say how many zero bytes to append to
//                      the stream (at most 4 MiB), so that a short input can carry a large frame
//   n x 2 bytes        chunk sizes (little endian), used in turn for each read; 0 means "as much
//                      as reserve() offers"; with n == 0 every read takes all that is offered
//   the rest           the stream
// Every read is min(chunk size, capacity offered, bytes left), as a socket read would be.
//
// Checked for every input:
// - reserve() always offers space (a reader offering none would hang its caller);
// - the space offered is at most 2 x the bytes fed but not yet returned as frames, plus a fixed
//   bound (32 MiB first large allocation + 2 chunks): a lying length header cannot make the
//   reader reserve much address space for bytes that never come (and none of it is touched);
// - the frames returned are exactly those a straightforward parser finds in the whole stream,
//   in order, with their payload bytes, and a payload's allocation is at most 2 x its size plus
//   a small bound;
// - failed() is set (with an error text) exactly when the stream reaches a header of unknown
//   type, and no frame comes out after that; otherwise inMiddleOfFrame() says whether bytes of an
//   unfinished frame are left at the end.
#include "fuzzcheck.h"

#include "wire/framereader_p.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace QForkRpcDetail;

namespace {

[[noreturn]] void fail(const char *what)
{
    QForkRpcFuzz::fail("fuzz_framereader", what);
}

constexpr size_t maxPadding = 4 * 1024 * 1024;
constexpr quint64 fixedBound = 32 * 1024 * 1024 + 2 * FrameReader::chunkSize;

struct ReferenceFrame
{
    FrameHeader header;
    size_t offset; // of the payload in the stream
};

struct Reference
{
    std::vector<ReferenceFrame> frames;
    bool corrupt = false; // reaches a complete header of unknown type
    bool partial = false; // ends inside a frame (a header or a payload)
};

Reference parseWhole(const std::vector<uint8_t> &stream)
{
    Reference reference;
    size_t pos = 0;
    while (stream.size() - pos >= sizeof(FrameHeader)) {
        FrameHeader header;
        std::memcpy(&header, stream.data() + pos, sizeof header);
        if (!isKnownFrameType(header.type)) {
            reference.corrupt = true;
            return reference;
        }
        if (stream.size() - pos - sizeof header < header.length) {
            reference.partial = true;
            return reference;
        }
        reference.frames.push_back({ header, pos + sizeof header });
        pos += sizeof header + header.length;
    }
    reference.partial = pos != stream.size();
    return reference;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t pos = 0;
    const uint8_t plan = data[pos++];
    const size_t sizeCount = plan & 7;
    size_t padding = 0;
    if (plan & 8) {
        if (size - pos < 3)
            return 0;
        padding
            = std::min<size_t>(maxPadding, data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16);
        pos += 3;
    }
    if (size - pos < 2 * sizeCount)
        return 0;
    std::vector<size_t> chunkSizes;
    for (size_t i = 0; i < sizeCount; ++i, pos += 2)
        chunkSizes.push_back(size_t(data[pos] | data[pos + 1] << 8));

    std::vector<uint8_t> stream(data + pos, data + size);
    stream.resize(stream.size() + padding, 0);
    const Reference reference = parseWhole(stream);

    FrameReader reader;
    size_t fed = 0; // bytes committed
    size_t consumed = 0; // bytes of the frames taken, headers included
    size_t taken = 0; // frames taken
    size_t nextChunk = 0;
    while (fed < stream.size() && !reader.failed()) {
        qsizetype capacity = -1;
        char *space = reader.reserve(&capacity);
        if (!space || capacity <= 0)
            fail("reserve() offered no space");
        if (quint64(capacity) > 2 * quint64(fed - consumed) + fixedBound)
            fail("reserve() offered more than 2 x the pending bytes + 32 MiB + 2 chunks");
        size_t n = size_t(capacity);
        if (!chunkSizes.empty()) {
            const size_t chunk = chunkSizes[nextChunk++ % chunkSizes.size()];
            if (chunk)
                n = std::min(n, chunk);
        }
        n = std::min(n, stream.size() - fed);
        std::memcpy(space, stream.data() + fed, n);
        reader.commit(qsizetype(n));
        fed += n;

        Frame frame;
        while (reader.takeFrame(&frame)) {
            if (taken >= reference.frames.size())
                fail("takeFrame() returned a frame the stream does not hold");
            const ReferenceFrame &expected = reference.frames[taken++];
            if (quint32(frame.type) != expected.header.type || frame.id != expected.header.id)
                fail("a frame's type or id differs from its header");
            if (quint64(frame.payload.size()) != expected.header.length)
                fail("a frame's payload size differs from its header's length");
            if (frame.payload.size()
                && std::memcmp(frame.payload.constData(), stream.data() + expected.offset,
                       size_t(frame.payload.size()))
                    != 0)
                fail("a frame's payload differs from the bytes sent");
            if (quint64(frame.payload.capacity()) > 2 * quint64(frame.payload.size()) + 4096)
                fail("a frame's payload holds more than 2 x its size");
            if (expected.offset + expected.header.length > fed)
                fail("a frame came out before all its bytes were fed");
            consumed = expected.offset + expected.header.length;
        }
        if (reader.failed() && taken != reference.frames.size())
            fail("failed() before all valid frames were taken");
    }

    if (taken != reference.frames.size())
        fail("the reader returned fewer frames than the stream holds");
    if (reader.failed() != reference.corrupt)
        fail(reference.corrupt ? "an unknown frame type was not reported"
                               : "failed() on a stream without an unknown frame type");
    if (reader.failed()) {
        if (reader.error().isEmpty())
            fail("failed() without an error text");
        Frame frame;
        if (reader.takeFrame(&frame))
            fail("takeFrame() returned a frame after failed()");
    } else if (reader.inMiddleOfFrame() != reference.partial) {
        fail(reference.partial ? "inMiddleOfFrame() is false with an unfinished frame"
                               : "inMiddleOfFrame() is true at a frame boundary");
    }
    return 0;
}
