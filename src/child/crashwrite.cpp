// SPDX-License-Identifier: MIT
#include "crashwrite_p.h"

#include "wire/framewriter_p.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

std::atomic<const FrameWriter *> crashWriter { nullptr };
int crashWriterFd = -1;
// A child that the worker's code forks (without exec) shares the handlers and the socket, but
// must not write our frames when it crashes.
pid_t crashWriterProcess = 0;

constexpr int crashSignals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };

void writeOutAndDie(int signal)
{
    const int savedErrno = errno;
    const FrameWriter *writer = crashWriter.load(std::memory_order_relaxed);
    if (writer && crashWriterProcess == getpid())
        writer->writeOutWhileDying(crashWriterFd);
    errno = savedErrno;
    // Blocked until we return (no SA_NODEFER), then delivered with the default action that
    // SA_RESETHAND restored. A fault would come again anyway; a raise() or kill() would not.
    raise(signal);
}

} // namespace

void writeOutOnCrash(const FrameWriter *writer, int fd)
{
    crashWriterFd = fd;
    crashWriterProcess = getpid();
    crashWriter.store(writer, std::memory_order_relaxed);
    for (const int signal : crashSignals) {
        struct sigaction current = {};
        if (sigaction(signal, nullptr, &current) != 0 || (current.sa_flags & SA_SIGINFO)
            || (current.sa_handler != SIG_DFL && current.sa_handler != &writeOutAndDie))
            continue;
        struct sigaction ours = {};
        ours.sa_handler = &writeOutAndDie;
        ours.sa_flags = SA_RESETHAND;
        sigemptyset(&ours.sa_mask);
        sigaction(signal, &ours, nullptr);
    }
}

void forgetOnCrash(const FrameWriter *writer)
{
    const FrameWriter *expected = writer;
    crashWriter.compare_exchange_strong(expected, nullptr);
}

} // namespace QForkRpcDetail
