// SPDX-License-Identifier: MIT
#include "localization.h"

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QTranslator>

void installTranslations(const QLocale &locale)
{
    QLocale::setDefault(locale);

    // The .qm files are embedded (demo/gui/CMakeLists.txt); English needs none.
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, QStringLiteral("qforkrpc-demo"), QStringLiteral("_"),
            QStringLiteral(":/qforkrpc-demo/translations")))
        QCoreApplication::installTranslator(translator);
    else
        delete translator;

    // The library's error messages, such as the one a crashed worker produces.
    QForkRpc::installTranslator(locale);
}
