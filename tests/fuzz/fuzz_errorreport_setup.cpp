// SPDX-License-Identifier: MIT
// Fuzz target: the two QDataStream messages of the protocol that are not frozen by a serialiser
// (src/protocol.cpp): decodeErrorReport (CallFailed, Error and Fatal payloads, read by the
// parent) and decodeSetup (the Setup frame, read by a new worker).
//
// The input's first byte chooses the decoder (even: decodeErrorReport, odd: decodeSetup), as the
// frame type does on the wire; for a setup, its bits 1-7 say how many descriptors (pipe ends, at
// most 65) the frame carries, which QForkRpcFd values in initArgs refer to by number; the rest is
// the payload.
//
// Checked:
// - decoding never crashes or hangs, and returns false for what it cannot read;
// - an ErrorReport that decodes re-encodes to exactly the input (the encoding has one form: a
//   code and a QStringList), and errorText() turns it into a message, whatever the code;
// - a WorkerSetup that decodes re-encodes (with the descriptors its initArgs hold) to bytes that
//   decode again, and a second round changes nothing (the first need not reproduce the input: a
//   bool byte 2 reads as true and is written as 1, initArgs may hold values with more than one
//   encoding, and descriptors are numbered afresh); encoding may refuse only initArgs that refer
//   to more than QForkRpcFd::maxPerMessage descriptors (one may be referred to many times);
// - decodeSetup, which reads raw memory, accepts exactly what QDataStream reads whole, with the
//   same fields (the reference below is how it read the setup before).
#include "fuzzcheck.h"

#include "errors_p.h"
#include "wire/checkedstream_p.h"
#include "wire/messages_p.h"

#include <QtCore/QDataStream>

#include <algorithm>
#include <fcntl.h>
#include <unistd.h>

using namespace QForkRpcDetail;

namespace {

// The setup's bytes and descriptors; false if encoding refuses.
bool encodedSetup(const WorkerSetup &setup, QByteArray *bytes, Descriptors *descriptors)
{
    FramePayload payload;
    QString reason;
    if (!encodeSetup(setup, &payload, &reason, true))
        return false;
    *bytes = payload.joined();
    *descriptors = payload.descriptors;
    return true;
}

// Pipe ends for the setups that carry descriptors, made once.
const Descriptors &descriptorPool()
{
    static const Descriptors pool = [] {
        Descriptors fds;
        while (fds.size() < QForkRpcFd::maxPerMessage + 1) {
            int ends[2];
            if (pipe2(ends, O_CLOEXEC) != 0)
                std::abort();
            fds.append(adoptDescriptor(ends[0]));
            fds.append(adoptDescriptor(ends[1]));
        }
        return fds;
    }();
    return pool;
}

// How many valid QForkRpcFd values `value` holds, in lists, maps, hashes and pairs (an invalid
// one travels as a number that stands for none).
qsizetype descriptorsIn(const QVariant &value)
{
    const int id = value.metaType().id();
    qsizetype count = 0;
    if (value.metaType() == QMetaType::fromType<QForkRpcFd>())
        return value.value<QForkRpcFd>().isValid() ? 1 : 0;
    if (id == QMetaType::QVariantList) {
        for (const QVariant &inner : value.toList())
            count += descriptorsIn(inner);
    } else if (id == QMetaType::QVariantMap) {
        for (const QVariant &inner : value.toMap())
            count += descriptorsIn(inner);
    } else if (id == QMetaType::QVariantHash) {
        for (const QVariant &inner : value.toHash())
            count += descriptorsIn(inner);
    } else if (id == QMetaType::QVariantPair) {
        const auto pair = value.value<QVariantPair>();
        count = descriptorsIn(pair.first) + descriptorsIn(pair.second);
    }
    return count;
}

[[noreturn]] void fail(const char *what)
{
    QForkRpcFuzz::fail("fuzz_errorreport_setup", what);
}

// The setup read through QDataStream, as encodeSetup() writes it; initArgs left frozen.
bool decodeSetupWithQDataStream(const QByteArray &bytes, WorkerSetup *setup, QByteArray *initArgs)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 version = 0;
    in >> version;
    if (version != protocolVersion)
        return false;
    in >> setup->function >> setup->async >> setup->serialiser >> setup->init >> *initArgs;
    readCheckedList(in, &setup->require);
    readCheckedList(in, &setup->environment);
    in >> setup->workingDirectory >> setup->sharedMemoryThreshold;
    return in.status() == QDataStream::Ok && in.atEnd();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const bool setupFrame = data[0] & 1;
    const QByteArray input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    if (!setupFrame) {
        ErrorReport report;
        if (decodeErrorReport(input, &report)) {
            if (encodeErrorReport(report) != input)
                fail("an ErrorReport does not re-encode to the bytes it was decoded from");
            // What the parent does with it; an unknown code has a message too.
            if (errorText(report).isEmpty())
                fail("errorText() is empty");
        }
        return 0;
    }

    const Descriptors carried = descriptorPool().mid(0, std::min(data[0] >> 1, 65));
    WorkerSetup setup;
    const bool decoded = decodeSetup(input, carried, &setup);
    WorkerSetup reference;
    QByteArray frozenInitArgs;
    if (decodeSetupWithQDataStream(input, &reference, &frozenInitArgs)) {
        // Only the init arguments' thaw may refuse what QDataStream read whole.
        if (decoded
            && (setup.function != reference.function || setup.async != reference.async
                || setup.serialiser != reference.serialiser || setup.init != reference.init
                || setup.require != reference.require || setup.environment != reference.environment
                || setup.workingDirectory != reference.workingDirectory
                || setup.sharedMemoryThreshold != reference.sharedMemoryThreshold))
            fail("decodeSetup read other fields than QDataStream");
    } else if (decoded) {
        fail("decodeSetup accepted a setup that QDataStream cannot read");
    }
    if (decoded) {
        QByteArray bytes1;
        Descriptors descriptors1;
        if (!encodedSetup(setup, &bytes1, &descriptors1)) {
            if (descriptorsIn(setup.initArgs) <= QForkRpcFd::maxPerMessage)
                fail("a decoded WorkerSetup does not encode");
            return 0;
        }
        if (descriptors1.size() != descriptorsIn(setup.initArgs))
            fail("a WorkerSetup encodes with another number of descriptors than it holds");
        WorkerSetup setup1;
        if (!decodeSetup(bytes1, descriptors1, &setup1))
            fail("a decoded WorkerSetup re-encodes to bytes that do not decode");
        QByteArray bytes2;
        Descriptors descriptors2;
        if (!encodedSetup(setup1, &bytes2, &descriptors2))
            fail("a WorkerSetup re-encoded once does not encode again");
        if (bytes2 != bytes1 || descriptors2 != descriptors1)
            fail("a second encode/decode round of a WorkerSetup changed the bytes or the "
                 "descriptors");
        if (setup1.function != setup.function || setup1.async != setup.async
            || setup1.serialiser != setup.serialiser || setup1.init != setup.init
            || setup1.require != setup.require || setup1.initArgs.size() != setup.initArgs.size()
            || setup1.environment != setup.environment
            || setup1.workingDirectory != setup.workingDirectory
            || setup1.sharedMemoryThreshold != setup.sharedMemoryThreshold)
            fail("a WorkerSetup changed in an encode/decode round");
    }
    return 0;
}
