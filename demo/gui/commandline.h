// SPDX-License-Identifier: MIT
// The demo's command line:
//   --locale NAME      speak this language (de, fr, en, ...) instead of the system's
//   --selftest         run a scripted session and exit with 0 when everything worked
//   --screenshot FILE  run a scripted session to an interesting moment, save the window, exit
#pragma once

#include <QtCore/QLocale>
#include <QtCore/QString>

class QCoreApplication;

struct CommandLine
{
    QLocale locale;
    bool selftest = false;
    QString screenshot;

    // Reads only --locale, before any translation is installed (so before parse()).
    static QLocale localeOf(const QCoreApplication &app);
    // Reads everything, with help texts in the installed language; exits on --help and errors.
    static CommandLine parse(const QCoreApplication &app);
};
