// SPDX-License-Identifier: MIT
#include "selftest.h"

#include "jobboard.h"
#include "mainwindow.h"
#include "script.h"
#include "spinner.h"
#include "workers.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtGui/QGuiApplication>
#include <QtGui/QPixmap>
#include <QtGui/QScreen>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QPushButton>

#include <algorithm>
#include <csignal>
#include <functional>
#include <memory>
#include <unistd.h>
#include <vector>

namespace {

using State = JobBoard::State;

// The script's own deadline, and the alarm behind it in case the event loop stops turning.
constexpr int deadlineMs = 100 * 1000;
constexpr unsigned alarmSeconds = 110;

// The expected prime counts, from a sieve of Eratosthenes: a different algorithm from the
// workers' trial division, itself checked against the published values of pi(10^6) and pi(10^7).
class Sieve
{
public:
    explicit Sieve(qint64 limit)
        : m_composite(size_t(limit), false)
    {
        for (qint64 n = 2; n * n < limit; ++n) {
            if (m_composite[size_t(n)])
                continue;
            for (qint64 multiple = n * n; multiple < limit; multiple += n)
                m_composite[size_t(multiple)] = true;
        }
    }
    qint64 count(qint64 from, qint64 to) const
    {
        qint64 primes = 0;
        for (qint64 n = qMax<qint64>(from, 2); n < to; ++n)
            primes += m_composite[size_t(n)] ? 0 : 1;
        return primes;
    }

private:
    std::vector<bool> m_composite;
};

// How the library words a worker killed by SIGSEGV, in the languages it ships.
QString expectedCrashText()
{
    const QString signal = QString::number(SIGSEGV);
    switch (QLocale().language()) {
    case QLocale::German:
        return QStringLiteral("wurde durch Signal ") + signal;
    case QLocale::French:
        return QStringLiteral("a été tué par le signal ") + signal;
    default:
        return QStringLiteral("was killed by signal ") + signal;
    }
}

// The window's Start button in the languages the demo ships.
QString expectedStartText()
{
    switch (QLocale().language()) {
    case QLocale::German:
        return QStringLiteral("Starten");
    case QLocale::French:
        return QStringLiteral("Démarrer");
    default:
        return QStringLiteral("Start");
    }
}

QList<int> sorted(const QSet<int> &jobs)
{
    QList<int> list(jobs.cbegin(), jobs.cend());
    std::sort(list.begin(), list.end());
    return list;
}

QString jobList(const QSet<int> &jobs)
{
    QStringList names;
    for (int job : sorted(jobs))
        names << QString::number(job);
    return names.join(QLatin1String(", "));
}

const JobBoard::Job *findJob(const MainWindow &window, int id)
{
    for (const JobBoard::Job &job : window.board()->jobs()) {
        if (job.spec.id == id)
            return &job;
    }
    return nullptr;
}

// Every running job has done at least `fraction` of its range.
bool runningJobsPast(const MainWindow &window, double fraction)
{
    for (const JobBoard::Job &job : window.board()->jobs()) {
        if (job.state == State::Running && !job.spec.stuck && job.done < fraction * job.total)
            return false;
    }
    return true;
}

// The job with the highest id in `state` for which `also` holds, or -1.
int lastJob(
    const MainWindow &window, State state,
    const std::function<bool(const JobBoard::Job &)> &also
    = [](const JobBoard::Job &) { return true; })
{
    int found = -1;
    for (const JobBoard::Job &job : window.board()->jobs()) {
        if (job.state == state && !job.spec.stuck && also(job))
            found = qMax(found, job.spec.id);
    }
    return found;
}

bool allEndedBut(const MainWindow &window, int except)
{
    for (const JobBoard::Job &job : window.board()->jobs()) {
        if (job.spec.id != except && !JobBoard::hasEnded(job.state))
            return false;
    }
    return true;
}

// What one session remembers between its steps.
struct Session
{
    QSet<int> crashedRunning; // the job(s) the crashed worker was running
    QSet<qint64> pidsBeforeCrash; // the workers that had begun a job before the crash
    qint64 crashedPid = -1;
    int cancelledWaiting = -1; // the last waiting job: in the pool's queue
    int cancelledEarliest = -1; // sync: the earliest waiting job, in a worker behind a running one
    int cancelledRunning = -1; // cancelled while its worker ran it
    int cancelledAfterFinish = -1;
    int errorsAtCancel = 0;
    int stuck = -1;
    QElapsedTimer clock;
};

// Presses a job's Cancel button and checks that the board shows it cancelled at once.
void cancel(Script &script, MainWindow &window, int id, const QString &what)
{
    QAbstractButton *button = window.board()->cancelButton(id);
    if (!script.check(button && button->isEnabled(),
            QStringLiteral("job %1 has no enabled Cancel button").arg(id)))
        return;
    button->click();
    const JobBoard::Job *job = findJob(window, id);
    script.check(job->state == State::Cancelled,
        QStringLiteral("job %1 is not shown cancelled at once (state %2)")
            .arg(id)
            .arg(int(job->state)));
    script.check(
        !button->isEnabled(), QStringLiteral("job %1's Cancel button is still enabled").arg(id));
    report(QStringLiteral("  cancelled %1 job %2 at %3 of %4 numbers")
               .arg(what)
               .arg(id)
               .arg(job->done)
               .arg(job->total));
}

// A job that ended normally: the right count, from a progress bar that moved and reached its end
// (the worker's last setProgress() before the result is never lost).
// After Finish: the pool said destroyed() with no worker and no call left, and `fault` gave
// exactly one error().
void checkFinishedWithOneError(Script &script, const MainWindow &window, const QString &fault)
{
    script.check(window.leftAtDestroyed() == 0,
        QStringLiteral("the pool said destroyed() with %1 workers and calls left")
            .arg(window.leftAtDestroyed()));
    script.check(window.workerErrors() == 1,
        QStringLiteral("%1 error()s for %2, expected one; the log:\n")
                .arg(window.workerErrors())
                .arg(fault)
            + window.logText());
}

void checkDone(Script &script, const JobBoard::Job &job, const Sieve &sieve)
{
    const int id = job.spec.id;
    const qint64 expected = sieve.count(job.spec.from, job.spec.to);
    script.check(job.state == State::Done,
        QStringLiteral("job %1 did not finish (state %2, %3): %4")
            .arg(id)
            .arg(int(job.state))
            .arg(JobBoard::kindName(job.kind), job.error));
    script.check(job.primes == expected,
        QStringLiteral("job %1 [%2, %3): %4 primes, expected %5")
            .arg(id)
            .arg(job.spec.from)
            .arg(job.spec.to)
            .arg(job.primes)
            .arg(expected));
    script.check(job.done == job.total && job.total == job.spec.to - job.spec.from,
        QStringLiteral("job %1's progress ended at %2 of %3, not at %4")
            .arg(id)
            .arg(job.done)
            .arg(job.total)
            .arg(job.spec.to - job.spec.from));
    script.check(job.progressUpdates >= 2,
        QStringLiteral("job %1's progress bar moved %2 time(s)").arg(id).arg(job.progressUpdates));
}

// With the sync backend every worker runs one job and has the next one waiting in it. The pool
// does not say which jobs those are, but it hands out its queue in order, so the earliest waiting
// job is one of them. Only while every worker has at least 40% of its running job to go, so that
// none starts it for a while; -1 otherwise.
int earliestWaitingBehindSlowJobs(const MainWindow &window, int runningJobs)
{
    if (window.board()->count(State::Running) < runningJobs)
        return -1;
    int earliest = -1;
    for (const JobBoard::Job &job : window.board()->jobs()) {
        if (job.spec.stuck)
            continue;
        if (job.state == State::Running && job.done > 0.6 * job.total)
            return -1;
        if (job.state == State::Waiting && earliest < 0)
            earliest = job.spec.id;
    }
    return earliest;
}

bool runningBetween(const JobBoard::Job &job)
{
    return job.done >= 0.05 * job.total && job.done <= 0.6 * job.total;
}

// Crash a worker, cancel jobs in every place a job can be, Finish, and check the outcome.
void addSession(
    Script &script, MainWindow &window, const Sieve &sieve, const MainWindow::Settings &settings)
{
    auto session = std::make_shared<Session>();
    const QString name = settings.async ? QStringLiteral("async") : QStringLiteral("sync");
    const int runningJobs = settings.workers * MainWindow::runningPerWorker(settings.async);

    script.then(name
            + QStringLiteral(": start %1 jobs on %2 workers")
                  .arg(settings.jobs)
                  .arg(settings.workers),
        [&, session, settings] {
            window.setSettings(settings);
            window.startButton()->click();
            session->clock.start();
            script.check(window.isRunning(), QStringLiteral("Start did not start the workers"));
        });

    script.waitFor(
        name + QStringLiteral(": wait until every worker is in the middle of a job"),
        [&, runningJobs] {
            return window.board()->count(State::Running) == runningJobs
                && runningJobsPast(window, 0.03);
        },
        [&, session] {
            for (const JobBoard::Job &job : window.board()->jobs()) {
                if (job.pid > 0)
                    session->pidsBeforeCrash.insert(job.pid);
            }
            window.crashButton()->click();
            session->crashedPid = window.lastCrashedPid();
            if (!script.check(
                    session->crashedPid > 0, QStringLiteral("Crash a worker found no busy worker")))
                return;
            for (const JobBoard::Job &job : window.board()->jobs()) {
                if (job.pid == session->crashedPid && job.state == State::Running)
                    session->crashedRunning.insert(job.spec.id);
            }
            report(QStringLiteral("  crashed the worker with pid %1 while it ran job(s) %2")
                       .arg(session->crashedPid)
                       .arg(jobList(session->crashedRunning)));
        });

    script.waitFor(
        name + QStringLiteral(": wait until the crashed worker's jobs have failed"),
        [&, session] {
            for (int id : std::as_const(session->crashedRunning)) {
                if (findJob(window, id)->state != State::Failed)
                    return false;
            }
            return true;
        },
        [&, session] {
            const QString expected = expectedCrashText();
            for (int id : sorted(session->crashedRunning)) {
                const JobBoard::Job *job = findJob(window, id);
                const QString error = job->error;
                report(QStringLiteral("  job %1 failed (%2): %3")
                           .arg(id)
                           .arg(JobBoard::kindName(job->kind), error));
                script.check(job->kind == QForkRpcError::Kind::WorkerDied,
                    QStringLiteral("job %1 failed with kind %2, expected WorkerDied")
                        .arg(id)
                        .arg(JobBoard::kindName(job->kind)));
                script.check(window.board()->resultText(id).contains(QLatin1String("WorkerDied")),
                    QStringLiteral("job %1's row does not show the kind: ").arg(id)
                        + window.board()->resultText(id));
                script.check(error.contains(expected),
                    QStringLiteral("job %1's error does not say \"%2\": %3")
                        .arg(id)
                        .arg(expected, error));
                script.check(error.contains(QString::number(session->crashedPid)),
                    QStringLiteral("job %1's error does not name pid %2: %3")
                        .arg(id)
                        .arg(session->crashedPid)
                        .arg(error));
                script.check(window.logText().contains(error),
                    QStringLiteral("the log does not show the error: ") + error);
            }
        });

    script.waitFor(
        name + QStringLiteral(": wait until a fresh worker carries on"),
        [&, session] {
            return lastJob(window, State::Running, [&](const JobBoard::Job &job) {
                return !session->pidsBeforeCrash.contains(job.pid);
            }) > 0;
        },
        [&, session] {
            // The last waiting job is still in the pool's queue: no worker has seen it, none ever
            // will.
            session->cancelledWaiting = lastJob(window, State::Waiting);
            if (script.check(session->cancelledWaiting > 0,
                    QStringLiteral("no job is waiting in the pool's queue to be cancelled")))
                cancel(script, window, session->cancelledWaiting,
                    QStringLiteral("the last waiting (in the pool's queue)"));
        });

    if (!settings.async) {
        // The sync worker has the job behind its running one already, unstarted: cancelled,
        // the worker must skip it.
        script.waitFor(
            name + QStringLiteral(": wait for a job waiting in a worker, and cancel it"),
            [&, runningJobs] { return earliestWaitingBehindSlowJobs(window, runningJobs) > 0; },
            [&, session, runningJobs] {
                session->cancelledEarliest = earliestWaitingBehindSlowJobs(window, runningJobs);
                cancel(script, window, session->cancelledEarliest,
                    QStringLiteral("the earliest waiting (in its worker, not started)"));
            });
    }

    script.waitFor(
        name + QStringLiteral(": wait for a job between 5% and 60% done, and cancel it"),
        [&] { return lastJob(window, State::Running, runningBetween) > 0; },
        [&, session] {
            session->cancelledRunning = lastJob(window, State::Running, runningBetween);
            session->errorsAtCancel = window.workerErrors();
            cancel(script, window, session->cancelledRunning, QStringLiteral("the running"));
        });

    script.waitFor(
        name + QStringLiteral(": wait until its worker says it stopped early (isCancelled())"),
        [&, session] { return findJob(window, session->cancelledRunning)->stoppedAt >= 0; },
        [&, session] {
            const JobBoard::Job *job = findJob(window, session->cancelledRunning);
            report(QStringLiteral("  the worker stopped job %1 after %2 of %3 numbers")
                       .arg(job->spec.id)
                       .arg(job->stoppedAt)
                       .arg(job->total));
            script.check(job->stoppedAt < job->total,
                QStringLiteral("job %1 ran to its end after it was cancelled").arg(job->spec.id));
            script.check(job->state == State::Cancelled,
                QStringLiteral("job %1 is no longer shown cancelled").arg(job->spec.id));
            script.check(window.workerErrors() == session->errorsAtCancel,
                QStringLiteral("cancelling a job reported an error(): ") + window.logText());
            script.check(window.board()->count(State::Waiting) > 0,
                QStringLiteral(
                    "no job is waiting any more: Finish would have nothing left to run"));
            window.finishButton()->click();
            script.check(!window.stuckButton()->isEnabled(),
                QStringLiteral("Add a stuck job is still enabled after Finish"));

            // After finish() the pool still runs the calls it has, and cancelling works as
            // before.
            session->cancelledAfterFinish = lastJob(window, State::Waiting);
            if (session->cancelledAfterFinish < 0)
                session->cancelledAfterFinish = lastJob(window, State::Running);
            if (script.check(session->cancelledAfterFinish > 0,
                    QStringLiteral("no job left to cancel after Finish")))
                cancel(script, window, session->cancelledAfterFinish,
                    QStringLiteral("after Finish, the"));
        });

    script.waitFor(
        name + QStringLiteral(": Finish: wait until the pool has said destroyed()"),
        [&] { return !window.isRunning(); },
        [&, session, settings, sieve = &sieve] {
            checkFinishedWithOneError(
                script, window, QStringLiteral("one crash (cancelling must add none)"));
            // Every worker began a job before the crash, and one fresh worker took over.
            script.check(window.workersSeen() == settings.workers + 1,
                QStringLiteral("%1 workers began jobs, expected %2 and a fresh one")
                    .arg(window.workersSeen())
                    .arg(settings.workers));
            for (const JobBoard::Job &job : window.board()->jobs()) {
                const int id = job.spec.id;
                if (session->crashedRunning.contains(id)) {
                    script.check(
                        job.state == State::Failed && job.kind == QForkRpcError::Kind::WorkerDied,
                        QStringLiteral("job %1 should have failed with WorkerDied").arg(id));
                } else if (id == session->cancelledWaiting || id == session->cancelledEarliest) {
                    script.check(job.state == State::Cancelled && !job.started,
                        QStringLiteral("job %1, cancelled before it started, ran").arg(id));
                } else if (id == session->cancelledRunning) {
                    script.check(job.state == State::Cancelled && job.started && job.stoppedAt >= 0
                            && job.stoppedAt < job.total,
                        QStringLiteral("job %1, cancelled while it ran, did not stop early")
                            .arg(id));
                } else if (id == session->cancelledAfterFinish) {
                    script.check(job.state == State::Cancelled,
                        QStringLiteral("job %1, cancelled after Finish, is shown as %2")
                            .arg(id)
                            .arg(int(job.state)));
                } else {
                    // Among them the job the crashed sync worker had not started yet: the pool
                    // gave it to another worker.
                    checkDone(script, job, *sieve);
                }
            }
            report(QStringLiteral("  %1 jobs done with the right prime counts and full progress "
                                  "bars, %2 failed, %3 cancelled; %4 workers; %5 s; longest pause "
                                  "of the window %6 ms")
                       .arg(window.board()->count(State::Done))
                       .arg(window.board()->count(State::Failed))
                       .arg(window.board()->count(State::Cancelled))
                       .arg(window.workersSeen())
                       .arg(session->clock.elapsed() / 1000.0, 0, 'f', 1)
                       .arg(window.spinner()->longestPauseMs()));
        });
}

// A stuck job on workers with a short time limit: it fails as TimedOut, its worker is killed (one
// error()) and replaced, and every other job is done.
void addTimeoutSession(
    Script &script, MainWindow &window, const Sieve &sieve, const MainWindow::Settings &settings)
{
    auto session = std::make_shared<Session>();
    const QString name = (settings.async ? QStringLiteral("async") : QStringLiteral("sync"))
        + QStringLiteral(", time limit %1 s").arg(settings.timeLimitSeconds);
    const QString function
        = QLatin1String(settings.async ? DemoWorkers::asyncFunction : DemoWorkers::syncFunction);

    script.then(name + QStringLiteral(": start %1 jobs and a stuck one").arg(settings.jobs),
        [&, session, settings] {
            window.setSettings(settings);
            window.startButton()->click();
            session->clock.start();
            if (!script.check(window.stuckButton()->isEnabled(),
                    QStringLiteral("Add a stuck job is not enabled while jobs run")))
                return;
            window.stuckButton()->click();
            const QList<JobBoard::Job> &jobs = window.board()->jobs();
            if (script.check(!jobs.isEmpty() && jobs.constLast().spec.stuck,
                    QStringLiteral("Add a stuck job added no row")))
                session->stuck = jobs.constLast().spec.id;
        });

    script.waitFor(
        name + QStringLiteral(": wait until the stuck job times out"),
        [&, session] { return JobBoard::hasEnded(findJob(window, session->stuck)->state); },
        [&, session, settings, function] {
            const JobBoard::Job *job = findJob(window, session->stuck);
            const qint64 elapsed = session->clock.elapsed();
            report(QStringLiteral("  job %1 ended after %2 s (%3): %4")
                       .arg(job->spec.id)
                       .arg(elapsed / 1000.0, 0, 'f', 1)
                       .arg(JobBoard::kindName(job->kind), job->error));
            script.check(job->state == State::Failed && job->kind == QForkRpcError::Kind::TimedOut,
                QStringLiteral("the stuck job ended in state %1 with kind %2, expected TimedOut")
                    .arg(int(job->state))
                    .arg(JobBoard::kindName(job->kind)));
            script.check(job->started, QStringLiteral("the stuck job never started"));
            script.check(elapsed >= settings.timeLimitSeconds * 1000,
                QStringLiteral("the stuck job timed out after %1 ms, before its time limit")
                    .arg(elapsed));
            script.check(
                window.board()->resultText(job->spec.id).contains(QLatin1String("TimedOut")),
                QStringLiteral("the stuck job's row does not show the kind: ")
                    + window.board()->resultText(job->spec.id));
            script.check(job->error.contains(function),
                QStringLiteral("the time-out error does not name %1: %2")
                    .arg(function, job->error));
            script.check(window.logText().contains(job->error),
                QStringLiteral("the log does not show the error: ") + job->error);
        });

    // The pool replaces the killed worker at once (Options::idle is the number of workers); the
    // fresh one may find no job left to do, so only the pool's count shows it.
    script.waitFor(
        name
            + QStringLiteral(
                ": wait for the pool to have %1 workers again and the other jobs' end, then Finish")
                  .arg(settings.workers),
        [&, session, settings] {
            return window.poolWorkers() == settings.workers && allEndedBut(window, session->stuck);
        },
        [&] { window.finishButton()->click(); });

    script.waitFor(
        name + QStringLiteral(": Finish: wait until the pool has said destroyed()"),
        [&] { return !window.isRunning(); },
        [&, session, sieve = &sieve] {
            checkFinishedWithOneError(script, window, QStringLiteral("one time-out"));
            const qint64 stuckPid = findJob(window, session->stuck)->pid;
            for (const JobBoard::Job &job : window.board()->jobs()) {
                if (job.spec.id == session->stuck)
                    continue;
                // The killed worker takes the calls it had with it; with jobs this short,
                // normally none.
                if (job.state == State::Failed && job.pid == stuckPid
                    && job.kind == QForkRpcError::Kind::WorkerDied) {
                    report(QStringLiteral("  job %1 went with the stuck job's worker")
                               .arg(job.spec.id));
                    continue;
                }
                checkDone(script, job, *sieve);
            }
            report(QStringLiteral("  %1 jobs done with the right prime counts, %2 timed out; %3 s")
                       .arg(window.board()->count(State::Done))
                       .arg(window.board()->count(State::Failed))
                       .arg(session->clock.elapsed() / 1000.0, 0, 'f', 1));
        });
}

// Exits with the script's verdict.
int runScript(Script &script)
{
    ::alarm(alarmSeconds); // SIGALRM ends the program even if the event loop is stuck
    QObject::connect(&script, &Script::finished, [](bool passed, const QString &failure) {
        report(passed ? QStringLiteral("PASS") : QStringLiteral("FAIL: ") + failure);
        QCoreApplication::exit(passed ? 0 : 1);
    });
    script.start(deadlineMs);
    return QCoreApplication::exec();
}

} // namespace

int runSelfTest(MainWindow &window)
{
    report(
        QStringLiteral("qforkrpc-demo selftest (language %1, platform %2)")
            .arg(QLocale::languageToString(QLocale().language()), QGuiApplication::platformName()));
    // Enough jobs that some still wait in the queue once the fresh worker has taken its share and
    // one was cancelled there, so that Finish has jobs to hand out (two of them to one sync
    // worker). The time limit is far off: no job reaches it.
    MainWindow::Settings sync;
    sync.workers = 2;
    sync.jobs = 12;
    sync.millionsPerJob = 3;
    sync.timeLimitSeconds = 120;
    MainWindow::Settings async = sync;
    async.async = true;
    async.jobs = 14;
    async.millionsPerJob = 2;
    // Short jobs and a short time limit, for the stuck job.
    MainWindow::Settings timeout;
    timeout.workers = 2;
    timeout.jobs = 3;
    timeout.millionsPerJob = 1;
    timeout.timeLimitSeconds = 3;
    MainWindow::Settings asyncTimeout = timeout;
    asyncTimeout.async = true;
    const Sieve sieve(
        qMax(sync.jobs * sync.millionsPerJob, async.jobs * async.millionsPerJob) * qint64(1000000));

    Script script;
    script.then(QStringLiteral("check the sieve and the window's language"), [&] {
        script.check(
            sieve.count(0, 1000000) == 78498, QStringLiteral("the sieve is wrong about pi(10^6)"));
        script.check(sieve.count(0, 10000000) == 664579,
            QStringLiteral("the sieve is wrong about pi(10^7)"));
        script.check(window.startButton()->text() == expectedStartText(),
            QStringLiteral("the Start button says \"%1\", expected \"%2\"")
                .arg(window.startButton()->text(), expectedStartText()));
    });
    addSession(script, window, sieve, sync);
    addSession(script, window, sieve, async);
    addTimeoutSession(script, window, sieve, timeout);
    addTimeoutSession(script, window, sieve, asyncTimeout);
    return runScript(script);
}

int runScreenshot(MainWindow &window, const QString &file)
{
    // Three workers; one crashes in the middle of a job, one job is cancelled while it runs, and
    // a stuck job, which waits at the end of the pool's queue (it has no priority), runs until the
    // time limit kills its worker.
    MainWindow::Settings settings;
    settings.workers = 3;
    settings.jobs = 10;
    settings.millionsPerJob = 3;
    settings.timeLimitSeconds = 5;
    // As tall as the 1280x800 screen of the README's xvfb-run, so that every job's row shows.
    window.resize(window.width(), 800);

    Script script;
    auto before = std::make_shared<QSet<qint64>>(); // the workers that began jobs before the crash
    auto cancelled = std::make_shared<int>(-1);
    auto stuck = std::make_shared<int>(-1);
    auto clock = std::make_shared<QElapsedTimer>();
    script.then(QStringLiteral("start, and add a stuck job"), [&, stuck] {
        window.setSettings(settings);
        window.startButton()->click();
        window.stuckButton()->click();
        *stuck = window.board()->jobs().constLast().spec.id;
    });
    script.waitFor(
        QStringLiteral("wait for finished jobs and busy workers, and crash one"),
        [&] {
            return window.board()->count(State::Done) >= 2
                && window.board()->count(State::Running) == settings.workers
                && runningJobsPast(window, 0.05);
        },
        [&, before] {
            for (const JobBoard::Job &job : window.board()->jobs()) {
                if (job.pid > 0)
                    before->insert(job.pid);
            }
            window.crashButton()->click();
            script.check(window.lastCrashedPid() > 0, QStringLiteral("no busy worker to crash"));
        });
    script.waitFor(
        QStringLiteral("wait for the fresh worker to get going, and cancel a job"),
        [&, before] {
            bool failed = false;
            bool carriesOn = false;
            for (const JobBoard::Job &job : window.board()->jobs()) {
                failed = failed || job.state == State::Failed;
                carriesOn = carriesOn
                    || (!before->contains(job.pid) && job.state == State::Running
                        && job.done >= job.total / 5);
            }
            return failed && carriesOn;
        },
        [&, cancelled] {
            *cancelled = lastJob(window, State::Running,
                [](const JobBoard::Job &job) { return job.done >= job.total / 5; });
            if (script.check(*cancelled > 0, QStringLiteral("no running job to cancel")))
                window.board()->cancelButton(*cancelled)->click();
        });
    script.waitFor(
        QStringLiteral("wait for the stuck job's time-out"),
        [&, cancelled, stuck] {
            return findJob(window, *cancelled)->stoppedAt >= 0
                && findJob(window, *stuck)->state == State::Failed;
        },
        [clock] { clock->start(); });
    script.waitFor(
        QStringLiteral("save the window to ") + file, [clock] { return clock->elapsed() > 300; },
        [&] {
            // From the screen, as the display server shows the window (under Xvfb: the real
            // window).
            QPixmap shot = window.screen()->grabWindow(window.winId());
            if (shot.isNull())
                shot = window.grab();
            script.check(shot.save(file), QStringLiteral("cannot save ") + file);
        });
    return runScript(script);
}
