// SPDX-License-Identifier: MIT
#include "stderrrelay_p.h"

#include "wire/writeall_p.h"

#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace QForkRpcDetail {

StderrRelay::StderrRelay(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
{
    fcntl(m_fd, F_SETFL, fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StderrRelay::drain);
}

StderrRelay::~StderrRelay()
{
    close();
}

QStringList StderrRelay::lastLines() const
{
    QStringList lines;
    for (const QByteArray &line : m_lastLines)
        lines << QString::fromLocal8Bit(line);
    if (!m_partial.isEmpty())
        lines << QString::fromLocal8Bit(m_partial.left(keptLineLength));
    while (lines.size() > keptLines)
        lines.removeFirst();
    return lines;
}

void StderrRelay::drain()
{
    char buffer[4096];
    while (m_fd >= 0) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            // The end: a last line without its newline is passed on too.
            if (!m_partial.isEmpty())
                takeLine(std::exchange(m_partial, QByteArray()) + '\n');
            close();
            return;
        }
        m_partial.append(buffer, n);
        qsizetype newline;
        while ((newline = m_partial.indexOf('\n')) >= 0) {
            takeLine(m_partial.left(newline + 1));
            m_partial.remove(0, newline + 1);
        }
        if (m_partial.size() > 65536) // no newline in sight: pass it on as it is
            takeLine(std::exchange(m_partial, QByteArray()) + '\n');
    }
}

void StderrRelay::takeLine(const QByteArray &line)
{
    // Our stderr may be gone: then there is no one to pass it on to.
    writeAll(STDERR_FILENO, line.constData(), line.size());
    const QByteArray kept = line.trimmed().left(keptLineLength);
    if (kept.isEmpty())
        return;
    m_lastLines.push_back(kept);
    if (m_lastLines.size() > size_t(keptLines))
        m_lastLines.pop_front();
}

void StderrRelay::close()
{
    if (m_fd < 0)
        return;
    delete m_notifier;
    m_notifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
}

} // namespace QForkRpcDetail
