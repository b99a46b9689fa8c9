// SPDX-License-Identifier: MIT
// Not from the original: a thumbnailer on a QForkRpcPool. Every PNG under a directory (default
// /usr/share/icons) is read by QImageReader at its thumbnail's size and written as a PNG of at
// most --size px (default 128, freedesktop's "normal") under --output, mirroring the input's
// folders. The decoding runs in worker processes, so an image that crashes its decoder takes one
// worker with it, not the program: --crash-on NAME makes the worker segfault on the file called
// NAME, and that file fails with WorkerDied while the others go on (on a fresh worker). With
// --retries N the pool tries a file whose worker died on N more workers before it gives up.
//
//   thumbnails [DIR] [--output OUT] [--size PX] [--workers N] [--load N] [--retries N]
//              [--crash-on NAME]
//
// It ends with a summary, for instance (--crash-on edit-copy.png, two such files on Debian 12):
//
//   files: 4854 under /usr/share/icons
//   pool error: the worker for 'Thumbnails::make' (pid 31933) was killed by signal 11 ...
//   pool error: the worker for 'Thumbnails::make' (pid 31935) was killed by signal 11 ...
//   written: 4852 thumbnails of at most 128 px to /tmp/qforkrpc-thumbnails
//   failed: 2
//     Adwaita/24x24/legacy/edit-copy.png: WorkerDied: the worker for 'Thumbnails::make' ...
//     Adwaita/48x48/legacy/edit-copy.png: WorkerDied: the worker for 'Thumbnails::make' ...
//   workers: 2 at most (2 at once), load 2, retries 0
//   time: 4.83 s, 1004.8 images/s
//
// Exit code 0 when every file got its thumbnail, 1 when some failed, 2 for a bad command line.
// Symbolic links are skipped (icon themes link one file under many names).
#include <QForkRpc>

#include "thumbnailer.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDirIterator>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFuture>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaEnum>
#include <QtCore/QThread>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <stdexcept>

namespace Thumbnails {

// Worker state, set by init: the name of the file this worker crashes on (--crash-on).
QString crashOn;

void init(const QVariantList &args)
{
    crashOn = args.value(0).toString();
    Thumbnailer::keepFreedMemory(); // this process makes thumbnails and nothing else
    // libpng's complaints about the colour profiles of some icons ("iCCP: known incorrect sRGB
    // profile"): harmless, and thousands of them would bury the summary.
    QLoggingCategory::setFilterRules(QStringLiteral("qt.gui.imageio=false"));
}

// (input, output, maxSide) -> (width, height) of the thumbnail written; throws the reason.
QVariantList make(const QVariantList &args)
{
    const QString input = args.value(0).toString();
    if (!crashOn.isEmpty() && QFileInfo(input).fileName() == crashOn)
        std::raise(SIGSEGV); // what a decoder bug would do
    QSize size;
    QString error;
    if (!Thumbnailer::makeThumbnail(
            input, args.value(1).toString(), args.value(2).toInt(), &size, &error))
        throw std::runtime_error(error.toStdString());
    return { size.width(), size.height() };
}

} // namespace Thumbnails

QFORKRPC_REGISTER("Thumbnails::init", Thumbnails::init);
QFORKRPC_REGISTER("Thumbnails::make", Thumbnails::make);

namespace {

void print(const QString &line)
{
    std::puts(qPrintable(line));
    std::fflush(stdout);
}

// The PNG files under `directory`, relative to it, sorted; symbolic links skipped.
QStringList findPngs(const QString &directory)
{
    QStringList files;
    QDirIterator it(directory, { QStringLiteral("*.png") }, QDir::Files | QDir::NoSymLinks,
        QDirIterator::Subdirectories);
    const QDir root(directory);
    while (it.hasNext())
        files << root.relativeFilePath(it.next());
    std::sort(files.begin(), files.end());
    return files;
}

// A number option: false after printing why it is not one at least `least`.
bool intOption(
    const QCommandLineParser &parser, const QCommandLineOption &option, int least, int *value)
{
    bool ok = false;
    *value = parser.value(option).toInt(&ok);
    if (ok && *value >= least)
        return true;
    std::fprintf(stderr, "--%s: a whole number of at least %d, please\n",
        qPrintable(option.names().constFirst()), least);
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    // First: the template that workers are forked from is forked here, while the program is
    // small and single-threaded. QImageReader needs no QGuiApplication, so the workers and this
    // program run a QCoreApplication.
    QForkRpc::initialize(argc, argv);
    QCoreApplication app(argc, argv);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Makes thumbnails of every PNG under a directory in QForkRpcPool workers."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("directory"),
        QStringLiteral("Where the PNGs are (default /usr/share/icons)."), QStringLiteral("[dir]"));
    const QCommandLineOption outputOption(QStringLiteral("output"),
        QStringLiteral("Write the thumbnails under <dir> (default: qforkrpc-thumbnails in the "
                       "temporary directory)."),
        QStringLiteral("dir"), QDir::tempPath() + QStringLiteral("/qforkrpc-thumbnails"));
    const QCommandLineOption sizeOption(QStringLiteral("size"),
        QStringLiteral("Largest side of a thumbnail (default 128)."), QStringLiteral("px"),
        QStringLiteral("128"));
    const QCommandLineOption workersOption(QStringLiteral("workers"),
        QStringLiteral("Most worker processes (default 0: one per CPU)."), QStringLiteral("n"),
        QStringLiteral("0"));
    const QCommandLineOption loadOption(QStringLiteral("load"),
        QStringLiteral("Calls handed to a worker at a time (default 2)."), QStringLiteral("n"),
        QStringLiteral("2"));
    const QCommandLineOption retriesOption(QStringLiteral("retries"),
        QStringLiteral("Tries on other workers for a file whose worker died (default 0)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption crashOption(QStringLiteral("crash-on"),
        QStringLiteral("A worker segfaults on the file called <name>."), QStringLiteral("name"));
    parser.addOptions(
        { outputOption, sizeOption, workersOption, loadOption, retriesOption, crashOption });
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fputs("one directory, please\n", stderr);
        return 2;
    }
    const QString input
        = QDir(positional.value(0, QStringLiteral("/usr/share/icons"))).absolutePath();
    const QString output = QDir(parser.value(outputOption)).absolutePath();
    int maxSide = 0;
    QForkRpcPool::Options options;
    if (!intOption(parser, sizeOption, 1, &maxSide)
        || !intOption(parser, workersOption, 0, &options.max)
        || !intOption(parser, loadOption, 1, &options.load)
        || !intOption(parser, retriesOption, 0, &options.retries))
        return 2;
    if (!QFileInfo(input).isDir()) {
        std::fprintf(stderr, "%s is not a directory\n", qPrintable(input));
        return 2;
    }
    if (options.max == 0)
        options.max = QThread::idealThreadCount();
    options.startDelayMs = 0; // a batch job: start every worker at once, not one per 100 ms
    options.worker.init = QStringLiteral("Thumbnails::init");
    options.worker.initArgs = { parser.value(crashOption) };

    QElapsedTimer timer;
    timer.start();
    const QStringList files = findPngs(input);
    print(QStringLiteral("files: %1 under %2").arg(files.size()).arg(input));

    QForkRpcPool *pool = QForkRpcPool::run(QStringLiteral("Thumbnails::make"), options, &app);
    // A worker that dies is reported here once, with its pid and the cause; the calls it took
    // with it fail with WorkerDied (below) and the pool goes on with a fresh worker.
    QObject::connect(pool, &QForkRpcPool::error, &app,
        [](const QString &message) { print(QStringLiteral("pool error: ") + message); });

    int written = 0;
    int mostWorkers = 0;
    QStringList failures;
    qint64 elapsedMs = 0;
    bool poolGone = false;
    const auto handled = [&] {
        mostWorkers = std::max(mostWorkers, pool->workerCount());
        if (written + failures.size() == files.size())
            elapsedMs = timer.elapsed();
        if (poolGone && written + failures.size() == files.size())
            QCoreApplication::quit();
    };
    QObject::connect(pool, &QForkRpcPool::destroyed, &app, [&] {
        poolGone = true;
        handled();
    });

    for (const QString &file : files) {
        const QString source = input + QLatin1Char('/') + file;
        const QString thumbnail = output + QLatin1Char('/') + file;
        pool->call({ source, thumbnail, maxSide })
            .then(&app,
                [&](const QVariantList &) {
                    ++written;
                    handled();
                })
            .onFailed(&app,
                [&, file](const QForkRpcError &error) {
                    failures << QStringLiteral("%1: %2: %3")
                                    .arg(file,
                                        QLatin1String(
                                            QMetaEnum::fromType<QForkRpcError::Kind>().valueToKey(
                                                int(error.kind()))),
                                        error.message());
                    handled();
                })
            .onFailed(&app, [&, file] {
                failures << file + QStringLiteral(": failed"); // no QForkRpcError: not expected
                handled();
            });
    }
    // Perl's "undef $pool": the calls made still run, then the workers exit and destroyed().
    pool->finish();
    if (!files.isEmpty() || !poolGone)
        app.exec();

    print(QStringLiteral("written: %1 thumbnails of at most %2 px to %3")
              .arg(written)
              .arg(maxSide)
              .arg(output));
    print(QStringLiteral("failed: %1").arg(failures.size()));
    for (const QString &failure : std::as_const(failures))
        print(QStringLiteral("  ") + failure);
    print(QStringLiteral("workers: %1 at most (%2 at once), load %3, retries %4")
              .arg(options.max)
              .arg(mostWorkers)
              .arg(options.load)
              .arg(options.retries));
    const double seconds = double(std::max<qint64>(elapsedMs, 1)) / 1000.0;
    print(QStringLiteral("time: %1 s, %2 images/s")
              .arg(seconds, 0, 'f', 2)
              .arg(double(written) / seconds, 0, 'f', 1));
    return failures.isEmpty() ? 0 : 1;
}
