// SPDX-License-Identifier: MIT
// The demo programs (demo/examples) against the output that AnyEvent::Fork::RPC's documentation
// shows for its Examples 1, 1a and 2. Each program runs as a separate process with stdout and
// stderr merged, so the complete output is compared line by line, in the order it was written.
#include "examplerunner.h"
#include "sampleicons.h"
#include "testmain.h"
#include "thumbnailer.h" // demo/examples: the sizes the thumbnails must have

#include <QtCore/QDirIterator>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImageReader>

#include <algorithm>

namespace {

#if defined(QFORKRPC_EXAMPLE_RMDIR_WORKER) && defined(QFORKRPC_EXAMPLE_COUNTDOWN)                  \
    && defined(QFORKRPC_EXAMPLE_THUMBNAILS)
const QString rmdirWorkerProgram = QStringLiteral(QFORKRPC_EXAMPLE_RMDIR_WORKER);
const QString countdownProgram = QStringLiteral(QFORKRPC_EXAMPLE_COUNTDOWN);
const QString thumbnailsProgram = QStringLiteral(QFORKRPC_EXAMPLE_THUMBNAILS);
#else
// Built without the demo (QFORKRPC_BUILD_DEMO=OFF): every test skips.
const QString rmdirWorkerProgram;
const QString countdownProgram;
const QString thumbnailsProgram;
#endif

// Example 1 of the original, as its documentation lists it; Example 1a prints the same.
const QStringList example1Output {
    QStringLiteral("/tmp/somepath/1: No such file or directory"),
    QStringLiteral("/tmp/somepath/2: No such file or directory"),
    QStringLiteral("3 requests handled"),
    QStringLiteral("/tmp/somepath/3: No such file or directory"),
    QStringLiteral("/tmp/somepath/4: No such file or directory"),
    QStringLiteral("/tmp/somepath/5: No such file or directory"),
    QStringLiteral("6 requests handled"),
    QStringLiteral("/tmp/somepath/6: No such file or directory"),
};

// Example 2 of the original. Lines from timers that fire at the same moment may come in another
// order (the original says so too); what is guaranteed is checked in countdown().
const QStringList example2Output {
    QStringLiteral("starting to count up to 3"),
    QStringLiteral("starting to count up to 2"),
    QStringLiteral("starting to count up to 1"),
    QStringLiteral("count 1 of 3"),
    QStringLiteral("count 1 of 2"),
    QStringLiteral("count 1 of 1"),
    QStringLiteral("job 1 finished"),
    QStringLiteral("count 2 of 2"),
    QStringLiteral("job 2 finished"),
    QStringLiteral("count 2 of 3"),
    QStringLiteral("count 3 of 3"),
    QStringLiteral("job 3 finished"),
};

// The job a line of Example 2 belongs to: the N of "starting to count up to N", "count K of N"
// and "job N finished"; 0 for a line that belongs to none.
int jobOf(const QString &line)
{
    static const QRegularExpression pattern(QStringLiteral(
        "^(?:starting to count up to (\\d+)|count \\d+ of (\\d+)|job (\\d+) finished)$"));
    const QRegularExpressionMatch match = pattern.match(line);
    if (!match.hasMatch())
        return 0;
    for (int group = 1; group <= 3; ++group)
        if (match.hasCaptured(group))
            return match.captured(group).toInt();
    return 0;
}

} // namespace

class tst_Examples : public QObject
{
    Q_OBJECT

private:
    static void addDispatcherRows(const char *name, const QStringList &arguments)
    {
        QTest::addRow("%s, glib", name) << arguments << false;
        QTest::addRow("%s, QT_NO_GLIB", name) << arguments << true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (rmdirWorkerProgram.isEmpty() || countdownProgram.isEmpty()
            || thumbnailsProgram.isEmpty())
            QSKIP("the demo programs are not built (QFORKRPC_BUILD_DEMO is OFF)");
        QVERIFY2(QFileInfo(rmdirWorkerProgram).isExecutable(), qPrintable(rmdirWorkerProgram));
        QVERIFY2(QFileInfo(countdownProgram).isExecutable(), qPrintable(countdownProgram));
        QVERIFY2(QFileInfo(thumbnailsProgram).isExecutable(), qPrintable(thumbnailsProgram));
    }

    // Example 1 (sync) and Example 1a (async): the original's listing, exactly.
    void rmdirWorker_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("noGlib");
        addDispatcherRows("example 1, sync", {});
        addDispatcherRows("example 1a, async", { QStringLiteral("--async") });
    }
    void rmdirWorker()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, noGlib);
        for (int id = 1; id <= 6; ++id) {
            const QString path = QStringLiteral("/tmp/somepath/%1").arg(id);
            if (QFileInfo::exists(path))
                QSKIP(qPrintable(
                    path + QStringLiteral(" exists, so the example would not fail to remove it")));
        }
        const Run run = runExample(rmdirWorkerProgram, arguments, noGlib);
        QFORKRPC_VERIFY_RUN(run, 0);
        QCOMPARE(run.lines(), example1Output);
    }

    // on_error => sub { warn "FATAL: $_[0]"; exit 1 }: the worker dies on an illegal command,
    // the first failed call ends the program with exit code 1 and nothing printed after it.
    void rmdirWorkerFatalError_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("noGlib");
        const QStringList bogus { QStringLiteral("--command"), QStringLiteral("bogus") };
        QTest::newRow("sync") << bogus << false;
        QTest::newRow("async") << (QStringList { QStringLiteral("--async") } + bogus) << false;
    }
    void rmdirWorkerFatalError()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, noGlib);
        const Run run = runExample(rmdirWorkerProgram, arguments, noGlib);
        QFORKRPC_VERIFY_RUN(run, 1);
        const QStringList lines = run.lines();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.at(0).startsWith(QStringLiteral("FATAL: ")), qPrintable(lines.at(0)));
        QVERIFY2(lines.at(0).endsWith(QStringLiteral("fatal error, illegal command 'bogus'")),
            qPrintable(lines.at(0)));
    }

    // Example 2, five times faster than the original's one-second timers.
    void countdown_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("noGlib");
        addDispatcherRows("example 2", { QStringLiteral("--interval"), QStringLiteral("200") });
    }
    void countdown()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, noGlib);
        const Run run = runExample(countdownProgram, arguments, noGlib);
        QFORKRPC_VERIFY_RUN(run, 0);
        const QStringList lines = run.lines();
        const QString output = QString::fromLocal8Bit(run.output);

        // The same lines as the original, each exactly once...
        QStringList sorted = lines;
        QStringList expectedSorted = example2Output;
        std::sort(sorted.begin(), sorted.end());
        std::sort(expectedSorted.begin(), expectedSorted.end());
        QVERIFY2(sorted == expectedSorted, qPrintable(output));

        // ...each job's own lines in the order the worker produced them (events and results keep
        // the worker's order)...
        for (int job = 1; job <= 3; ++job) {
            QStringList expectedJob;
            expectedJob << QStringLiteral("starting to count up to %1").arg(job);
            for (int k = 1; k <= job; ++k)
                expectedJob << QStringLiteral("count %1 of %2").arg(k).arg(job);
            expectedJob << QStringLiteral("job %1 finished").arg(job);
            QStringList jobLines;
            for (const QString &line : lines)
                if (jobOf(line) == job)
                    jobLines << line;
            QVERIFY2(jobLines == expectedJob,
                qPrintable(QStringLiteral("job %1 in:\n").arg(job) + output));
        }

        // ...the jobs started in the order 3, 2, 1 (the calls' order)...
        QStringList started;
        for (const QString &line : lines)
            if (line.startsWith(QStringLiteral("starting")))
                started << line;
        QCOMPARE(started, example2Output.mid(0, 3));

        // ...and the job started last finished first, as it has the lowest count.
        QStringList finishedJobs;
        for (const QString &line : lines)
            if (line.startsWith(QStringLiteral("job ")))
                finishedJobs << line;
        QCOMPARE(finishedJobs,
            (QStringList { QStringLiteral("job 1 finished"), QStringLiteral("job 2 finished"),
                QStringLiteral("job 3 finished") }));

        // The longest countdown takes three periods: the interval reached the worker's timers.
        // (Qt's coarse timers may fire up to 5% early.)
        QVERIFY2(run.elapsedMs >= 3 * 190, qPrintable(QString::number(run.elapsedMs)));
    }

    // The thumbnails example on 14 generated icons (48 to 256 px, in four folders) and, in some
    // rows, a file that is no image: every other icon gets a thumbnail of the right size at the
    // same relative path; a worker made to segfault on one icon (--crash-on) costs that icon
    // alone, as WorkerDied, whether or not the pool retries it on another worker.
    void thumbnails_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("noGlib");
        QTest::addColumn<bool>("brokenFile");
        QTest::addColumn<QString>("crashOn");
        const QString crashOn = QStringLiteral("icon-0005.png");
        const QStringList crash { QStringLiteral("--crash-on"), crashOn };
        const QStringList retry { QStringLiteral("--retries"), QStringLiteral("1") };
        const QStringList two { QStringLiteral("--workers"), QStringLiteral("2") };
        QTest::newRow("all good") << two << false << false << QString();
        QTest::newRow("crash") << two + crash << false << false << crashOn;
        QTest::newRow("crash, retries 1, broken file, QT_NO_GLIB")
            << two + crash + retry << true << true << crashOn;
        QTest::newRow("crash, one worker, load 1, broken file") << crash
                + QStringList { QStringLiteral("--workers"), QStringLiteral("1"),
                      QStringLiteral("--load"), QStringLiteral("1") }
                                                                << false << true << crashOn;
    }
    void thumbnails()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, noGlib);
        QFETCH(bool, brokenFile);
        QFETCH(QString, crashOn);
        const int maxSide = 100;
        QTemporaryDir input, output;
        QVERIFY(input.isValid() && output.isValid());
        QStringList icons = SampleIcons::writeIcons(input.path(), 14);
        QCOMPARE(icons.size(), 14);
        const QString broken = QStringLiteral("set-1/broken.png");
        if (brokenFile) {
            QFile file(input.filePath(broken));
            QVERIFY(file.open(QIODevice::WriteOnly));
            QVERIFY(file.write("not a PNG at all") > 0);
        }
        const Run run = runExample(thumbnailsProgram,
            QStringList { input.path(), QStringLiteral("--output"), output.path(),
                QStringLiteral("--size"), QString::number(maxSide) }
                + arguments,
            noGlib);
        const bool anyFailure = brokenFile || !crashOn.isEmpty();
        QFORKRPC_VERIFY_RUN(run, anyFailure ? 1 : 0);
        const QStringList lines = run.lines();
        const QString text = QString::fromLocal8Bit(run.output);

        const int files = int(icons.size()) + (brokenFile ? 1 : 0);
        const int failed = (brokenFile ? 1 : 0) + (crashOn.isEmpty() ? 0 : 1);
        QVERIFY2(lines.contains(QStringLiteral("files: %1 under %2").arg(files).arg(input.path())),
            qPrintable(text));
        QVERIFY2(lines.contains(QStringLiteral("written: %1 thumbnails of at most %2 px to %3")
                                    .arg(files - failed)
                                    .arg(maxSide)
                                    .arg(output.path())),
            qPrintable(text));
        QVERIFY2(lines.contains(QStringLiteral("failed: %1").arg(failed)), qPrintable(text));
        // The failures, one line each: which file, what kind of failure.
        QStringList failures;
        for (const QString &line : lines)
            if (line.startsWith(QStringLiteral("  ")))
                failures << line.trimmed();
        QCOMPARE(failures.size(), failed);
        if (brokenFile)
            QVERIFY2(
                failures.filter(QRegularExpression(QStringLiteral("^set-1/broken.png: Threw: ")))
                        .size()
                    == 1,
                qPrintable(text));
        if (!crashOn.isEmpty())
            QVERIFY2(
                failures.filter(QRegularExpression(QStringLiteral("/%1: WorkerDied: ")
                                                       .arg(QRegularExpression::escape(crashOn))))
                        .size()
                    == 1,
                qPrintable(text));
        QVERIFY2(
            lines.filter(QRegularExpression(QStringLiteral("^workers: \\d+ at most "))).size() == 1,
            qPrintable(text));
        QVERIFY2(
            lines.filter(QRegularExpression(QStringLiteral("^time: [0-9.]+ s, [0-9.]+ images/s$")))
                    .size()
                == 1,
            qPrintable(text));

        // The thumbnails: one for each icon but the one that crashed, at the same path, scaled
        // down to fit in maxSide (never up), nothing else.
        QStringList expected;
        for (int index = 0; index < icons.size(); ++index) {
            const QString &icon = icons.at(index);
            const QString thumbnail = output.filePath(icon);
            if (QFileInfo(icon).fileName() == crashOn) {
                QVERIFY2(!QFileInfo::exists(thumbnail), qPrintable(thumbnail));
                continue;
            }
            expected << icon;
            QImageReader reader(thumbnail);
            const int side = SampleIcons::iconSide(index);
            QCOMPARE(reader.format(), QByteArray("png"));
            QCOMPARE(reader.size(), Thumbnailer::thumbnailSize(QSize(side, side), maxSide));
            QVERIFY2(!reader.read().isNull(), qPrintable(thumbnail));
        }
        QStringList found;
        QDirIterator it(output.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            found << QDir(output.path()).relativeFilePath(it.next());
        std::sort(found.begin(), found.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(found, expected);
    }
};

QFORKRPC_TEST_MAIN(tst_Examples)
#include "tst_examples.moc"
