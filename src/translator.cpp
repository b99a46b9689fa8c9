// SPDX-License-Identifier: MIT
#include <qforkrpc/qforkrpc.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTranslator>

bool QForkRpc::installTranslator(const QLocale &locale)
{
    auto *app = QCoreApplication::instance();
    if (!app)
        return false;
    auto *translator = new QTranslator(app);
    if (!translator->load(locale, QStringLiteral("qforkrpc"), QStringLiteral("_"),
            QStringLiteral(":/qforkrpc/translations"))) {
        delete translator;
        return false;
    }
    return QCoreApplication::installTranslator(translator);
}
