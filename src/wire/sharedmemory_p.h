// SPDX-License-Identifier: MIT
// Large payloads through shared memory: a frame whose payload reaches the threshold is written
// into a sealed memfd, which travels as the frame's last descriptor, instead of through the
// socket (README.md, "Large payloads and shared memory"). The seals make the bytes immutable
// before the receiver reads them: a worker cannot change or shrink what the parent accepted.
#pragma once

#include "wire/payload_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace QForkRpcDetail {

// The payload in a new sealed memfd (close-on-exec), or -1 (errno says why) if the system has
// none to give; the frame then goes through the socket as usual.
int sealedMemfdWith(const FramePayload &payload);

// Reads the `length` bytes a peer sent in `fd`, after making sure that they can no longer
// change: a memfd sealed against writing and shrinking, exactly `length` bytes long. False, with
// the reason, for anything else.
bool readSealedMemfd(int fd, quint32 length, QByteArray *bytes, QString *error);

} // namespace QForkRpcDetail
