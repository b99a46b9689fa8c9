// SPDX-License-Identifier: MIT
// The body of the fuzz_thaw_<serialiser> targets: thaw the input with a built-in serialiser (as a
// worker thaws a Request and the parent a Result or Event), then check what the format promises.
//
// - thaw either returns values or throws a std::exception (the clean refusal that fails one
//   call); anything else escaping it, a crash, or a hang is a bug;
// - what thaw accepted, freeze must carry again (a worker must be able to send back what it
//   received), and what freeze writes, thaw must read (bytes1 = freeze(thaw(input)));
// - a second round changes nothing: freeze(thaw(bytes1)) == bytes1, byte for byte (bytes1 is
//   the canonical form; the input need not be: JSON whitespace, CBOR's longer integer forms,
//   octets lengths with leading zero groups all thaw to the same values);
// - where the format keeps values exactly (octets), the values thawed from bytes1 equal the
//   values thawed from the input.
#pragma once

#include "fuzzcheck.h"

#include "registry_p.h"
#include "serialisers/serialisers_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QVariantList>

#include <exception>

namespace QForkRpcFuzz {

enum class Values { Exact, CanonicalBytes };

inline int thawTarget(
    const char *target, const char *serialiserName, Values values, const uint8_t *data, size_t size)
{
    const QForkRpcDetail::Serialiser *serialiser
        = QForkRpcDetail::Registry::instance().serialiser(QString::fromLatin1(serialiserName));
    if (!serialiser)
        fail(target, "the serialiser is not registered");

    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    QVariantList thawed;
    try {
        thawed = serialiser->thaw(input);
    } catch (const std::exception &) {
        return 0; // refused cleanly: the call fails with the message
    }

    QByteArray bytes1;
    try {
        bytes1 = serialiser->freeze(thawed);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s: freeze: %s\n", target, e.what());
        fail(target, "freeze refuses values that thaw produced");
    }
    QVariantList thawed1;
    try {
        thawed1 = serialiser->thaw(bytes1);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s: thaw: %s\n", target, e.what());
        fail(target, "thaw refuses what freeze wrote");
    }
    QByteArray bytes2;
    try {
        bytes2 = serialiser->freeze(thawed1);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s: freeze: %s\n", target, e.what());
        fail(target, "freeze refuses values it wrote itself, after one round");
    }
    if (bytes2 != bytes1) {
        std::fprintf(stderr, "%s: first round  %s\n%s: second round %s\n", target,
            bytes1.toHex().constData(), target, bytes2.toHex().constData());
        fail(target, "a second freeze/thaw round changed the bytes");
    }
    if (values == Values::Exact && thawed1 != thawed)
        fail(target, "the values changed in a freeze/thaw round");
    return 0;
}

} // namespace QForkRpcFuzz
