// SPDX-License-Identifier: MIT
// The demo's window: the settings (backend, workers, jobs, time limit), Start / Add a stuck job /
// Crash a worker / Finish, the spinning wheel, the job board (with a Cancel button per job) and a
// log of what the workers reported. Start makes a QForkRpcPool and one call per job; each call's
// QFuture, watched by a QFutureWatcher, feeds the job's row, and the pool's event() and error()
// feed the board and the log.
#pragma once

#include "jobboard.h"

#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtWidgets/QMainWindow>

class QComboBox;
class QForkRpcPool;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class Spinner;
template <typename T> class QFutureWatcher;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    struct Settings
    {
        bool async = false;
        int workers = 3;
        int jobs = 12;
        int millionsPerJob = 4; // job n counts the primes in [(n - 1) * size, n * size)
        int timeLimitSeconds = 60; // QForkRpc::Options::callTimeoutMs of every worker
    };

    // The pool's Options::load: how many jobs a worker is given at once; the sync backend runs
    // them one after the other (the second waits in the worker), the async one side by side.
    static constexpr int jobsPerWorker = 2;
    static int runningPerWorker(bool async) { return async ? jobsPerWorker : 1; }

    explicit MainWindow(QWidget *parent = nullptr);

    void setSettings(const Settings &settings);
    Settings settings() const;

    // What the scripted sessions (selftest.cpp) press and check.
    QPushButton *startButton() const { return m_start; }
    QPushButton *stuckButton() const { return m_stuck; }
    QPushButton *crashButton() const { return m_crash; }
    QPushButton *finishButton() const { return m_finish; }
    const JobBoard *board() const { return m_board; }
    const Spinner *spinner() const { return m_spinner; }
    QString logText() const;
    qint64 lastCrashedPid() const { return m_lastCrashedPid; }
    int workerErrors() const { return m_workerErrors; } // error()s the pool reported
    int workersSeen() const { return int(m_workerNumbers.size()); } // pids that began a job
    int poolWorkers() const; // QForkRpcPool::workerCount(), 0 without a pool
    // QForkRpcPool::workerCount() + pendingCalls() when the pool said destroyed().
    int leftAtDestroyed() const { return m_leftAtDestroyed; }
    bool isRunning() const { return m_pool != nullptr; }

private:
    QWidget *createSettings();
    QWidget *createButtons();
    void start();
    void addStuckJob();
    void crashWorker();
    void cancelJob(int job);
    void finish();
    void submit(const JobSpec &job);
    void onEvent(const QVariantList &args);
    void onProgress(int job, int value, int maximum);
    void onFinished(int job);
    void onError(const QString &message);
    void onDestroyed();
    int workerNumber(qint64 pid);
    void showLongestPause(qint64 ms);
    void updateSummary();
    void updateEnabled();
    void log(const QString &line);

    QComboBox *m_backend;
    QSpinBox *m_workers;
    QSpinBox *m_jobs;
    QSpinBox *m_size;
    QSpinBox *m_timeLimit;
    QPushButton *m_start;
    QPushButton *m_stuck;
    QPushButton *m_crash;
    QPushButton *m_finish;
    Spinner *m_spinner;
    QLabel *m_pauseLabel;
    JobBoard *m_board;
    QPlainTextEdit *m_log;
    QLabel *m_summary;

    QTimer *m_refresh; // the worker count in the status bar, while a pool runs

    // A job's call, from call() until its future has finished or the job was cancelled.
    struct Call
    {
        QFuture<QVariantList> future;
        QFutureWatcher<QVariantList> *watcher = nullptr;
        bool stuck = false;
    };

    QForkRpcPool *m_pool = nullptr;
    QHash<int, Call> m_calls; // job id -> its call
    QHash<qint64, int>
        m_workerNumbers; // pid -> the worker's number, from 1, in order of its first job
    QSet<qint64> m_crashing; // pids told to crash
    bool m_finishing = false;
    bool m_saidAllSettled = false;
    qint64 m_lastCrashedPid = -1;
    int m_workerErrors = 0;
    int m_leftAtDestroyed = -1;
    int m_nextJob = 1;
};
