// SPDX-License-Identifier: MIT
#pragma once

#include "wire/payload_p.h"

#include <qforkrpc/qforkrpcfunctions.h>

#include <QtCore/QMetaType>
#include <QtCore/qcborcommon.h>

#include <stdexcept>

namespace QForkRpcDetail {

// A serialiser: the pair a program registers, and the built-in ones.
struct Serialiser
{
    QForkRpcFreeze freeze;
    QForkRpcThaw thaw;
    // Optional zero-copy paths of a built-in serialiser, used instead of freeze and thaw when set:
    // freezing into pieces that share the values' large byte strings, and thawing a payload
    // whose buffer a large byte string may take over.
    void (*freezePieces)(const QVariantList &values, FramePayload *payload) = nullptr;
    QVariantList (*thawTaking)(QByteArray &&bytes) = nullptr;
    // A registered serialiser's name, which its errors carry; empty for the built-in ones, whose
    // reasons name them already.
    QString customName {};
};

// The built-in serialisers; each in its own file.
Serialiser dataStreamSerialiser();
Serialiser octetsSerialiser();
Serialiser jsonSerialiser();
Serialiser cborSerialiser();

// How deep lists, maps and pairs may nest in one message, on both sides. Qt's writers and
// readers recurse once per level (30 000 levels overflow the stack), and the datastream reader
// refuses deeper data, so freezing refuses it too, before anything recurses.
constexpr int maxNesting = 256;

// Throws a SerialiserError for values nested more than maxNesting levels deep and, when
// `bytesPerStringUnit` is not negative, for values whose strings and byte arrays alone need more
// bytes than one message may carry (each UTF-16 unit of a string counting that many bytes): such
// a value must fail its call, not lose its upper bits in a 32-bit length. Walks without
// recursing, so that it cannot overflow the stack itself.
void checkNestingAndSize(const QVariantList &values, int bytesPerStringUnit);
// For values a parser built: deeper than maxNesting is refused as freezing would refuse it, so
// that whatever one side accepts the other can send back.
void checkThawedNesting(const QVariantList &values);

// The values JSON can say exactly (cbor carries these and more).
bool jsonCarries(const QVariant &value);

// What a serialiser throws when it cannot carry a value or read its input.
class SerialiserError : public std::runtime_error
{
public:
    explicit SerialiserError(const QString &message)
        : std::runtime_error(message.toStdString())
    { }
};

// Walks the values, descending into lists and maps, and throws a SerialiserError naming the
// first value `accepts` refuses (by its position and type).
using ValueCheck = bool (*)(const QVariant &value);
void checkValues(const QVariantList &values, ValueCheck accepts, const char *serialiserName);

// Reads a QVariantList as QDataStream writes it, without trusting the bytes (the datastream
// serialiser's reader).
void readVariantList(QDataStream &in, QVariantList *values);

// The datastream serialiser's fast path for the common types (datastreamfastpath.cpp): the same
// bytes QDataStream writes, the same values its reader gives. False means "take the general
// path": the values hold another type, or the bytes are not plainly valid; nothing has been
// touched then. Never throws. Large byte arrays are not copied: freezing shares them as pieces
// of the payload, and thawing lets one that ends the data take over the bytes' buffer (when
// nobody else holds it; `bytes` is then empty).
bool freezeCommonDataStream(const QVariantList &values, FramePayload *payload);
bool thawCommonDataStream(QByteArray &bytes, QVariantList *values);

// Follows the first CBOR item in `bytes` without building anything and says what is wrong with
// it, if anything (cborcheck.cpp): run before QCborValue::fromCbor, so that no array or map can
// make Qt reserve room for elements that the data does not hold.
QCborError checkCborClaims(const QByteArray &bytes);

// Run a serialiser, turning whatever it throws into a reason. Both take the zero-copy path when
// the serialiser has one; thawValues consumes the bytes (and may keep their buffer). The
// descriptors the values hold go into payload->descriptors (a QForkRpcFd fails the freeze where
// descriptors do not travel), and thawing takes them from `descriptors`, those of its frame.
bool freezeValues(const Serialiser &serialiser, const QVariantList &values, FramePayload *payload,
    QString *reason, bool descriptorsTravel = true);
bool thawValues(const Serialiser &serialiser, QByteArray &&bytes, QVariantList *values,
    QString *reason, const Descriptors &descriptors = Descriptors());

} // namespace QForkRpcDetail
