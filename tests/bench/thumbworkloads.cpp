// SPDX-License-Identifier: MIT
// W6: the thumbnails example's job (demo/examples/thumbnailer.h: read a PNG at its thumbnail's
// size, write the thumbnail as a PNG) over the same generated icons, through a QForkRpcPool and
// through QtConcurrent::mapped on in-process threads, with 1 and QThread::idealThreadCount()
// workers/threads. Every repetition measures each count's threads and then its pool, which stay
// up for the whole phase, as W1 and W2 interleave theirs.
#include "report.h"
#include "sampleicons.h" // tests/: the generated icons
#include "thumbnailer.h" // demo/examples: the work of one thumbnail
#include "workloads.h"

#include <QForkRpc>

#include <QtConcurrent/QtConcurrentMap>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QThreadPool>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

namespace Bench {

namespace {

// (input, output, maxSide) -> (width, height), as the example's Thumbnails::make without its
// crash switch.
QVariantList benchThumbnail(const QVariantList &args)
{
    QSize size;
    QString error;
    if (!Thumbnailer::makeThumbnail(args.value(0).toString(), args.value(1).toString(),
            args.value(2).toInt(), &size, &error))
        throw std::runtime_error(error.toStdString());
    return { size.width(), size.height() };
}
QFORKRPC_REGISTER("bench.thumbnail", benchThumbnail);
// The workers' init, as the example's: they make thumbnails and nothing else, so they keep freed
// memory for the next image. The parent, where the QtConcurrent threads run, keeps glibc's
// defaults, as a Qt program would (it cannot tune its allocator for one job).
QFORKRPC_REGISTER(
    "bench.thumbnailInit", [](const QVariantList &) { Thumbnailer::keepFreedMemory(); });

struct Job
{
    QString input;
    QString output;
    QSize expected; // the thumbnail's size
};

// One worker count's two subjects, the pool and the threads, with their own output folders.
struct Subject
{
    int count;
    std::unique_ptr<QForkRpcPool> pool;
    std::unique_ptr<QThreadPool> threads;
    QList<Job> poolJobs;
    QList<Job> threadJobs;
    QList<double> poolSamples;
    QList<double> threadSamples;
};

QList<Job> jobsFor(
    const QString &inputDir, const QString &outputDir, const QStringList &icons, int maxSide)
{
    QList<Job> jobs;
    for (int index = 0; index < icons.size(); ++index) {
        const int side = SampleIcons::iconSide(index);
        jobs.append({ inputDir + QLatin1Char('/') + icons.at(index),
            outputDir + QLatin1Char('/') + icons.at(index),
            Thumbnailer::thumbnailSize(QSize(side, side), maxSide) });
    }
    return jobs;
}

// The first `n` jobs through the threads; images per second.
bool measureThreads(Subject &subject, qsizetype n, const Params &params, const QString &what,
    double *imagesPerSecond)
{
    const int maxSide = params.w6MaxSide;
    const Clock::time_point start = Clock::now();
    QFuture<QString> future = QtConcurrent::mapped(subject.threads.get(),
        subject.threadJobs.cbegin(), subject.threadJobs.cbegin() + n, [maxSide](const Job &job) {
            QSize size;
            QString error;
            if (!Thumbnailer::makeThumbnail(job.input, job.output, maxSide, &size, &error))
                return QStringLiteral("%1: %2").arg(job.input, error);
            if (size != job.expected)
                return QStringLiteral("%1: thumbnail of %2x%3")
                    .arg(job.input)
                    .arg(size.width())
                    .arg(size.height());
            return QString();
        });
    future.waitForFinished();
    const Clock::time_point end = Clock::now();
    for (const QString &error : future.results()) {
        if (!error.isEmpty()) {
            fail(what + QStringLiteral(": ") + error);
            return false;
        }
    }
    *imagesPerSecond = double(n) / (microsecondsBetween(start, end) / 1e6);
    return true;
}

// The first `n` jobs through the pool, all queued at once; images per second until the last
// callback ran.
bool measurePool(Subject &subject, qsizetype n, const Params &params, const QString &what,
    double *imagesPerSecond)
{
    struct State
    {
        Waiter waiter;
        qsizetype expected;
        qsizetype received = 0;
    } state { {}, n };
    const Clock::time_point start = Clock::now();
    for (qsizetype i = 0; i < n; ++i) {
        const Job &job = subject.poolJobs.at(i);
        subject.pool->call({ job.input, job.output, params.w6MaxSide },
            [s = &state, &job, what](const QVariantList &results) {
                if (QSize(results.value(0).toInt(), results.value(1).toInt()) != job.expected) {
                    fail(QStringLiteral("%1: %2: wrong result").arg(what, job.input));
                    return;
                }
                if (++s->received == s->expected)
                    s->waiter.finish();
            });
    }
    const bool ok = state.waiter.wait(params.timeoutMs, what);
    const Clock::time_point end = Clock::now();
    if (!ok) {
        subject.pool.reset(); // drops the callbacks that point at `state`
        return false;
    }
    *imagesPerSecond = double(n) / (microsecondsBetween(start, end) / 1e6);
    return true;
}

} // namespace

void runThumbnailWorkloads(const Params &params)
{
    QTemporaryDir work;
    if (!work.isValid())
        return fail(QStringLiteral("W6: no temporary directory: %1").arg(work.errorString()));
    const QString inputDir = work.filePath(QStringLiteral("icons"));
    const Clock::time_point generating = Clock::now();
    const QStringList icons = SampleIcons::writeIcons(inputDir, params.w6Images);
    if (icons.size() != params.w6Images)
        return fail(QStringLiteral("W6: cannot write the icons to %1").arg(inputDir));
    std::printf("W6 %d icons of 48..256 px generated in %.1f s\n", params.w6Images,
        microsecondsBetween(generating, Clock::now()) / 1e6);
    std::fflush(stdout);

    QList<int> counts { 1 };
    if (QThread::idealThreadCount() > 1)
        counts << QThread::idealThreadCount();
    std::vector<Subject> subjects;
    for (const int count : counts) {
        Subject subject { count, {}, std::make_unique<QThreadPool>(), {}, {}, {}, {} };
        subject.threads->setMaxThreadCount(count);
        subject.threads->setExpiryTimeout(-1); // warm threads, as the pool's workers stay up
        QForkRpcPool::Options options;
        options.max = count;
        options.idle = count; // all started at once and kept
        options.load = params.w6Load;
        options.startDelayMs = 0;
        options.worker.spawn = QForkRpc::Spawn::Template;
        options.worker.init = QStringLiteral("bench.thumbnailInit");
        subject.pool.reset(QForkRpcPool::run(QStringLiteral("bench.thumbnail"), options));
        const QString name = QStringLiteral("W6 pool of %1").arg(count);
        QObject::connect(subject.pool.get(), &QForkRpcPool::error, subject.pool.get(),
            [name](const QString &message) { fail(name + QStringLiteral(": ") + message); });
        subject.poolJobs = jobsFor(
            inputDir, work.filePath(QStringLiteral("pool-%1").arg(count)), icons, params.w6MaxSide);
        subject.threadJobs = jobsFor(inputDir,
            work.filePath(QStringLiteral("threads-%1").arg(count)), icons, params.w6MaxSide);
        subjects.push_back(std::move(subject));
    }

    double value = 0;
    // Warm-up: a tenth of the icons each, so that workers and threads exist, Qt's image plugins
    // are looked up and the output folders are made; then the repetitions over all of them.
    for (int rep = -1; rep < params.w6Reps; ++rep) {
        const qsizetype n = rep < 0 ? std::max<qsizetype>(icons.size() / 10, 1) : icons.size();
        for (Subject &subject : subjects) {
            const QString what = QStringLiteral("W6 thumbnails, %1 thread(s)").arg(subject.count);
            if (measureThreads(subject, n, params, what, &value) && rep >= 0)
                subject.threadSamples << value;
            if (subject.pool
                && measurePool(subject, n, params,
                    QStringLiteral("W6 thumbnails, pool of %1").arg(subject.count), &value)
                && rep >= 0)
                subject.poolSamples << value;
        }
    }
    for (const Subject &subject : subjects) {
        const QString title = QStringLiteral("thumbnails, %1 worker%2")
                                  .arg(subject.count)
                                  .arg(subject.count == 1 ? QString() : QStringLiteral("s"));
        addRow(QStringLiteral("W6"), title, qtConcurrentName, QStringLiteral("images/s"), true,
            subject.threadSamples);
        addRow(QStringLiteral("W6"), title, poolName, QStringLiteral("images/s"), true,
            subject.poolSamples);
    }
}

} // namespace Bench
