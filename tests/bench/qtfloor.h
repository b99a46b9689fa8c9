// SPDX-License-Identifier: MIT
// The Qt floor: the least a Qt program pays to talk to a child process over a socket, with no
// QForkRpc. The child is the raw floor's (rawfloor.h: fork + socketpair, blocking C); the parent
// reads and writes its end through a QLocalSocket in the event loop and runs a callback per reply,
// as a plain Qt program would. QForkRpc's parent cannot do with less than an event loop, a socket
// notifier and a read per wake-up, so W1, W2, W4 and the sweep measure this floor too, and every
// row there has a ratio to it as well as to the raw floor.
#pragma once

#include "benchsupport.h"
#include "rawfloor.h"

#include <QtCore/QByteArray>

#include <deque>
#include <functional>
#include <memory>
#include <string>

class QLocalSocket;

namespace Bench {

extern const QString qtFloorName;

class QtFloor
{
public:
    using Reply = std::function<void(const char *data, size_t size)>;

    QtFloor();
    ~QtFloor();
    QtFloor(const QtFloor &) = delete;
    QtFloor &operator=(const QtFloor &) = delete;

    // Forks the child; its socket goes to a QLocalSocket.
    bool start(std::string *error);
    // Closes the socket and reaps the child; true if it exited with status 0.
    bool stop();
    qint64 pid() const { return m_child.pid(); }

    // Queues a request; `reply` runs from the event loop with the answer, in order.
    void send(char op, const char *data, size_t size, Reply reply);
    // Writes what is queued now, as far as the socket takes it, instead of when the event loop
    // comes round (which costs a wake-up more): the least a Qt parent can do.
    void flush();
    // The calls sent and not answered yet.
    size_t pending() const { return m_replies.size(); }

private:
    void readReplies();

    RawFloor::Connection m_child;
    std::unique_ptr<QLocalSocket> m_socket;
    QByteArray m_buffer; // read and not yet cut into replies
    std::deque<Reply> m_replies;
};

// Records a failure of the Qt floor; returns false.
bool qtFail(const QString &what);
// W1: n tiny calls, each sent from the previous one's callback; microseconds per call.
bool qtLatency(QtFloor &floor, int n, const Params &params, double *microsecondsPerCall);
// W2: n tiny calls queued at once; calls per second until the last callback ran.
bool qtThroughput(QtFloor &floor, int n, const Params &params, double *callsPerSecond);
// W4, one spawn: start + the first tiny call answered (the stop is not timed, as QForkRpc's
// delete is not).
bool qtSpawn(const Params &params, double *microseconds);
// SWEEP on the Qt floor's warm child.
void runQtSweep(const Params &params);

} // namespace Bench
