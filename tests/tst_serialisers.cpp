#include "testmain.h"
class tst_X : public QObject { Q_OBJECT private Q_SLOTS: void todo() { QSKIP("todo"); } };
QFORKRPC_TEST_MAIN(tst_X)
#include "tst_serialisers.moc"
