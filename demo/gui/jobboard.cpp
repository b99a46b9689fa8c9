// SPDX-License-Identifier: MIT
#include "jobboard.h"

#include <QtCore/QLocale>
#include <QtCore/QMetaEnum>
#include <QtGui/QPalette>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLayoutItem>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>

#include <algorithm>

namespace {

enum Column { IdColumn, RangeColumn, WorkerColumn, ProgressColumn, ResultColumn, CancelColumn };

const QColor doneColor(0x2e, 0x8b, 0x57);
const QColor failedColor(0xc0, 0x39, 0x2b);
const QColor cancelledColor(0x80, 0x80, 0x80);

void paintBar(QProgressBar *bar, const QColor &color)
{
    QPalette palette = bar->palette();
    palette.setColor(QPalette::Highlight, color);
    bar->setPalette(palette);
}

QString coloured(const QColor &color, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
        .arg(color.name(), text.toHtmlEscaped());
}

} // namespace

JobBoard::JobBoard(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout(this))
{
    // The result column says more than it did (cancelled after how many numbers, why a job
    // failed): it gets as much room as the progress bars.
    m_grid->setColumnStretch(ProgressColumn, 1);
    m_grid->setColumnStretch(ResultColumn, 1);
    m_grid->setHorizontalSpacing(12);
    m_grid->setVerticalSpacing(4);
    addHeader();
}

QString JobBoard::kindName(QForkRpcError::Kind kind)
{
    return QString::fromLatin1(QMetaEnum::fromType<QForkRpcError::Kind>().valueToKey(int(kind)));
}

void JobBoard::clearRows()
{
    // Everything below the header row goes; the header's labels are the first items, one a column.
    while (m_grid->count() > CancelColumn + 1) {
        QLayoutItem *item = m_grid->takeAt(m_grid->count() - 1);
        delete item->widget();
        delete item;
    }
    m_grid->setRowStretch(int(m_jobs.size()) + 1, 0);
    m_jobs.clear();
    m_rows.clear();
    m_index.clear();
}

void JobBoard::addHeader()
{
    const QString titles[]
        = { tr("Job"), tr("Numbers"), tr("Worker"), tr("Progress"), tr("Result"), QString() };
    for (int column = IdColumn; column <= CancelColumn; ++column) {
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
    Q_EMIT changed();
}

void JobBoard::addJob(const JobSpec &job)
{
    addRow(job);
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
    const QString range = spec.stuck
        ? tr("none: this job never answers")
        : tr("%1 to %2").arg(locale.toString(spec.from), locale.toString(spec.to - 1));
    m_grid->addWidget(new QLabel(range, this), gridRow, RangeColumn);
    Row row;
    row.worker = new QLabel(this);
    row.bar = new QProgressBar(this);
    row.bar->setRange(0, 1000);
    row.bar->setMinimumWidth(180);
    row.result = new QLabel(this);
    row.result->setWordWrap(true);
    row.cancel = new QPushButton(tr("Cancel"), this);
    row.cancel->setToolTip(tr("Cancels the job's call (QFuture::cancel()): a job that has not "
                              "started never runs, a running one stops at its next step."));
    const int id = spec.id;
    connect(
        row.cancel, &QAbstractButton::clicked, this, [this, id] { Q_EMIT cancelRequested(id); });
    m_grid->addWidget(row.worker, gridRow, WorkerColumn);
    m_grid->addWidget(row.bar, gridRow, ProgressColumn);
    m_grid->addWidget(row.result, gridRow, ResultColumn);
    m_grid->addWidget(row.cancel, gridRow, CancelColumn);
    m_rows.append(row);
    // The empty row below the last one takes the spare height.
    m_grid->setRowStretch(gridRow, 0);
    m_grid->setRowStretch(gridRow + 1, 1);
    updateRow(index);
}

int JobBoard::count(State state) const
{
    return int(std::count_if(
        m_jobs.cbegin(), m_jobs.cend(), [state](const Job &job) { return job.state == state; }));
}

QAbstractButton *JobBoard::cancelButton(int job) const
{
    const int index = indexOf(job);
    return index < 0 ? nullptr : m_rows.at(index).cancel;
}

QString JobBoard::resultText(int job) const
{
    const int index = indexOf(job);
    return index < 0 ? QString() : m_rows.at(index).result->text();
}

void JobBoard::markRunning(int index)
{
    Job &entry = m_jobs[index];
    if (entry.state != State::Running)
        m_rows[index].clock.start();
    entry.state = State::Running;
}

void JobBoard::markStarted(int job, int worker, qint64 pid)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    // Recorded even for a job cancelled a moment ago: the worker had begun it after all.
    m_jobs[index].started = true;
    m_jobs[index].worker = worker;
    m_jobs[index].pid = pid;
    if (!hasEnded(m_jobs.at(index).state))
        markRunning(index);
    updateRow(index);
}

void JobBoard::markProgress(int job, qint64 done, qint64 total)
{
    const int index = indexOf(job);
    if (index < 0 || hasEnded(m_jobs.at(index).state))
        return;
    markRunning(index);
    Job &entry = m_jobs[index];
    entry.done = done;
    entry.total = total;
    ++entry.progressUpdates;
    updateRow(index);
}

void JobBoard::markDone(int job, qint64 primes)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    Job &entry = m_jobs[index];
    entry.state = State::Done;
    entry.primes = primes;
    Row &row = m_rows[index];
    row.elapsedMs = row.clock.isValid() ? row.clock.elapsed() : 0;
    updateRow(index);
}

void JobBoard::markCancelled(int job)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    m_jobs[index].state = State::Cancelled;
    updateRow(index);
}

void JobBoard::markStopped(int job, int worker, qint64 pid, qint64 done, qint64 total)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    Job &entry = m_jobs[index];
    entry.worker = worker;
    entry.pid = pid;
    entry.stoppedAt = done;
    entry.total = total;
    updateRow(index);
}

void JobBoard::markFailed(int job, QForkRpcError::Kind kind, const QString &message)
{
    const int index = indexOf(job);
    if (index < 0)
        return;
    m_jobs[index].state = State::Failed;
    m_jobs[index].kind = kind;
    m_jobs[index].error = message;
    updateRow(index);
}

void JobBoard::updateRow(int index)
{
    const Job &job = m_jobs.at(index);
    Row &row = m_rows[index];
    const QLocale locale;

    if (job.worker <= 0)
        row.worker->setText(tr("none yet"));
    else
        row.worker->setText(tr("worker %1, pid %2").arg(job.worker).arg(job.pid));

    row.bar->setValue(job.total > 0 ? int(job.done * 1000 / job.total) : 0);
    row.result->setToolTip(QString());
    row.cancel->setEnabled(!hasEnded(job.state));
    switch (job.state) {
    case State::Waiting:
        row.bar->setFormat(tr("waiting"));
        row.result->clear();
        break;
    case State::Running:
        row.bar->setFormat(tr("%p%"));
        row.result->setText(
            job.spec.stuck ? tr("waiting for an answer that never comes") : tr("counting"));
        break;
    case State::Done:
        row.bar->setValue(row.bar->maximum());
        row.bar->setFormat(tr("done"));
        paintBar(row.bar, doneColor);
        row.result->setText(
            tr("%1 primes in %2 s")
                .arg(locale.toString(job.primes), locale.toString(row.elapsedMs / 1000.0, 'f', 1)));
        break;
    case State::Cancelled: {
        row.bar->setFormat(job.started ? tr("cancelled at %p%") : tr("cancelled"));
        paintBar(row.bar, cancelledColor);
        QString text;
        if (!job.started)
            text = tr("cancelled before it started: it never runs");
        else if (job.spec.stuck)
            text = tr("cancelled: it never stops by itself, so the pool kills its worker");
        else if (job.stoppedAt < 0)
            text = tr("cancelled: the worker stops at its next step");
        else
            text = tr("cancelled: the worker stopped after %1 of %2 numbers")
                       .arg(locale.toString(job.stoppedAt), locale.toString(job.total));
        row.result->setText(coloured(cancelledColor, text));
        break;
    }
    case State::Failed: {
        row.bar->setFormat(
            job.kind == QForkRpcError::Kind::TimedOut ? tr("timed out") : tr("failed at %p%"));
        paintBar(row.bar, failedColor);
        QString reason;
        switch (job.kind) {
        case QForkRpcError::Kind::WorkerDied:
            reason = tr("its worker died");
            break;
        case QForkRpcError::Kind::TimedOut:
            reason = tr("no answer within the time limit, its worker was killed");
            break;
        default:
            reason = job.error;
            break;
        }
        row.result->setText(
            coloured(failedColor, tr("failed (%1): %2").arg(kindName(job.kind), reason)));
        row.result->setToolTip(job.error);
        break;
    }
    }
    Q_EMIT changed();
}
