// SPDX-License-Identifier: MIT
// The demo's window: the settings (backend, workers, jobs, time limit), Start / Add a stuck job /
// Crash a worker / Finish, the spinning wheel, the job board (with a Cancel button per job) and a
// log of what the workers reported. It wires the buttons to a WorkerPool and the pool's signals to
// the board and the log.
#pragma once

#include <QtWidgets/QMainWindow>

class JobBoard;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class Spinner;
class WorkerPool;

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
    int lastCrashedSlot() const { return m_lastCrashedSlot; }
    int destroyedWorkers() const { return m_destroyedWorkers; }
    int workerErrors() const { return m_workerErrors; } // error()s the workers reported
    int replacedWorkers() const { return m_replacedWorkers; }
    bool isRunning() const { return m_pool != nullptr; }

private:
    QWidget *createSettings();
    QWidget *createButtons();
    void start();
    void addStuckJob();
    void crashWorker();
    void cancelJob(int job);
    void finish();
    void connectPool();
    void onAllDestroyed();
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

    WorkerPool *m_pool = nullptr;
    bool m_finishing = false;
    bool m_saidAllSettled = false;
    int m_lastCrashedSlot = -1;
    int m_destroyedWorkers = 0;
    int m_workerErrors = 0;
    int m_replacedWorkers = 0;
    int m_nextJob = 1;
};
