// SPDX-License-Identifier: MIT
// The template process (AnyEvent::Fork's template): forked by initialize() at the top of main(),
// before the program has threads or a QCoreApplication, it waits on a control socket for requests
// and forks each worker from its own clean state. A request is one byte with the worker's socket
// attached (SCM_RIGHTS); the template answers each on the control socket, in order, with the new
// worker's pid or the errno of a failed fork. A thread of the library reads the answers (see
// TemplateTicket in spawn_p.h).
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
#include "wire/messages_p.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QMetaObject>
#include <QtCore/QMutex>
#include <QtCore/QObject>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {

// The template's answer to one request.
struct Answer
{
    qint32 pid; // > 0: the worker
    qint32 error; // else the errno of the failed fork
};

struct TemplateState
{
    QMutex mutex; // requests come from any thread, answers from the reader thread
    int controlSocket = -1;
    pid_t pid = 0;
    pid_t programPid = 0;
    QString howItEnded; // once the template has died and been reaped
    bool readerStarted = false;
    std::deque<std::shared_ptr<TemplateTicket>> waiting; // requests sent, in order
};

TemplateState &state()
{
    // Never destroyed: the reader thread may still use it while the program exits.
    static TemplateState *s = new TemplateState;
    return *s;
}

// Reaps the template once it is gone, to say how it ended; the mutex is held.
void reapTemplateLocked(TemplateState &s)
{
    if (!s.howItEnded.isEmpty())
        return;
    // Its end of the control socket is closed, so it is exiting: this does not wait long.
    int status = 0;
    const pid_t reaped = waitForChild(s.pid, &status, 0);
    s.howItEnded = exitStatusText(reaped == s.pid ? status : -1);
}

// The reader thread: hands each answer to the ticket of the oldest request, and when the
// template is gone, reaps it and fails every request it will never answer.
void readAnswers(int control)
{
    for (;;) {
        Answer answer {};
        const ssize_t n = recv(control, &answer, sizeof answer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        TemplateState &s = state();
        if (n != sizeof answer) {
            QMutexLocker locker(&s.mutex);
            reapTemplateLocked(s);
            ::close(s.controlSocket);
            s.controlSocket = -1;
            const QString error = errorText(ErrorCode::TemplateGone, { s.howItEnded });
            for (const auto &ticket : s.waiting)
                ticket->answer(0, error);
            s.waiting.clear();
            return;
        }
        std::shared_ptr<TemplateTicket> ticket;
        {
            QMutexLocker locker(&s.mutex);
            if (s.waiting.empty())
                continue; // cannot happen: every answer has its request
            ticket = std::move(s.waiting.front());
            s.waiting.pop_front();
        }
        if (answer.pid > 0)
            ticket->answer(answer.pid, QString());
        else
            ticket->answer(0, spawnFailedText(answer.error));
    }
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
    setLocaleForWorkers();

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
        Answer answer { qint32(pid > 0 ? pid : 0), pid > 0 ? 0 : errno };
        ssize_t sent;
        do {
            sent = send(control, &answer, sizeof answer, MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
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
        qCWarning(lcQForkRpcSpawn)
            << "cannot create the template's control socket:" << strerror(errno);
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

    TemplateState &s = state();
    QMutexLocker locker(&s.mutex);
    if (!s.readerStarted && s.controlSocket >= 0) {
        // Started with the first request, long after the template was forked single-threaded.
        try {
            std::thread(readAnswers, s.controlSocket).detach();
            s.readerStarted = true;
        } catch (const std::system_error &e) {
            // No thread to be had (RLIMIT_NPROC): no request either, until one can be started.
            close(fds[0]);
            close(fds[1]);
            worker.error = spawnFailedText(e.code().value());
            return worker;
        }
    }
    // Queued before it is sent, so that its answer always finds it.
    auto ticket = std::make_shared<TemplateTicket>();
    s.waiting.push_back(ticket);
    ssize_t sent;
    do {
        sent = s.controlSocket < 0 ? -1 : sendmsg(s.controlSocket, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    close(fds[1]);
    if (sent == 1) {
        worker.socket = fds[0];
        worker.ticket = std::move(ticket);
        return worker;
    }
    s.waiting.pop_back();
    close(fds[0]);
    if (s.controlSocket >= 0)
        reapTemplateLocked(s); // the reader thread may not have seen the end yet
    worker.error = errorText(ErrorCode::TemplateGone, { s.howItEnded });
    return worker;
}

pid_t TemplateTicket::pid() const
{
    QMutexLocker locker(&m_mutex);
    return m_pid;
}

bool TemplateTicket::isAnswered(pid_t *pid, QString *error) const
{
    QMutexLocker locker(&m_mutex);
    *pid = m_pid;
    *error = m_error;
    return m_answered;
}

void TemplateTicket::whenAnswered(
    QObject *context, std::function<void(pid_t, const QString &)> answered)
{
    QMutexLocker locker(&m_mutex);
    if (m_answered) {
        QMetaObject::invokeMethod(
            context, [answered, pid = m_pid, error = m_error] { answered(pid, error); },
            Qt::QueuedConnection);
        return;
    }
    m_context = context;
    m_answeredCallback = std::move(answered);
}

pid_t TemplateTicket::abandon(int waitMs)
{
    QMutexLocker locker(&m_mutex);
    if (!m_answered && waitMs > 0)
        m_answeredCondition.wait(&m_mutex, QDeadlineTimer(waitMs));
    m_abandoned = true;
    m_context = nullptr;
    m_answeredCallback = nullptr;
    return m_pid;
}

void TemplateTicket::answer(pid_t pid, const QString &error)
{
    QMutexLocker locker(&m_mutex);
    m_pid = pid;
    m_error = error;
    m_answered = true;
    m_answeredCondition.wakeAll();
    if (m_abandoned) {
        locker.unlock();
        if (pid > 0)
            killAndReap(pid); // forked for an owner that is gone
        return;
    }
    if (m_context) {
        // Posted under the lock: the owner cannot be deleted before abandon() has taken it.
        QMetaObject::invokeMethod(
            m_context, [answered = m_answeredCallback, pid, error] { answered(pid, error); },
            Qt::QueuedConnection);
    }
}

} // namespace QForkRpcDetail
