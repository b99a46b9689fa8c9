// SPDX-License-Identifier: MIT
// qforkrpc-demo: a window that counts primes in a QForkRpcPool of worker processes, with progress
// bars fed by the jobs' futures (the workers' setProgress()), a Cancel button per job, a time
// limit that ends a stuck job, a button that crashes a worker in the middle of its job, and
// Finish. The worker functions are in workers.cpp; see README.md ("The GUI demo").
#include "commandline.h"
#include "localization.h"
#include "mainwindow.h"
#include "selftest.h"

#include <QForkRpc>

#include <QtWidgets/QApplication>
#include <QtWidgets/QStyleFactory>

int main(int argc, char **argv)
{
    // First: forks the template process the workers are forked from, while this program still
    // has one thread and no QApplication.
    QForkRpc::initialize(argc, argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("qforkrpc-demo"));
    // The same look everywhere (desktop, Xvfb, offscreen), and colours the job board relies on.
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion")))
        QApplication::setStyle(fusion);

    installTranslations(CommandLine::localeOf(app));
    const CommandLine commandLine = CommandLine::parse(app);

    MainWindow window;
    window.show();
    if (commandLine.selftest)
        return runSelfTest(window);
    if (!commandLine.screenshot.isEmpty())
        return runScreenshot(window, commandLine.screenshot);
    return app.exec();
}
