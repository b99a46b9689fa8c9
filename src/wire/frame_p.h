// SPDX-License-Identifier: MIT
// Frames: what every message between a parent and its worker travels in (README.md, "Wire
// protocol"). A leaf of the wire layer: the messages, the reader, the writer and the channel
// build on it.
#pragma once

#include "wire/payload_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QtEndian>
#include <QtCore/QtGlobal>

#include <cstring>

namespace QForkRpcDetail {

// Every frame is a 12-byte header of three little-endian 32-bit words followed by `length` bytes
// of payload. Little-endian whatever the host (a no-op on x86 and ARM), as a Command worker may run
// on another machine. The first word holds the frame type in its low byte, the number of
// descriptors the frame carries in its second byte (they travel with SCM_RIGHTS, attached to the
// frame's first byte), and, in its top bit, that the payload is not in the stream but in the last
// of those descriptors: a sealed memfd of `length` bytes (see sharedmemory_p.h).
enum class FrameType : quint32 {
    Hello = 1, // worker -> parent, first frame: protocol version and pid
    Setup = 2, // parent -> worker, first frame: function, backend, serialiser, init, require
    Request = 3, // parent -> worker: one call, payload frozen by the serialiser
    Result = 4, // worker -> parent: the results of call `id`, frozen by the serialiser
    Event = 5, // worker -> parent: QForkRpcChild::event(), frozen by the serialiser (id 0)
    CallFailed = 6, // worker -> parent: call `id` failed; payload is an encoded ErrorReport
    Error = 7, // worker -> parent: a non-fatal error (an event that could not be frozen)
    Fatal = 8, // worker -> parent: the worker cannot go on and exits after this frame
    Ready = 9, // worker -> parent: set up (libraries, init, function found), serving calls now
    Cancel = 10, // parent -> worker: call `id` was cancelled: skip it, or tell it (isCancelled())
    Progress = 11, // worker -> parent: call `id` got this far; payload is an encoded Progress
    Skipped = 12, // worker -> parent: cancelled call `id` was skipped: it never ran
    Retire = 13, // worker -> parent: QForkRpcChild::retire(): it takes no new calls, then exits
};

struct FrameHeader
{
    quint32 type;
    quint32 id;
    quint32 length;
};
static_assert(sizeof(FrameHeader) == 12, "the frame header is 12 bytes on the wire");

// One payload may be up to 4 GiB - 1 bytes, the most a 32-bit length can say.
constexpr quint64 maxPayloadSize = 0xFFFFFFFFu;

constexpr quint32 frameTypeMask = 0xffu;
constexpr int descriptorCountShift = 8;
constexpr quint32 descriptorCountMask = 0xffu << descriptorCountShift;
constexpr quint32 payloadInMemfdBit = 0x80000000u;

inline FrameType frameType(const FrameHeader &header)
{
    return FrameType(header.type & frameTypeMask);
}
inline int descriptorCount(const FrameHeader &header)
{
    return int((header.type & descriptorCountMask) >> descriptorCountShift);
}
inline bool payloadInMemfd(const FrameHeader &header)
{
    return (header.type & payloadInMemfdBit) != 0;
}
// The length of the payload in the stream itself.
inline quint32 lengthInStream(const FrameHeader &header)
{
    return payloadInMemfd(header) ? 0 : header.length;
}

inline bool isKnownFrameType(quint32 type)
{
    const quint32 known = frameTypeMask | descriptorCountMask | payloadInMemfdBit;
    const quint32 kind = type & frameTypeMask;
    return (type & ~known) == 0 && kind >= quint32(FrameType::Hello)
        && kind <= quint32(FrameType::Retire);
}

inline void appendFrameHeader(QByteArray &out, FrameType type, quint32 id, quint32 length,
    int descriptors = 0, bool inMemfd = false)
{
    const quint32 word = quint32(type) | (quint32(descriptors) << descriptorCountShift)
        | (inMemfd ? payloadInMemfdBit : 0);
    const FrameHeader header { qToLittleEndian(word), qToLittleEndian(id),
        qToLittleEndian(length) };
    appendBytes(out, &header, sizeof header);
}

inline FrameHeader readFrameHeader(const char *bytes)
{
    FrameHeader header;
    std::memcpy(&header, bytes, sizeof header);
    return { qFromLittleEndian(header.type), qFromLittleEndian(header.id),
        qFromLittleEndian(header.length) };
}

} // namespace QForkRpcDetail
