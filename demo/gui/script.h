// SPDX-License-Identifier: MIT
// A scripted session: a list of steps, each of which waits for a condition and then acts. The
// steps are polled from the event loop, so the window and its workers run exactly as they do for
// a user while the script presses buttons and checks what the window shows. The script fails at
// the first failed check, or when it is not done by its deadline.
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QTimer>

#include <functional>

class Script : public QObject
{
    Q_OBJECT

public:
    explicit Script(QObject *parent = nullptr);

    // Waits until `ready` returns true, then runs `action`.
    void waitFor(
        const QString &what, std::function<bool()> ready, std::function<void()> action = {});
    // Runs `action` as soon as the step before it is done.
    void then(const QString &what, std::function<void()> action);

    // For use inside actions: records a failure (the first one counts) and ends the script.
    bool check(bool condition, const QString &failure);

    // Runs the steps in the event loop; finished() follows.
    void start(int deadlineMs);

Q_SIGNALS:
    void finished(bool passed, const QString &failure);

private:
    struct Step
    {
        QString what;
        std::function<bool()> ready;
        std::function<void()> action;
    };

    void poll();
    void end(bool passed, const QString &failure);

    QList<Step> m_steps;
    qsizetype m_next = 0;
    bool m_announced = false;
    bool m_ended = false;
    QString m_failure;
    QTimer m_poll;
    QTimer m_deadline;
};

// Prints a line of the session's report on stdout at once.
void report(const QString &line);
