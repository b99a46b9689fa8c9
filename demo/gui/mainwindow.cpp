// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "jobboard.h"
#include "spinner.h"
#include "workerpool.h"

#include <QtCore/QLocale>
#include <QtCore/QTime>
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

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_spinner(new Spinner)
    , m_pauseLabel(new QLabel)
    , m_board(new JobBoard)
    , m_log(new QPlainTextEdit)
    , m_summary(new QLabel)
{
    setWindowTitle(tr("QForkRpc demo: counting primes in worker processes"));

    auto *intro
        = new QLabel(tr("Each job counts the primes in a range of numbers by trial division, "
                        "in a worker process of its own. The wheel keeps turning because the "
                        "window never waits for a worker, and a worker that crashes takes "
                        "only its own job with it. The progress bars show what the workers "
                        "report through the jobs' futures; Cancel stops a job, and the time "
                        "limit ends a job that never answers."));
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
    m_stuck->setToolTip(tr("Adds a job whose worker never answers, for the next free worker: the "
                           "time limit ends it."));
    m_crash = new QPushButton(tr("Crash a worker"));
    m_crash->setToolTip(
        tr("The busy worker with the least progress segfaults in the middle of its job."));
    m_finish = new QPushButton(tr("Finish"));
    m_finish->setToolTip(
        tr("The queued jobs go to the workers, which exit once they have done them."));
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

    m_pool
        = new WorkerPool(settings.async, settings.workers, settings.timeLimitSeconds * 1000, this);
    m_finishing = false;
    m_saidAllSettled = false;
    m_lastCrashedSlot = -1;
    m_destroyedWorkers = 0;
    m_workerErrors = 0;
    m_replacedWorkers = 0;
    m_nextJob = settings.jobs + 1;
    connectPool();
    m_board->setJobs(jobs);
    m_log->clear();
    m_spinner->resetPauses();
    log(tr("Started. Backend: %1, workers: %2, jobs: %3, time limit per job: %4 s.")
            .arg(settings.async ? tr("async") : tr("sync"))
            .arg(settings.workers)
            .arg(settings.jobs)
            .arg(settings.timeLimitSeconds));
    m_pool->start(jobs);
    updateEnabled();
}

void MainWindow::connectPool()
{
    connect(m_pool, &WorkerPool::jobAssigned, m_board, &JobBoard::markAssigned);
    connect(m_pool, &WorkerPool::jobStarted, m_board, &JobBoard::markStarted);
    connect(m_pool, &WorkerPool::jobProgress, m_board, &JobBoard::markProgress);
    connect(m_pool, &WorkerPool::jobDone, m_board, &JobBoard::markDone);
    connect(m_pool, &WorkerPool::jobFailed, this,
        [this](int job, QForkRpcError::Kind kind, const QString &message) {
            m_board->markFailed(job, kind, message);
            log(tr("Job %1 failed (%2).").arg(job).arg(JobBoard::kindName(kind)));
        });
    connect(m_pool, &WorkerPool::jobCancelled, this,
        [this](int job, bool handedOut, bool workerFinishing) {
            m_board->markCancelled(job, handedOut, workerFinishing);
            if (!handedOut)
                log(tr("Cancelled job %1 before it reached a worker.").arg(job));
            else if (workerFinishing)
                log(tr("Cancelled job %1: its future is cancelled; after Finish its worker runs it "
                       "to its end, and the result is dropped.")
                        .arg(job));
            else
                log(tr("Cancelled job %1: its future is cancelled, its worker is told.").arg(job));
        });
    connect(m_pool, &WorkerPool::jobRequeued, this, [this](int job, const QString &message) {
        m_board->markRequeued(job, message);
        log(tr("Job %1 never ran (%2): it goes back to the queue, for another worker.")
                .arg(job)
                .arg(JobBoard::kindName(QForkRpcError::Kind::NotRun)));
    });
    connect(m_pool, &WorkerPool::jobStopped, this,
        [this](int job, qint64 pid, qint64 done, qint64 total) {
            m_board->markStopped(job, pid, done, total);
            log(tr("The worker with pid %1 stopped job %2 after %3 of %4 numbers, as it was "
                   "cancelled.")
                    .arg(pid)
                    .arg(job)
                    .arg(QLocale().toString(done), QLocale().toString(total)));
        });
    connect(m_board, &JobBoard::cancelRequested, this, &MainWindow::cancelJob);
    connect(m_pool, &WorkerPool::crashRequested, this, [this](int slot, qint64 pid) {
        log(tr("Told worker %1 (pid %2) to crash in the middle of its job.")
                .arg(slot + 1)
                .arg(pid));
    });
    connect(m_pool, &WorkerPool::workerError, this,
        [this](int slot, qint64 pid, const QString &message) {
            ++m_workerErrors;
            log(tr("Worker %1 (pid %2) reported: %3").arg(slot + 1).arg(pid).arg(message));
        });
    connect(m_pool, &WorkerPool::workerReplaced, this, [this](int slot) {
        ++m_replacedWorkers;
        log(tr("Started a fresh process for worker %1; the remaining jobs carry on.")
                .arg(slot + 1));
    });
    connect(m_pool, &WorkerPool::workerDestroyed, this, [this](int slot) {
        ++m_destroyedWorkers;
        log(tr("Worker %1 has handled all its calls and is gone (destroyed()).").arg(slot + 1));
    });
    connect(m_pool, &WorkerPool::allDestroyed, this, &MainWindow::onAllDestroyed);
}

void MainWindow::addStuckJob()
{
    if (!m_pool || m_finishing)
        return;
    const JobSpec job { m_nextJob++, 0, 0, true };
    m_board->addJob(job);
    m_saidAllSettled = false;
    log(tr("Added job %1, which never answers, for the next free worker: the time limit of %2 s "
           "ends it.")
            .arg(job.id)
            .arg(m_timeLimit->value()));
    // At the head of the queue, so that it does not wait for every other job first.
    m_pool->addJob(job, true);
}

void MainWindow::cancelJob(int job)
{
    if (m_pool)
        m_pool->cancelJob(job);
}

void MainWindow::crashWorker()
{
    if (!m_pool)
        return;
    const int slot = m_pool->crashWorker();
    if (slot < 0) {
        log(tr("No worker is in the middle of a job right now."));
        return;
    }
    m_lastCrashedSlot = slot;
}

void MainWindow::finish()
{
    if (!m_pool || m_finishing)
        return;
    m_finishing = true;
    log(tr("Finish: the queued jobs go to the workers, which exit once they have done them."));
    m_pool->finish();
    updateEnabled();
}

void MainWindow::onAllDestroyed()
{
    log(tr("All workers are gone. Jobs done: %1, failed: %2, cancelled: %3.")
            .arg(m_board->count(JobBoard::State::Done))
            .arg(m_board->count(JobBoard::State::Failed))
            .arg(m_board->count(JobBoard::State::Cancelled)));
    m_pool->deleteLater();
    m_pool = nullptr;
    updateEnabled();
}

void MainWindow::updateSummary()
{
    using State = JobBoard::State;
    const int waiting = m_board->count(State::Waiting) + m_board->count(State::Queued);
    const int running = m_board->count(State::Running);
    m_summary->setText(tr("Waiting: %1    Running: %2    Done: %3    Failed: %4    Cancelled: %5")
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
