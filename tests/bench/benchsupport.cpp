// SPDX-License-Identifier: MIT
#include "benchsupport.h"

#include <QtCore/QFile>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace Bench {

QStringList failures;
int failureCount = 0;
Waiter *currentWaiter = nullptr;

void fail(const QString &message)
{
    ++failureCount;
    if (failures.size() < 50)
        failures << message;
    if (failureCount <= 20)
        std::fprintf(stderr, "FAILURE: %s\n", qPrintable(message));
    if (currentWaiter)
        currentWaiter->abort();
}

void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QByteArrayList enoentBytes;
QStringList enoentStrings;

void rememberEnoentText()
{
    const QByteArray text(strerror(ENOENT));
    if (!enoentBytes.contains(text))
        enoentBytes << text;
    const QString string = QString::fromLocal8Bit(text);
    if (!enoentStrings.contains(string))
        enoentStrings << string;
}

bool readMemory(qint64 pid, Memory *memory)
{
    QFile file(QStringLiteral("/proc/%1/smaps_rollup").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    int seen = 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray key = line.left(colon);
        const double kb = line.mid(colon + 1).trimmed().split(' ').value(0).toDouble();
        if (key == "Rss") {
            memory->rss = kb;
            ++seen;
        } else if (key == "Pss") {
            memory->pss = kb;
        } else if (key == "Private_Clean" || key == "Private_Dirty") {
            memory->privateKb += kb;
            ++seen;
        }
    }
    return seen == 3;
}

QByteArray sweepPayload(qint64 size)
{
    QByteArray data(qsizetype(size), Qt::Uninitialized);
    char *bytes = data.data();
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(i % 251);
    return data;
}

bool sweepSamples(
    const Params &params, const std::function<bool(double *)> &echoOnce, QList<double> *samples)
{
    double microseconds = 0;
    if (!echoOnce(&microseconds))
        return false;
    const Clock::time_point start = Clock::now();
    while (samples->size() < params.sweepMinReps
        || (samples->size() < params.sweepMaxReps
            && microsecondsBetween(start, Clock::now()) < params.sweepBudgetMs * 1000.0)
        || samples->size() % 2 == 0) {
        if (!echoOnce(&microseconds))
            return false;
        *samples << microseconds;
    }
    return true;
}

} // namespace Bench
