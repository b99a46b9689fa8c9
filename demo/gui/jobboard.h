// SPDX-License-Identifier: MIT
// The list of jobs: one row per job with its range, the worker that has it, a progress bar fed by
// the worker's events, and its result or failure. It also keeps each job's state as data, which
// the scripted sessions (selftest.cpp) check.
#pragma once

#include "workerpool.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtWidgets/QWidget>

class QGridLayout;
class QLabel;
class QProgressBar;

class JobBoard : public QWidget
{
    Q_OBJECT

public:
    enum class State { Waiting, Queued, Running, Done, Failed };

    struct Job
    {
        JobSpec spec;
        State state = State::Waiting;
        int slot = -1; // the worker's slot, from 0
        qint64 pid = 0;
        qint64 done = 0; // numbers examined
        qint64 total = 0;
        qint64 primes = 0; // so far, or the result
        QString error;
    };

    explicit JobBoard(QWidget *parent = nullptr);

    void setJobs(const QList<JobSpec> &jobs);
    const QList<Job> &jobs() const { return m_jobs; }
    int count(State state) const;

    void markAssigned(int job, int slot);
    void markProgress(int job, qint64 pid, qint64 done, qint64 total, qint64 primes);
    void markDone(int job, qint64 primes);
    void markFailed(int job, const QString &message);

Q_SIGNALS:
    void changed();

private:
    struct Row
    {
        QLabel *worker = nullptr;
        QProgressBar *bar = nullptr;
        QLabel *result = nullptr;
        QElapsedTimer clock; // from the job's first event
        qint64 elapsedMs = 0;
    };

    void clearRows();
    void addHeader();
    void addRow(const JobSpec &spec);
    void updateRow(int index);
    int indexOf(int job) const { return m_index.value(job, -1); }

    QGridLayout *m_grid;
    QList<Job> m_jobs;
    QList<Row> m_rows;
    QHash<int, int> m_index; // job id -> index in m_jobs and m_rows
};
