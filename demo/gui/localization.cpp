// SPDX-License-Identifier: MIT
#include "localization.h"

#include <QForkRpc>

#include <QtCore/QCoreApplication>
#include <QtCore/QLibraryInfo>
#include <QtCore/QTranslator>

namespace {

bool install(const QLocale &locale, const QString &name, const QString &directory)
{
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, name, QStringLiteral("_"), directory))
        return QCoreApplication::installTranslator(translator);
    delete translator;
    return false;
}

} // namespace

void installTranslations(const QLocale &locale)
{
    QLocale::setDefault(locale);

    // The demo's own texts: embedded .qm files (demo/gui/CMakeLists.txt); English needs none.
    install(
        locale, QStringLiteral("qforkrpc-demo"), QStringLiteral(":/qforkrpc-demo/translations"));

    // The library's error messages, such as the one a crashed worker produces.
    QForkRpc::installTranslator(locale);

    // Qt's own texts (--help, the text field menus), where the system has them (on Debian, in
    // qt6-translations-l10n).
    install(locale, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
}
