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
