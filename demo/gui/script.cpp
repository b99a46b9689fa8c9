// SPDX-License-Identifier: MIT
#include "script.h"

#include <cstdio>

void report(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

Script::Script(QObject *parent)
    : QObject(parent)
{
    m_poll.setInterval(20);
    connect(&m_poll, &QTimer::timeout, this, &Script::poll);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        const QString what = m_next < m_steps.size() ? m_steps.at(m_next).what : QString();
        end(false, QStringLiteral("timed out waiting for: ") + what);
    });
}

void Script::waitFor(const QString &what, std::function<bool()> ready, std::function<void()> action)
{
    m_steps.append(Step { what, std::move(ready), std::move(action) });
}

void Script::then(const QString &what, std::function<void()> action)
{
    waitFor(
        what, [] { return true; }, std::move(action));
}

bool Script::check(bool condition, const QString &failure)
{
    if (!condition && m_failure.isEmpty())
        m_failure = failure;
    return condition;
}

void Script::start(int deadlineMs)
{
    m_deadline.start(deadlineMs);
    m_poll.start();
}

void Script::poll()
{
    while (!m_ended && m_next < m_steps.size()) {
        const Step &step = m_steps.at(m_next);
        if (!m_announced) {
            report(QStringLiteral("  ") + step.what);
            m_announced = true;
        }
        if (!step.ready())
            return;
        if (step.action)
            step.action();
        if (!m_failure.isEmpty())
            return end(false, m_failure);
        ++m_next;
        m_announced = false;
    }
    end(true, QString());
}

void Script::end(bool passed, const QString &failure)
{
    if (m_ended)
        return;
    m_ended = true;
    m_poll.stop();
    m_deadline.stop();
    Q_EMIT finished(passed, failure);
}
