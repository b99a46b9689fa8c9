// SPDX-License-Identifier: MIT
// QTEST_MAIN, but with QForkRpc::initialize() first, as every program using QForkRpc must.
#pragma once

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtTest/QTest>

#define QFORKRPC_TEST_MAIN(TestClass)                                                              \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        QForkRpc::initialize(argc, argv);                                                          \
        QCoreApplication app(argc, argv);                                                          \
        TestClass test;                                                                            \
        return QTest::qExec(&test, argc, argv);                                                    \
    }

// The same, for a test that also runs parts of itself in a child process (runInChildProcess() in
// testsupport.h): when the first argument is `childFlag`, `childMain(argc, argv)` runs instead of
// the tests, after initialize() and with the application.
#define QFORKRPC_TEST_MAIN_WITH_CHILD(TestClass, childFlag, childMain)                             \
    int main(int argc, char **argv)                                                                \
    {                                                                                              \
        QForkRpc::initialize(argc, argv);                                                          \
        QCoreApplication app(argc, argv);                                                          \
        if (argc > 1 && qstrcmp(argv[1], childFlag) == 0)                                          \
            return childMain(argc, argv);                                                          \
        TestClass test;                                                                            \
        return QTest::qExec(&test, argc, argv);                                                    \
    }
