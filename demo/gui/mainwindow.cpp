// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "spinner.h"
#include "workers.h"

#include <QForkRpcPool>

#include <QtCore/QFutureWatcher>
#include <QtCore/QLocale>
#include <QtCore/QTime>
#include <QtCore/QTimer>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QVBoxLayout>

#include <csignal>
#include <exception>
#include <limits>
#include <sys/types.h>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_spinner(new Spinner)
    , m_pauseLabel(new QLabel)
    , m_board(new JobBoard)
    , m_log(new QPlainTextEdit)
    , m_summary(new QLabel)
    , m_refresh(new QTimer(this))
{
    setWindowTitle(tr("QForkRpc demo: counting primes in worker processes"));

    auto *intro
        = new QLabel(tr("Each job counts the primes in a range of numbers by trial division, "
                        "in one of a pool of worker processes (QForkRpcPool). The wheel keeps "
                        "turning because the window never waits for a worker, and a worker that "
                        "crashes takes only its own jobs with it. The progress bars show what the "
                        "workers report through the jobs' futures; Cancel stops a job, and the "
                        "time limit ends a job that never answers."));
    intro->setWordWrap(true);

    auto *alive = new QVBoxLayout;
    alive->addWidget(m_spinner, 0, Qt::AlignHCenter);
    alive->addWidget(m_pauseLabel, 0, Qt::AlignHCenter);
    m_pauseLabel->setAlignment(Qt::AlignCenter);
    m_pauseLabel->setWordWrap(true);
    m_pauseLabel->setFixedWidth(220);
    connect(m_spinner, &Spinner::longestPauseChanged, this, &MainWindow::showLongestPause);
    showLongestPause(0);

    auto *top = new QHBoxLayout;
    top->addWidget(createSettings());
    top->addWidget(createButtons(), 0, Qt::AlignTop);
    top->addStretch(1);
    top->addLayout(alive);

    auto *scroll = new QScrollArea;
    scroll->setWidget(m_board);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(260);

    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setMinimumHeight(110);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(intro);
    layout->addLayout(top);
    layout->addWidget(scroll, 3);
    layout->addWidget(new QLabel(tr("What the workers reported:")));
    layout->addWidget(m_log, 1);
    setCentralWidget(central);
    statusBar()->addWidget(m_summary, 1);

    connect(m_board, &JobBoard::changed, this, &MainWindow::updateSummary);
    connect(m_board, &JobBoard::cancelRequested, this, &MainWindow::cancelJob);
    // The pool does not signal when it starts or ends a worker: the count is read a few times a
    // second.
    m_refresh->setInterval(250);
    connect(m_refresh, &QTimer::timeout, this, &MainWindow::updateSummary);
    updateSummary();
    updateEnabled();
    resize(980, 720);
}

void MainWindow::showLongestPause(qint64 ms)
{
    m_pauseLabel->setText(
        tr("Longest pause of the window:") + QLatin1Char('\n') + tr("%1 ms").arg(ms));
}

QWidget *MainWindow::createSettings()
{
    m_backend = new QComboBox;
    m_backend->addItem(tr("sync: one job at a time per worker, the next one waits in it"), false);
    m_backend->addItem(tr("async: two jobs at once per worker"), true);
    m_workers = new QSpinBox;
    m_workers->setRange(1, 8);
    m_jobs = new QSpinBox;
    m_jobs->setRange(1, 40);
    m_size = new QSpinBox;
    m_size->setRange(1, 50);
    m_timeLimit = new QSpinBox;
    m_timeLimit->setRange(1, 3600);
    m_timeLimit->setSuffix(tr(" s"));
    m_timeLimit->setToolTip(tr("A job that has not answered this long after its worker started "
                               "it fails, and its worker is killed and replaced."));
    setSettings(Settings());

    auto *box = new QGroupBox(tr("Settings"));
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    form->addRow(tr("Backend:"), m_backend);
    form->addRow(tr("Workers:"), m_workers);
    form->addRow(tr("Jobs:"), m_jobs);
    form->addRow(tr("Numbers per job (millions):"), m_size);
    form->addRow(tr("Time limit per job:"), m_timeLimit);
    return box;
}

QWidget *MainWindow::createButtons()
{
    m_start = new QPushButton(tr("Start"));
    m_stuck = new QPushButton(tr("Add a stuck job"));
    m_stuck->setToolTip(tr("Adds a job whose worker never answers, at the end of the pool's "
                           "queue: the time limit ends it."));
    m_crash = new QPushButton(tr("Crash a worker"));
    m_crash->setToolTip(
        tr("The busy worker with the least progress segfaults in the middle of its job."));
    m_finish = new QPushButton(tr("Finish"));
    m_finish->setToolTip(tr("The pool takes no new jobs: the workers do the queued ones, then "
                            "exit."));
    connect(m_start, &QPushButton::clicked, this, &MainWindow::start);
    connect(m_stuck, &QPushButton::clicked, this, &MainWindow::addStuckJob);
    connect(m_crash, &QPushButton::clicked, this, &MainWindow::crashWorker);
    connect(m_finish, &QPushButton::clicked, this, &MainWindow::finish);

    auto *buttons = new QWidget;
    auto *column = new QVBoxLayout(buttons);
    column->setContentsMargins(0, 8, 0, 0);
    column->addWidget(m_start);
    column->addWidget(m_stuck);
    column->addWidget(m_crash);
    column->addWidget(m_finish);
    return buttons;
}

void MainWindow::setSettings(const Settings &settings)
{
    m_backend->setCurrentIndex(settings.async ? 1 : 0);
    m_workers->setValue(settings.workers);
    m_jobs->setValue(settings.jobs);
    m_size->setValue(settings.millionsPerJob);
    m_timeLimit->setValue(settings.timeLimitSeconds);
}

MainWindow::Settings MainWindow::settings() const
{
    Settings settings;
    settings.async = m_backend->currentData().toBool();
    settings.workers = m_workers->value();
    settings.jobs = m_jobs->value();
    settings.millionsPerJob = m_size->value();
    settings.timeLimitSeconds = m_timeLimit->value();
    return settings;
}

void MainWindow::start()
{
    if (m_pool)
        return;
    const Settings settings = this->settings();
    const qint64 size = qint64(settings.millionsPerJob) * 1000000;
    QList<JobSpec> jobs;
    for (int id = 1; id <= settings.jobs; ++id)
        jobs.append(JobSpec { id, (id - 1) * size, id * size });

    // A pool of exactly `workers` processes: all started at once (idle), at most that many
    // (max), and a dead one replaced at once, as idle asks. A job whose worker died while it ran
    // fails (no retries), so that the crash shows; one it had not started yet goes to another
    // worker by itself.
    QForkRpcPool::Options options;
    options.worker.async = settings.async;
    options.worker.init = QLatin1String(DemoWorkers::initFunction);
    options.worker.callTimeoutMs = settings.timeLimitSeconds * 1000;
    options.max = settings.workers;
    options.idle = settings.workers;
    options.load = jobsPerWorker;
    const QString function
        = QLatin1String(settings.async ? DemoWorkers::asyncFunction : DemoWorkers::syncFunction);
    m_pool = QForkRpcPool::run(function, options, this);
    connect(m_pool, &QForkRpcPool::event, this, &MainWindow::onEvent);
    connect(m_pool, &QForkRpcPool::error, this, &MainWindow::onError);
    connect(m_pool, &QForkRpcPool::destroyed, this, &MainWindow::onDestroyed);

    m_finishing = false;
    m_saidAllSettled = false;
    m_lastCrashedPid = -1;
    m_workerErrors = 0;
    m_leftAtDestroyed = -1;
    m_workerNumbers.clear();
    m_crashing.clear();
    m_nextJob = settings.jobs + 1;
    m_board->setJobs(jobs);
    m_log->clear();
    m_spinner->resetPauses();
    log(tr("Started. Backend: %1, workers: %2, jobs: %3, time limit per job: %4 s.")
            .arg(settings.async ? tr("async") : tr("sync"))
            .arg(settings.workers)
            .arg(settings.jobs)
            .arg(settings.timeLimitSeconds));
    for (const JobSpec &job : std::as_const(jobs))
        submit(job);
    m_refresh->start();
    updateEnabled();
}

// One call per job: its future reports the progress, the result or the failure, and the watcher
// hands them to this thread's event loop, which never waits for a worker.
void MainWindow::submit(const JobSpec &job)
{
    QVariantList args { job.id, job.from, job.to };
    if (job.stuck)
        args.append(true);
    Call call;
    call.future = m_pool->call(args);
    call.watcher = new QFutureWatcher<QVariantList>(this);
    call.stuck = job.stuck;
    const int id = job.id;
    QFutureWatcher<QVariantList> *watcher = call.watcher;
    connect(watcher, &QFutureWatcherBase::progressRangeChanged, this,
        [this, id, watcher](
            int, int maximum) { onProgress(id, watcher->progressValue(), maximum); });
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this,
        [this, id, watcher](int value) { onProgress(id, value, watcher->progressMaximum()); });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, id] { onFinished(id); });
    m_calls.insert(id, call);
    watcher->setFuture(call.future);
}

int MainWindow::workerNumber(qint64 pid)
{
    if (const auto found = m_workerNumbers.constFind(pid); found != m_workerNumbers.constEnd())
        return *found;
    const int number = int(m_workerNumbers.size()) + 1;
    m_workerNumbers.insert(pid, number);
    log(tr("Worker %1 (pid %2) began its first job.").arg(number).arg(pid));
    return number;
}

void MainWindow::onEvent(const QVariantList &args)
{
    const QString what = args.value(0).toString();
    const int job = args.value(1).toInt();
    if (what == QLatin1String(DemoWorkers::startedEvent)) {
        const qint64 pid = args.value(2).toLongLong();
        m_board->markStarted(job, workerNumber(pid), pid);
    } else if (what == QLatin1String(DemoWorkers::stoppedEvent)) {
        const qint64 done = args.value(2).toLongLong();
        const qint64 total = args.value(3).toLongLong();
        const qint64 pid = args.value(4).toLongLong();
        const int worker = workerNumber(pid);
        m_board->markStopped(job, worker, pid, done, total);
        log(tr("Worker %1 (pid %2) stopped job %3 after %4 of %5 numbers, as it was cancelled.")
                .arg(worker)
                .arg(pid)
                .arg(job)
                .arg(QLocale().toString(done), QLocale().toString(total)));
    }
}

void MainWindow::onProgress(int job, int value, int maximum)
{
    // A stuck job makes no progress.
    const auto call = m_calls.constFind(job);
    if (call == m_calls.constEnd() || call->stuck || maximum <= 0)
        return;
    m_board->markProgress(job, value, maximum);
}

void MainWindow::onFinished(int job)
{
    const auto found = m_calls.constFind(job);
    if (found == m_calls.constEnd())
        return; // cancelled
    const Call call = *found;
    m_calls.erase(found);
    call.watcher->disconnect(this);
    call.watcher->deleteLater();

    // Finished: reading it no longer waits. A failed call's future holds a QForkRpcError, which
    // waitForFinished() (and result()) throw.
    QFuture<QVariantList> future = call.future;
    if (future.resultCount() > 0) {
        m_board->markDone(job, future.result().value(1).toLongLong());
        return;
    }
    QForkRpcError::Kind kind = QForkRpcError::Kind::NotRun;
    QString message;
    try {
        future.waitForFinished();
        // Cancelled without an error: only deleting the pool does that, and the window deletes it
        // only once it said destroyed().
        message = tr("cancelled by the library");
    } catch (const QForkRpcError &error) {
        kind = error.kind();
        message = error.message();
    } catch (const std::exception &error) {
        kind = QForkRpcError::Kind::Protocol;
        message = QString::fromUtf8(error.what());
    }
    // Logged first: the board's change may log that every job has ended.
    log(tr("Job %1 failed (%2).").arg(job).arg(JobBoard::kindName(kind)));
    m_board->markFailed(job, kind, message);
}

void MainWindow::onError(const QString &message)
{
    // The demo's functions never throw and carry plain numbers, so an error here comes with the
    // end of a worker (it crashed, or ran past the time limit and was killed): the pool fails the
    // calls it ran through their futures, gives those it had not started to another worker and
    // starts a fresh one.
    ++m_workerErrors;
    log(tr("The pool reported: %1").arg(message));
}

void MainWindow::onDestroyed()
{
    m_leftAtDestroyed = m_pool->workerCount() + m_pool->pendingCalls();
    log(tr("All workers are gone (destroyed()). Jobs done: %1, failed: %2, cancelled: %3.")
            .arg(m_board->count(JobBoard::State::Done))
            .arg(m_board->count(JobBoard::State::Failed))
            .arg(m_board->count(JobBoard::State::Cancelled)));
    // Every call has been handled: no watcher is left but those the event loop has not reached.
    m_pool->deleteLater();
    m_pool = nullptr;
    m_refresh->stop();
    updateSummary();
    updateEnabled();
}

int MainWindow::poolWorkers() const
{
    return m_pool ? m_pool->workerCount() : 0;
}

void MainWindow::addStuckJob()
{
    if (!m_pool || m_finishing)
        return;
    const JobSpec job { m_nextJob++, 0, 0, true };
    m_board->addJob(job);
    m_saidAllSettled = false;
    log(tr("Added job %1, which never answers, at the end of the pool's queue: once a worker has "
           "started it, the time limit of %2 s ends it.")
            .arg(job.id)
            .arg(m_timeLimit->value()));
    submit(job);
}

void MainWindow::cancelJob(int job)
{
    const auto found = m_calls.constFind(job);
    if (found == m_calls.constEnd())
        return;
    const Call call = *found;
    m_calls.erase(found);
    // Cancelled at once (isCanceled()), without error(); the pool tells the worker. Whatever the
    // call still reports is dropped, so the watcher can go now.
    call.watcher->disconnect(this);
    call.watcher->deleteLater();
    QFuture<QVariantList> future = call.future;
    future.cancel();
    m_board->markCancelled(job);
    const JobBoard::Job *entry = nullptr;
    for (const JobBoard::Job &candidate : m_board->jobs()) {
        if (candidate.spec.id == job)
            entry = &candidate;
    }
    if (entry && !entry->started)
        log(tr("Cancelled job %1 before it started: it never runs.").arg(job));
    else if (call.stuck)
        log(tr("Cancelled job %1: it never asks isCancelled(), so the pool kills its worker a "
               "second later (cancelKillAfterMs) and starts a fresh one.")
                .arg(job));
    else
        log(tr("Cancelled job %1: its future is cancelled, its worker is told.").arg(job));
}

void MainWindow::crashWorker()
{
    if (!m_pool)
        return;
    // The running job with the least progress, on a worker not told to crash yet.
    const JobBoard::Job *target = nullptr;
    double least = std::numeric_limits<double>::max();
    for (const JobBoard::Job &job : m_board->jobs()) {
        if (job.state != JobBoard::State::Running || job.spec.stuck || job.pid <= 0
            || m_crashing.contains(job.pid) || job.total <= 0)
            continue;
        const double fraction = double(job.done) / double(job.total);
        if (fraction < least) {
            least = fraction;
            target = &job;
        }
    }
    if (!target) {
        log(tr("No worker is in the middle of a job right now."));
        return;
    }
    const qint64 pid = target->pid;
    m_crashing.insert(pid);
    m_lastCrashedPid = pid;
    ::kill(pid_t(pid), DemoWorkers::crashSignal);
    log(tr("Told worker %1 (pid %2) to crash in the middle of job %3.")
            .arg(target->worker)
            .arg(pid)
            .arg(target->spec.id));
}

void MainWindow::finish()
{
    if (!m_pool || m_finishing)
        return;
    m_finishing = true;
    log(tr("Finish: the pool takes no new jobs; the workers do the queued ones, then exit."));
    m_pool->finish();
    updateEnabled();
}

void MainWindow::updateSummary()
{
    using State = JobBoard::State;
    const int waiting = m_board->count(State::Waiting);
    const int running = m_board->count(State::Running);
    m_summary->setText(
        tr("Workers: %1    Waiting: %2    Running: %3    Done: %4    Failed: %5    Cancelled: %6")
            .arg(poolWorkers())
            .arg(waiting)
            .arg(running)
            .arg(m_board->count(State::Done))
            .arg(m_board->count(State::Failed))
            .arg(m_board->count(State::Cancelled)));
    if (m_pool && !m_finishing && !m_saidAllSettled && waiting == 0 && running == 0
        && !m_board->jobs().isEmpty()) {
        m_saidAllSettled = true;
        log(tr("Every job is done, failed or cancelled. Press Finish to let the workers exit."));
    }
}

void MainWindow::updateEnabled()
{
    const bool running = m_pool != nullptr;
    m_start->setEnabled(!running);
    m_stuck->setEnabled(running && !m_finishing);
    m_crash->setEnabled(running);
    m_finish->setEnabled(running && !m_finishing);
    for (QWidget *setting : { static_cast<QWidget *>(m_backend), static_cast<QWidget *>(m_workers),
             static_cast<QWidget *>(m_jobs), static_cast<QWidget *>(m_size),
             static_cast<QWidget *>(m_timeLimit) })
        setting->setEnabled(!running);
}

QString MainWindow::logText() const
{
    return m_log->toPlainText();
}

void MainWindow::log(const QString &line)
{
    m_log->appendPlainText(
        QTime::currentTime().toString(QStringLiteral("HH:mm:ss")) + QLatin1String("  ") + line);
}
