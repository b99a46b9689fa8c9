// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <deque>

class QSocketNotifier;

namespace QForkRpcDetail {

// A Command worker's stderr: passed on to ours line by line as it comes, with its last lines kept
// for the error that reports a failed command (ssh cannot connect, the program is missing).
class StderrRelay : public QObject
{
    Q_OBJECT
public:
    // Owns `fd`, the read end of the command's stderr.
    StderrRelay(int fd, QObject *parent);
    ~StderrRelay() override;

    // Reads what is there without waiting and passes it on (the notifier calls this too); at
    // the end of the stream the descriptor is closed, and the last lines stay.
    void drain();
    // For waiting without the event loop: the descriptor to poll, -1 once it has ended.
    int fdToWaitFor() const { return m_fd; }
    // The last lines it wrote (at most keptLines), oldest first.
    QStringList lastLines() const;

    static constexpr int keptLines = 5;
    static constexpr int keptLineLength = 300; // a line's kept part, in bytes

private:
    void takeLine(const QByteArray &line);
    void close();

    int m_fd;
    QSocketNotifier *m_notifier = nullptr;
    QByteArray m_partial; // the line being written
    std::deque<QByteArray> m_lastLines;
};

} // namespace QForkRpcDetail
