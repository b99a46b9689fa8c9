// SPDX-License-Identifier: MIT
// The template process (AnyEvent::Fork's template): forked by initialize() at the top of main(),
// before the program has threads or a QCoreApplication, it waits on a control socket for requests
// and forks each worker from its own clean state. A request is one byte with the worker's socket
// attached (SCM_RIGHTS); there is no reply on the control socket. The template says hello on the
// worker's socket for it, with its pid, the moment it exists, so that the parent can reap a
// worker that dies before it could say hello itself; the worker's own hello follows.
//
// Workers are forked with CLONE_PARENT, so they are the program's children, not the template's:
// the program reaps them and reads their exit status itself, they die with the program
// (PR_SET_PDEATHSIG), and they survive the template.
#include "spawn_p.h"

#include "child/worker_p.h"
#include "errors_p.h"
#include "forkutil_p.h"
#include "logging_p.h"
#include "processtitle_p.h"
#include "protocol_p.h"

#include <QtCore/QMutex>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

struct TemplateState
{
    QMutex mutex; // requests may come from any thread
    int controlSocket = -1;
    pid_t pid = 0;
    pid_t programPid = 0;
    QString howItEnded; // once the template has died and been reaped
};

TemplateState &state()
{
    static TemplateState s;
    return s;
}

// Sends one frame down a new worker's socket in one send(), never blocking the template. A small
// send() on a stream socket is queued whole, so it cannot interleave with the worker's own
// frames, whichever comes first.
void sendFrameAtOnce(int socket, FrameType type, const QByteArray &payload)
{
    QByteArray frame;
    appendFrameHeader(frame, type, 0, quint32(payload.size()));
    frame.append(payload);
    (void)!send(socket, frame.constData(), size_t(frame.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
}

pid_t forkSibling()
{
    // Like fork(), but the child's parent is our parent. The template is single-threaded, so the
    // raw system call is as safe here as fork() would be.
    return pid_t(syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
}

[[noreturn]] void templateMain(int control, pid_t program)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != program)
        _exit(0);
    // A program that handles Ctrl-C keeps its template; the template ends with the program.
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    setProcessTitle("qforkrpc: template");

    // Keep stdio (workers write there) and the control socket, nothing the program inherited.
    if (control != 3) {
        if (dup2(control, 3) != 3)
            _exit(1);
        close(control);
        control = 3;
    }
    closeDescriptorsFrom(4);

    for (;;) {
        char byte;
        iovec io { &byte, 1 };
        alignas(cmsghdr) char control_buffer[CMSG_SPACE(sizeof(int))];
        msghdr message {};
        message.msg_iov = &io;
        message.msg_iovlen = 1;
        message.msg_control = control_buffer;
        message.msg_controllen = sizeof control_buffer;
        const ssize_t n = recvmsg(control, &message, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(0); // the program closed the control socket: it is exiting
        const cmsghdr *header = CMSG_FIRSTHDR(&message);
        if (!header || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS)
            continue;
        int socket;
        std::memcpy(&socket, CMSG_DATA(header), sizeof socket);

        const pid_t pid = forkSibling();
        if (pid == 0) {
            if (!becomeWorkerShell(socket, program, 4))
                _exit(1);
            runWorkerProcess(); // never returns
        }
        // The worker's hello, with its pid, or the failure to start it, which the parent reports
        // like any other start failure.
        if (pid > 0) {
            sendFrameAtOnce(socket, FrameType::Hello, encodeHello(pid));
        } else {
            const QString why = QString::fromLocal8Bit(strerror(errno));
            sendFrameAtOnce(socket, FrameType::Fatal, encodeErrorReport({ ErrorCode::SpawnFailed, { why } }));
        }
        close(socket);
    }
}

} // namespace

bool TemplateProcess::start()
{
    TemplateState &s = state();
    if (s.pid > 0)
        return true;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
        qCWarning(lcQForkRpcSpawn) << "cannot create the template's control socket:" << strerror(errno);
        return false;
    }
    // Whatever stdio holds now would otherwise be written twice, by the template's workers too.
    fflush(stdout);
    fflush(stderr);
    s.programPid = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        qCWarning(lcQForkRpcSpawn) << "cannot fork the template process:" << strerror(errno);
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        templateMain(fds[1], s.programPid);
    }
    close(fds[1]);
    s.controlSocket = fds[0];
    s.pid = pid;
    qCDebug(lcQForkRpcSpawn) << "template process started, pid" << pid;
    return true;
}

bool TemplateProcess::isRunning()
{
    return state().pid > 0;
}

SpawnedWorker TemplateProcess::spawnWorker()
{
    SpawnedWorker worker;
    int fds[2];
    if (!makeSocketPair(fds, &worker.error))
        return worker;

    TemplateState &s = state();
    QMutexLocker locker(&s.mutex);
    char byte = 'W';
    iovec io { &byte, 1 };
    alignas(cmsghdr) char control_buffer[CMSG_SPACE(sizeof(int))] = {};
    msghdr message {};
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    message.msg_control = control_buffer;
    message.msg_controllen = sizeof control_buffer;
    cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &fds[1], sizeof(int));

    ssize_t sent;
    do {
        sent = s.controlSocket < 0 ? -1 : sendmsg(s.controlSocket, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    close(fds[1]);
    if (sent == 1) {
        worker.socket = fds[0];
        worker.helloTwice = true;
        return worker;
    }

    // The template is gone. Reap it (it is our child) to say how it ended.
    close(fds[0]);
    int status = 0;
    if (s.controlSocket >= 0 && waitpid(s.pid, &status, WNOHANG) == s.pid) {
        s.howItEnded = exitStatusText(status);
        close(s.controlSocket);
        s.controlSocket = -1;
    }
    const QString how = s.howItEnded;
    worker.error = errorText(ErrorCode::TemplateGone, { how });
    return worker;
}

bool makeSocketPair(int fds[2], QString *error)
{
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0)
        return true;
    *error = errorText(ErrorCode::SpawnFailed, { QString::fromLocal8Bit(strerror(errno)) });
    return false;
}

} // namespace QForkRpcDetail
