// SPDX-License-Identifier: MIT
// The coroutine example (demo/examples/coroutine.cpp, built only with QCoro): the calls it awaits
// with co_await give their results in the order it awaits them, and the call whose worker
// function throws surfaces in the coroutine as a QForkRpcError of kind Threw, carrying the
// message that error() reported for it, once.
#include "examplerunner.h"
#include "testmain.h"

#include <QtCore/QFileInfo>

namespace {
// Defined by tests/CMakeLists.txt, which builds this test only when the example is built.
const QString coroutineProgram = QStringLiteral(QFORKRPC_EXAMPLE_COROUTINE);
} // namespace

class tst_CoroutineExample : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(coroutineProgram).isExecutable(), qPrintable(coroutineProgram));
    }

    void coroutine_data()
    {
        QTest::addColumn<bool>("noGlib");
        QTest::newRow("glib") << false;
        QTest::newRow("QT_NO_GLIB") << true;
    }
    void coroutine()
    {
        QFETCH(bool, noGlib);
        const Run run = runExample(coroutineProgram, {}, noGlib);
        // Exit code 1 and "FATAL: ..." when an exception other than QForkRpcError, or any
        // exception from a call that should succeed, escaped the coroutine.
        QFORKRPC_VERIFY_RUN(run, 0);
        const QString output = QString::fromLocal8Bit(run.output);

        // The failed call reaches error() exactly once. When, among the coroutine's lines, is not
        // fixed: error() is emitted as the failure arrives, the coroutine resumes from the event
        // loop.
        const QString errorPrefix = QStringLiteral("error(): ");
        QStringList errorLines;
        QStringList coroutineLines;
        for (const QString &line : run.lines())
            (line.startsWith(errorPrefix) ? errorLines : coroutineLines) << line;
        QVERIFY2(errorLines.size() == 1, qPrintable(output));
        const QString message = errorLines.at(0).mid(errorPrefix.size());
        // The text of the exception the worker function threw travelled with it.
        QVERIFY2(message.endsWith(QStringLiteral("division by zero")), qPrintable(output));

        // Every awaited result, in order; the failure caught as `const QForkRpcError &` with
        // kind() Threw and message() the text error() reported; and the worker still answered
        // after its function threw.
        const QStringList expected {
            QStringLiteral("17 / 5 = 3 remainder 2"),
            QStringLiteral("100 / 7 = 14 remainder 2"),
            QStringLiteral("81 / 9 = 9 remainder 0"),
            QStringLiteral("1 / 0 failed: Threw: ") + message,
            QStringLiteral("8 / 3 = 2 remainder 2"),
        };
        QVERIFY2(coroutineLines == expected, qPrintable(output));
    }
};

QFORKRPC_TEST_MAIN(tst_CoroutineExample)
#include "tst_coroutineexample.moc"
