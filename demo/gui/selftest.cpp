// SPDX-License-Identifier: MIT
#include "selftest.h"

#include "jobboard.h"
#include "mainwindow.h"
#include "script.h"
#include "spinner.h"
#include "workerpool.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtGui/QGuiApplication>
#include <QtGui/QPixmap>
#include <QtGui/QScreen>
#include <QtWidgets/QPushButton>

#include <algorithm>
#include <csignal>
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
        if (job.state == State::Running && job.done < fraction * job.total)
            return false;
    }
    return true;
}

// What one session remembers between its steps.
struct Session
{
    QSet<int> crashed; // the jobs the crashed worker had
    QSet<int> waitingAtCrash;
    int slot = -1;
    QElapsedTimer clock;
};

void addSession(
    Script &script, MainWindow &window, const Sieve &sieve, const MainWindow::Settings &settings)
{
    auto session = std::make_shared<Session>();
    const QString name = settings.async ? QStringLiteral("async") : QStringLiteral("sync");
    const int busyJobs = settings.workers * WorkerPool::jobsPerWorker(settings.async);

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
        [&, busyJobs] {
            return window.board()->count(State::Running) == busyJobs
                && runningJobsPast(window, 0.03);
        },
        [&, session] {
            window.crashButton()->click();
            session->slot = window.lastCrashedSlot();
            if (!script.check(
                    session->slot >= 0, QStringLiteral("Crash a worker found no busy worker")))
                return;
            for (const JobBoard::Job &job : window.board()->jobs()) {
                if (job.slot == session->slot
                    && (job.state == State::Running || job.state == State::Queued))
                    session->crashed.insert(job.spec.id);
                if (job.state == State::Waiting)
                    session->waitingAtCrash.insert(job.spec.id);
            }
            report(QStringLiteral("  crashed worker %1 while it had job(s) %2")
                       .arg(session->slot + 1)
                       .arg(jobList(session->crashed)));
        });

    script.waitFor(
        name + QStringLiteral(": wait until the crashed worker's jobs are marked failed"),
        [&, session] {
            for (int id : std::as_const(session->crashed)) {
                if (findJob(window, id)->state != State::Failed)
                    return false;
            }
            return true;
        },
        [&, session] {
            const QString expected = expectedCrashText();
            for (int id : sorted(session->crashed)) {
                const QString error = findJob(window, id)->error;
                report(QStringLiteral("  job %1 failed: %2").arg(id).arg(error));
                script.check(error.contains(expected),
                    QStringLiteral("job %1's error does not say \"%2\": %3")
                        .arg(id)
                        .arg(expected, error));
                script.check(window.logText().contains(error),
                    QStringLiteral("the log does not show the error: ") + error);
            }
        });

    script.waitFor(
        name + QStringLiteral(": wait until a fresh worker carries on with a waiting job"),
        [&, session] {
            for (int id : std::as_const(session->waitingAtCrash)) {
                const JobBoard::Job *job = findJob(window, id);
                if (job->slot == session->slot && job->state != State::Waiting)
                    return true;
            }
            return session->waitingAtCrash.isEmpty();
        },
        [&] {
            script.check(window.board()->count(State::Waiting) > 0,
                QStringLiteral(
                    "no job is waiting any more: Finish would have nothing to hand out"));
            window.finishButton()->click();
        });

    script.waitFor(
        name + QStringLiteral(": Finish: wait until every worker has said destroyed()"),
        [&] { return !window.isRunning(); },
        [&, session, settings, sieve = &sieve] {
            script.check(window.destroyedWorkers() == settings.workers,
                QStringLiteral("%1 of %2 workers said destroyed()")
                    .arg(window.destroyedWorkers())
                    .arg(settings.workers));
            for (const JobBoard::Job &job : window.board()->jobs()) {
                const int id = job.spec.id;
                if (session->crashed.contains(id)) {
                    script.check(job.state == State::Failed,
                        QStringLiteral("job %1 should have failed").arg(id));
                    continue;
                }
                const qint64 expected = sieve->count(job.spec.from, job.spec.to);
                script.check(job.state == State::Done,
                    QStringLiteral("job %1 did not finish (state %2): %3")
                        .arg(id)
                        .arg(int(job.state))
                        .arg(job.error));
                script.check(job.primes == expected,
                    QStringLiteral("job %1 [%2, %3): %4 primes, expected %5")
                        .arg(id)
                        .arg(job.spec.from)
                        .arg(job.spec.to)
                        .arg(job.primes)
                        .arg(expected));
            }
            report(QStringLiteral("  %1 jobs done with the right prime counts, %2 failed; %3 s; "
                                  "longest pause of the window %4 ms")
                       .arg(window.board()->count(State::Done))
                       .arg(window.board()->count(State::Failed))
                       .arg(session->clock.elapsed() / 1000.0, 0, 'f', 1)
                       .arg(window.spinner()->longestPauseMs()));
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
    // Enough jobs that some still wait in the queue once the fresh worker has taken its share,
    // so that Finish has jobs to hand out.
    MainWindow::Settings sync;
    sync.workers = 2;
    sync.jobs = 6;
    sync.millionsPerJob = 3;
    MainWindow::Settings async = sync;
    async.async = true;
    async.jobs = 8;
    async.millionsPerJob = 2;
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
    return runScript(script);
}

int runScreenshot(MainWindow &window, const QString &file)
{
    MainWindow::Settings settings;
    settings.workers = 3;
    settings.jobs = 10;
    settings.millionsPerJob = 4;

    Script script;
    auto slot = std::make_shared<int>(-1);
    auto clock = std::make_shared<QElapsedTimer>();
    script.then(QStringLiteral("start"), [&] {
        window.setSettings(settings);
        window.startButton()->click();
    });
    script.waitFor(
        QStringLiteral("wait for finished jobs and busy workers"),
        [&] {
            return window.board()->count(State::Done) >= 2
                && window.board()->count(State::Running) == settings.workers
                && runningJobsPast(window, 0.05);
        },
        [&, slot] {
            window.crashButton()->click();
            *slot = window.lastCrashedSlot();
            script.check(*slot >= 0, QStringLiteral("no busy worker to crash"));
        });
    script.waitFor(
        QStringLiteral("wait for the fresh worker to get going"),
        [&, slot] {
            bool failed = false;
            bool carriesOn = false;
            for (const JobBoard::Job &job : window.board()->jobs()) {
                failed = failed || job.state == State::Failed;
                carriesOn = carriesOn
                    || (job.slot == *slot && job.state == State::Running
                        && job.done >= job.total / 5);
            }
            return failed && carriesOn && window.board()->count(State::Running) == settings.workers;
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
