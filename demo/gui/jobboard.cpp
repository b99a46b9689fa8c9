// SPDX-License-Identifier: MIT
#include "jobboard.h"

#include <QtCore/QLocale>
#include <QtGui/QPalette>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLayoutItem>
#include <QtWidgets/QProgressBar>

#include <algorithm>

namespace {

enum Column { IdColumn, RangeColumn, WorkerColumn, ProgressColumn, ResultColumn };

const QColor doneColor(0x2e, 0x8b, 0x57);
const QColor failedColor(0xc0, 0x39, 0x2b);

void paintBar(QProgressBar *bar, const QColor &color)
{
    QPalette palette = bar->palette();
    palette.setColor(QPalette::Highlight, color);
    bar->setPalette(palette);
}

} // namespace

JobBoard::JobBoard(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout(this))
{
    m_grid->setColumnStretch(ProgressColumn, 2);
    m_grid->setColumnStretch(ResultColumn, 1);
    m_grid->setHorizontalSpacing(12);
    m_grid->setVerticalSpacing(4);
    addHeader();
}

void JobBoard::clearRows()
{
    // Everything below the header row goes; the header's labels are the first five items.
    while (m_grid->count() > ResultColumn + 1) {
        QLayoutItem *item = m_grid->takeAt(m_grid->count() - 1);
        delete item->widget();
        delete item;
    }
    m_jobs.clear();
    m_rows.clear();
    m_index.clear();
}

void JobBoard::addHeader()
{
    const QString titles[]
        = { tr("Job"), tr("Numbers"), tr("Worker"), tr("Progress"), tr("Result") };
    for (int column = IdColumn; column <= ResultColumn; ++column) {
        auto *label
            = new QLabel(QStringLiteral("<b>%1</b>").arg(titles[column].toHtmlEscaped()), this);
        m_grid->addWidget(label, 0, column);
    }
}

void JobBoard::setJobs(const QList<JobSpec> &jobs)
{
    clearRows();
    for (const JobSpec &spec : jobs)
        addRow(spec);
    m_grid->setRowStretch(int(jobs.size()) + 1, 1);
    Q_EMIT changed();
}

void JobBoard::addRow(const JobSpec &spec)
{
    const int index = int(m_jobs.size());
    const int gridRow = index + 1;
    Job job;
    job.spec = spec;
    job.total = spec.to - spec.from;
    m_jobs.append(job);
    m_index.insert(spec.id, index);

    const QLocale locale;
    m_grid->addWidget(new QLabel(locale.toString(spec.id), this), gridRow, IdColumn);
    m_grid->addWidget(
        new QLabel(
            tr("%1 to %2").arg(locale.toString(spec.from), locale.toString(spec.to - 1)), this),
        gridRow, RangeColumn);
    Row row;
    row.worker = new QLabel(this);
    row.bar = new QProgressBar(this);
    row.bar->setRange(0, 1000);
    row.bar->setMinimumWidth(180);
    row.result = new QLabel(this);
    m_grid->addWidget(row.worker, gridRow, WorkerColumn);
    m_grid->addWidget(row.bar, gridRow, ProgressColumn);
    m_grid->addWidget(row.result, gridRow, ResultColumn);
    m_rows.append(row);
    updateRow(index);
}

int JobBoard::count(State state) const
{
    return int(std::count_if(
        m_jobs.cbegin(), m_jobs.cend(), [state](const Job &job) { return job.state == state; }));
}

void JobBoard::markAssigned(int job, int slot)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    m_jobs[index].state = State::Queued;
    m_jobs[index].slot = slot;
    updateRow(index);
}

void JobBoard::markProgress(int job, qint64 pid, qint64 done, qint64 total, qint64 primes)
{
    const int index = indexOf(job);
    if (index < 0 || m_jobs.at(index).state == State::Done
        || m_jobs.at(index).state == State::Failed)
        return;
    Job &entry = m_jobs[index];
    if (entry.state != State::Running)
        m_rows[index].clock.start();
    entry.state = State::Running;
    entry.pid = pid;
    entry.done = done;
    entry.total = total;
    entry.primes = primes;
    updateRow(index);
}

void JobBoard::markDone(int job, qint64 primes)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    Job &entry = m_jobs[index];
    entry.state = State::Done;
    entry.done = entry.total;
    entry.primes = primes;
    Row &row = m_rows[index];
    row.elapsedMs = row.clock.isValid() ? row.clock.elapsed() : 0;
    updateRow(index);
}

void JobBoard::markFailed(int job, const QString &message)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    m_jobs[index].state = State::Failed;
    m_jobs[index].error = message;
    updateRow(index);
}

void JobBoard::updateRow(int index)
{
    const Job &job = m_jobs.at(index);
    Row &row = m_rows[index];
    const QLocale locale;

    if (job.slot < 0)
        row.worker->setText(tr("none yet"));
    else if (job.pid > 0)
        row.worker->setText(tr("worker %1, pid %2").arg(job.slot + 1).arg(job.pid));
    else
        row.worker->setText(tr("worker %1").arg(job.slot + 1));

    row.bar->setValue(job.total > 0 ? int(job.done * 1000 / job.total) : 0);
    row.result->setToolTip(QString());
    switch (job.state) {
    case State::Waiting:
        row.bar->setFormat(tr("waiting"));
        row.result->clear();
        break;
    case State::Queued:
        row.bar->setFormat(tr("queued in the worker"));
        row.result->clear();
        break;
    case State::Running:
        row.bar->setFormat(tr("%p%"));
        row.result->setText(tr("%1 primes so far").arg(locale.toString(job.primes)));
        break;
    case State::Done:
        row.bar->setFormat(tr("done"));
        paintBar(row.bar, doneColor);
        row.result->setText(
            tr("%1 primes in %2 s")
                .arg(locale.toString(job.primes), locale.toString(row.elapsedMs / 1000.0, 'f', 1)));
        break;
    case State::Failed:
        row.bar->setFormat(tr("failed at %p%"));
        paintBar(row.bar, failedColor);
        row.result->setText(
            QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                .arg(failedColor.name(), tr("failed: its worker died").toHtmlEscaped()));
        row.result->setToolTip(job.error);
        break;
    }
    Q_EMIT changed();
}
