// SPDX-License-Identifier: MIT
// Error messages follow the application's translator, including errors found in the worker.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QTranslator>

class tst_Translations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errorsAreTranslated_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("missingFunction");
        QTest::addColumn<QString>("crash");
        QTest::newRow("German") << QStringLiteral("de_DE")
                                << QStringLiteral("es gibt keine registrierte Funktion „nope“")
                                << QStringLiteral("wurde durch Signal 9");
        QTest::newRow("French") << QStringLiteral("fr_FR")
                                << QStringLiteral("aucune fonction « nope » n’est enregistrée")
                                << QStringLiteral("a été tué par le signal 9");
    }
    void errorsAreTranslated()
    {
        QFETCH(QString, locale);
        QFETCH(QString, missingFunction);
        QFETCH(QString, crash);
        QVERIFY(QForkRpc::installTranslator(QLocale(locale)));

        // Found in the worker, translated in the parent.
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("nope"), this);
        Recorder recorder(rpc);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 10000);
        QCOMPARE(recorder.errors.first(), missingFunction);

        QForkRpc *dying = QForkRpc::run(QStringLiteral("die"), this);
        Recorder dyingRecorder(dying);
        dying->call({ QStringLiteral("kill") }, {});
        QTRY_COMPARE_WITH_TIMEOUT(dyingRecorder.errors.size(), 1, 10000);
        QVERIFY2(
            dyingRecorder.errors.first().contains(crash), qPrintable(dyingRecorder.errors.first()));
        delete rpc;
        delete dying;
        const auto translators = QCoreApplication::instance()->findChildren<QTranslator *>();
        for (QTranslator *translator : translators) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }

    void unknownLocaleKeepsEnglish()
    {
        QVERIFY(!QForkRpc::installTranslator(QLocale(QStringLiteral("sw_KE"))));
        QForkRpc *rpc = QForkRpc::run(QStringLiteral("nope"), this);
        Recorder recorder(rpc);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.errors.size(), 1, 10000);
        QCOMPARE(recorder.errors.first(), QStringLiteral("there is no registered function 'nope'"));
        delete rpc;
    }
};

QFORKRPC_TEST_MAIN(tst_Translations)
#include "tst_translations.moc"
