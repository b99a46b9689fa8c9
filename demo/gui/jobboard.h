// SPDX-License-Identifier: MIT
// The list of jobs: one row per job with its range, the worker that runs it (known from the
// worker's "started" event, which carries its pid), a progress bar fed by the job's QFuture (the
// worker's setProgress()), its result, its cancelling or its failure (with the QForkRpcError's
// kind), and a Cancel button while it has not ended. It also keeps each job's state as data,
// which the scripted sessions (selftest.cpp) check.
#pragma once

#include <QForkRpc>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtWidgets/QWidget>

class QAbstractButton;
class QGridLayout;
class QLabel;
class QProgressBar;

struct JobSpec
{
    int id = 0;
    qint64 from = 0; // the range [from, to)
    qint64 to = 0;
    bool stuck = false; // never answers: only the time limit (or a Cancel) ends it
};

class JobBoard : public QWidget
{
    Q_OBJECT

public:
    // Waiting: in the pool's queue or in a worker's, which the pool does not tell apart.
    enum class State { Waiting, Running, Done, Failed, Cancelled };

    struct Job
    {
        JobSpec spec;
        State state = State::Waiting;
        int worker = 0; // the worker's number, from 1 in the order the workers were seen; 0: none
        qint64 pid = 0; // its process id
        qint64 done = 0; // numbers examined, as the job's future reports
        qint64 total = 0;
        int progressUpdates = 0; // progress reports that reached the board
        qint64 primes = 0; // the result
        bool started = false; // the worker said it began the job (even after it was cancelled)
        qint64 stoppedAt = -1; // cancelled, the worker stopped after this many numbers
        QForkRpcError::Kind kind = QForkRpcError::Kind::Threw; // when Failed
        QString error;
    };

    explicit JobBoard(QWidget *parent = nullptr);

    void setJobs(const QList<JobSpec> &jobs);
    void addJob(const JobSpec &job);
    const QList<Job> &jobs() const { return m_jobs; }
    int count(State state) const;
    static bool hasEnded(State state)
    {
        return state == State::Done || state == State::Failed || state == State::Cancelled;
    }

    // What the scripted sessions press and read.
    QAbstractButton *cancelButton(int job) const;
    QString resultText(int job) const;

    void markStarted(int job, int worker, qint64 pid);
    void markProgress(int job, qint64 done, qint64 total);
    void markDone(int job, qint64 primes);
    void markCancelled(int job);
    void markStopped(int job, int worker, qint64 pid, qint64 done, qint64 total);
    void markFailed(int job, QForkRpcError::Kind kind, const QString &message);

    static QString kindName(QForkRpcError::Kind kind);

Q_SIGNALS:
    void changed();
    void cancelRequested(int job);

private:
    struct Row
    {
        QLabel *worker = nullptr;
        QProgressBar *bar = nullptr;
        QLabel *result = nullptr;
        QAbstractButton *cancel = nullptr;
        QElapsedTimer clock; // from the job's start
        qint64 elapsedMs = 0;
    };

    void clearRows();
    void addHeader();
    void addRow(const JobSpec &spec);
    void markRunning(int index);
    void updateRow(int index);
    int indexOf(int job) const { return m_index.value(job, -1); }

    QGridLayout *m_grid;
    QList<Job> m_jobs;
    QList<Row> m_rows;
    QHash<int, int> m_index; // job id -> index in m_jobs and m_rows
};
