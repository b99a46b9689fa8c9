// SPDX-License-Identifier: MIT
// The ways to create a worker. Each local one returns the parent's end of a fresh socketpair whose
// other end is descriptor 3 in the worker; Command returns two pipes, to its stdin and from its
// stdout, and a third from its stderr. The worker announces itself with a Hello frame.
#pragma once

#include <qforkrpc/qforkrpc.h>

#include <QtCore/QMutex>
#include <QtCore/QString>
#include <QtCore/QWaitCondition>

#include <functional>
#include <memory>
#include <sys/types.h>

class QObject;

namespace QForkRpcDetail {

class TemplateTicket;

struct SpawnedWorker
{
    int socket = -1; // the parent's end (Command: the read end), close-on-exec, owned by the caller
    int writeFd = -1; // Command: the pipe to its stdin; else -1, as the socket serves both ways
    int stderrFd = -1; // Command: the pipe from its stderr
    pid_t pid = 0; // Exec and Fork: known at once
    std::shared_ptr<TemplateTicket> ticket; // Template: the pid comes through this
    QString error; // set when spawning failed; then socket is -1
};

// A template worker's pid, which the template sends back on its control socket the moment the
// worker exists (or why it could not fork it). A thread of the library reads those answers, so
// that the pid is known while the owner's thread is busy, and so that a worker whose owner gave
// up before the answer came (the template was stopped, or slow) is still killed and reaped.
class TemplateTicket
{
public:
    // The worker's pid once the template has answered, else 0. Any thread.
    pid_t pid() const;
    // Whether the template has answered, and if so with what (for an owner that waits without its
    // event loop, which whenAnswered() needs).
    bool isAnswered(pid_t *pid, QString *error) const;
    // Runs `answered` in `context`'s thread once the template has answered: with the pid, or
    // with 0 and why there is no worker. The owner calls abandon() before `context` is deleted.
    void whenAnswered(
        QObject *context, std::function<void(pid_t pid, const QString &error)> answered);
    // The owner is going away. Returns the pid when it is known (the owner kills and reaps that
    // worker itself), else 0: a worker forked later is then killed and reaped by the library.
    // Waits up to `waitMs` for an answer that is known to be on its way.
    pid_t abandon(int waitMs = 0);

    // For the thread that reads the template's answers.
    void answer(pid_t pid, const QString &error);

private:
    mutable QMutex m_mutex;
    pid_t m_pid = 0;
    QString m_error;
    bool m_answered = false;
    bool m_abandoned = false;
    QWaitCondition m_answeredCondition;
    QObject *m_context = nullptr;
    std::function<void(pid_t, const QString &)> m_answeredCallback;
};

// Options::spawn with Auto resolved: Template if initialize() ran, else Exec if a program is
// named, else Fork (which spawnWorker() refuses for the async backend).
QForkRpc::Spawn effectiveSpawn(const QForkRpc::Options &options);
// Starts a worker the way the options say.
SpawnedWorker spawnWorker(const QForkRpc::Options &options);

// Ask the template process for a worker (Spawn::Template).
namespace TemplateProcess {
// Forks the template; called by initialize() while the program is single-threaded.
bool start();
bool isRunning();
SpawnedWorker spawnWorker();
} // namespace TemplateProcess

// Start `program` (empty: this program) with the socket passed in (Spawn::Exec).
SpawnedWorker spawnByExec(const QString &program);

// Fork the calling process, which then runs the worker itself (Spawn::Fork).
SpawnedWorker spawnByFork();

// Run `command` with --qforkrpc-worker-stdio appended, talking over pipes (Spawn::Command).
SpawnedWorker spawnByCommand(const QStringList &command);

// Starts the program at `path` with `arguments` (argv[0] first), `placed` descriptors put in place
// as placeDescriptors() says. Returns its pid, or 0 with *error set (ExecFailed when it cannot be
// run).
pid_t startProgram(const QByteArray &path, const QList<QByteArray> &arguments, const int *placed,
    int count, QString *error);

// "cannot create the worker process: <strerror(error)>", for every way spawning can fail.
QString spawnFailedText(int error);
// A socketpair, both ends close-on-exec from birth; else false with *error set.
bool makeSocketPair(int fds[2], QString *error);
// A pipe, both ends close-on-exec from birth; else false with *error set.
bool makePipe(int fds[2], QString *error);

// waitpid() for one child of ours, retried when a signal interrupts it.
pid_t waitForChild(pid_t pid, int *status, int flags);
// Kills a child of ours and waits until it is gone.
void killAndReap(pid_t pid);

} // namespace QForkRpcDetail
