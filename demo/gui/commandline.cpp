// SPDX-License-Identifier: MIT
#include "commandline.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

namespace {

// The parser is built twice: once to find --locale, and once more after the translations for
// that locale are installed, so that --help speaks the same language as the window.
struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption locale { QStringLiteral("locale"),
        QCoreApplication::translate(
            "CommandLine", "Use this language (for example de or fr) instead of the system's."),
        QCoreApplication::translate("CommandLine", "name") };
    QCommandLineOption selftest { QStringLiteral("selftest"),
        QCoreApplication::translate("CommandLine",
            "Run a scripted session (jobs, a crash, cancelling, a time limit, finish), check the "
            "results and exit with 0 if all is well.") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QCoreApplication::translate("CommandLine",
            "Run a scripted session up to a moment worth showing, save the window to this file and "
            "exit."),
        QCoreApplication::translate("CommandLine", "file") };

    Parser()
    {
        parser.setApplicationDescription(QCoreApplication::translate(
            "CommandLine", "QForkRpc demo: counting primes in worker processes."));
        parser.addHelpOption();
        parser.addOptions({ locale, selftest, screenshot });
    }
};

} // namespace

QLocale CommandLine::localeOf(const QCoreApplication &app)
{
    Parser p;
    p.parser.parse(app.arguments()); // errors are reported by parse() later
    return p.parser.isSet(p.locale) ? QLocale(p.parser.value(p.locale)) : QLocale::system();
}

CommandLine CommandLine::parse(const QCoreApplication &app)
{
    Parser p;
    p.parser.process(app);
    CommandLine result;
    result.locale
        = p.parser.isSet(p.locale) ? QLocale(p.parser.value(p.locale)) : QLocale::system();
    result.selftest = p.parser.isSet(p.selftest);
    result.screenshot = p.parser.value(p.screenshot);
    return result;
}
