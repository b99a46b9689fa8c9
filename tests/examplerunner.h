// SPDX-License-Identifier: MIT
// Runs a demo program (demo/examples) as a process of its own and collects what it printed, for
// the tests that compare an example's output (tst_examples, tst_coroutineexample).
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QStringList>
#include <QtTest/QTest>

struct Run
{
    bool finished = false;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    int exitCode = -1;
    QByteArray output;
    qint64 elapsedMs = 0;

    // The output as lines; every line must end in "\n", the last one included.
    QStringList lines() const
    {
        QStringList result = QString::fromLocal8Bit(output).split(QLatin1Char('\n'));
        if (result.last().isEmpty())
            result.removeLast();
        return result;
    }
};

// Runs an example with stdout and stderr merged into one channel, so that the lines keep the
// order in which the program wrote them (the examples flush stdout after every line, and stderr
// is unbuffered). noGlib picks Qt's event dispatcher: QT_NO_GLIB=1 makes Qt use its own instead
// of the GLib one, in the program, the template and the workers alike.
inline Run runExample(const QString &program, const QStringList &arguments, bool noGlib)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (noGlib)
        environment.insert(QStringLiteral("QT_NO_GLIB"), QStringLiteral("1"));
    else
        environment.remove(QStringLiteral("QT_NO_GLIB"));
    // An example that crashes a worker on purpose (thumbnails --crash-on) crashes it as a plain
    // program would: under AddressSanitizer its SIGSEGV handler would print a report into the
    // output the test reads.
    const QString asan = environment.value(QStringLiteral("ASAN_OPTIONS"));
    environment.insert(QStringLiteral("ASAN_OPTIONS"),
        asan + (asan.isEmpty() ? QString() : QStringLiteral(":"))
            + QStringLiteral("handle_segv=0"));

    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(program, arguments);
    Run run;
    run.finished = process.waitForFinished(60000);
    run.elapsedMs = timer.elapsed();
    if (!run.finished) {
        process.kill();
        process.waitForFinished();
    }
    run.exitStatus = process.exitStatus();
    run.exitCode = process.exitCode();
    run.output = process.readAll();
    return run;
}

// Fails the test unless the run ended by itself, normally, with expectedExitCode, and its output
// (if any) ends in a newline.
#define QFORKRPC_VERIFY_RUN(run, expectedExitCode)                                                 \
    do {                                                                                           \
        QVERIFY2((run).finished, (run).output.constData());                                        \
        QCOMPARE((run).exitStatus, QProcess::NormalExit);                                          \
        QVERIFY2((run).exitCode == (expectedExitCode),                                             \
            qPrintable(QStringLiteral("exit code %1, output:\n").arg((run).exitCode)               \
                + QString::fromLocal8Bit((run).output)));                                          \
        QVERIFY2((run).output.isEmpty() || (run).output.endsWith('\n'), (run).output.constData()); \
    } while (false)
