// SPDX-License-Identifier: MIT
// QForkRpcFd: open descriptors in arguments, results, events and initArgs, of every kind, both
// ways, nested; the serialisers that refuse them; no leaks over many calls and many crashes; a
// worker that lies about descriptors or shared memory. And large payloads through shared memory.
// Real processes, real descriptors: the worker is this program, forked.
#include "testmain.h"
#include "testsupport.h"

#include <QtCore/QDataStream>
#include <QtCore/QTemporaryDir>

#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using Kind = QForkRpcError::Kind;

namespace {

QVariant fdValue(const QForkRpcFd &fd)
{
    return QVariant::fromValue(fd);
}

QForkRpcFd adopt(int fd)
{
    const QForkRpcFd value = QForkRpcFd::fromFd(fd);
    ::close(fd);
    return value;
}

// "device:inode" of the open file: the same on both sides for the same file.
QString identity(int fd)
{
    struct stat status = {};
    if (fstat(fd, &status) < 0)
        return QStringLiteral("closed");
    return QStringLiteral("%1:%2").arg(status.st_dev).arg(status.st_ino);
}

QByteArray readAll(int fd)
{
    QByteArray bytes;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
        bytes.append(buffer, n);
    return bytes;
}

QByteArray readAt(int fd, qsizetype size)
{
    QByteArray bytes(size, '\0');
    const ssize_t n = pread(fd, bytes.data(), size_t(size), 0);
    bytes.resize(n < 0 ? 0 : n);
    return bytes;
}

// A descriptor of `kind` whose other end (or content) says `text`: pipe and socket are read to
// their end, memfd and file from the start.
QForkRpcFd makeDescriptor(const QString &kind, const QByteArray &text, const QString &directory)
{
    if (kind == QLatin1String("pipe")) {
        int ends[2];
        if (pipe2(ends, O_CLOEXEC) < 0)
            return {};
        (void)!::write(ends[1], text.constData(), size_t(text.size()));
        ::close(ends[1]);
        return adopt(ends[0]);
    }
    if (kind == QLatin1String("socket")) {
        int ends[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0)
            return {};
        (void)!::write(ends[1], text.constData(), size_t(text.size()));
        ::close(ends[1]);
        return adopt(ends[0]);
    }
    if (kind == QLatin1String("memfd")) {
        const int fd = memfd_create("test", MFD_CLOEXEC);
        (void)!::write(fd, text.constData(), size_t(text.size()));
        return adopt(fd);
    }
    const QByteArray path = QFile::encodeName(directory + QStringLiteral("/file-") + kind);
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    (void)!::write(fd, text.constData(), size_t(text.size()));
    return adopt(fd);
}

// What a descriptor holds: a pipe or socket read to its end, a memfd or file from the start.
QByteArray contentOf(const QForkRpcFd &fd)
{
    struct stat status = {};
    fstat(fd.fd(), &status);
    if (S_ISREG(status.st_mode))
        return readAt(fd.fd(), qsizetype(status.st_size));
    return readAll(fd.fd());
}

// Every QForkRpcFd below `value`, depth first.
void collect(const QVariant &value, QList<QForkRpcFd> *out)
{
    if (value.metaType() == QMetaType::fromType<QForkRpcFd>())
        out->append(value.value<QForkRpcFd>());
    else if (value.metaType().id() == QMetaType::QVariantList)
        for (const QVariant &inner : value.toList())
            collect(inner, out);
    else if (value.metaType().id() == QMetaType::QVariantMap)
        for (const QVariant &inner : value.toMap())
            collect(inner, out);
}

QList<QForkRpcFd> descriptorsIn(const QVariantList &values)
{
    QList<QForkRpcFd> found;
    collect(QVariant(values), &found);
    return found;
}

// Worker functions (they run in the forked worker).

// What each descriptor in the arguments is: its identity and its content, in order.
QVariantList describeDescriptors(const QVariantList &args)
{
    QVariantList out;
    for (const QForkRpcFd &fd : descriptorsIn(args))
        out << identity(fd.fd()) << contentOf(fd);
    return out;
}
QFORKRPC_REGISTER("describeFds", describeDescriptors);
QFORKRPC_REGISTER("describeFdsAsync",
    [](QForkRpcDone done, const QVariantList &args) { done(describeDescriptors(args)); });

// Makes descriptors of the kinds args[0] names, saying args[1], and returns them nested as
// [ { kind: fd }, [ fd ] ], with their identities after.
QVariantList makeDescriptors(const QVariantList &args)
{
    QVariantMap byKind;
    QVariantList identities;
    const QString directory = args.value(2).toString();
    for (const QString &kind : args.value(0).toStringList()) {
        const QForkRpcFd fd = makeDescriptor(kind, args.value(1).toByteArray(), directory);
        identities << identity(fd.fd());
        byKind.insert(kind, fdValue(fd));
    }
    return { byKind, QVariant(identities) };
}
QFORKRPC_REGISTER("makeFds", makeDescriptors);
QFORKRPC_REGISTER("makeFdsAsync",
    [](QForkRpcDone done, const QVariantList &args) { done(makeDescriptors(args)); });

// Sends an event with a pipe that says args[0].
QFORKRPC_REGISTER("fdEvent", [](const QVariantList &args) {
    QForkRpcChild::event({ QStringLiteral("pipe"),
        fdValue(makeDescriptor(QStringLiteral("pipe"), args.value(0).toByteArray(), QString())) });
    return QVariantList { true };
});

// Returns its arguments, and dies of abort() when args[0] is true.
QFORKRPC_REGISTER("echoOrAbort", [](const QVariantList &args) {
    if (args.value(0).toBool())
        abort();
    return args;
});

QVariantList initArgsSeenHere;
QFORKRPC_REGISTER("keepInitArgs", [](const QVariantList &args) { initArgsSeenHere = args; });
QFORKRPC_REGISTER(
    "describeInitFds", [](const QVariantList &) { return describeDescriptors(initArgsSeenHere); });

// Raw frames on the worker socket, as a broken or hostile worker would send them.
void sendFrame(
    quint32 typeWord, quint32 id, const QByteArray &payload, const QList<int> &fds, quint32 length)
{
    QByteArray bytes;
    QDataStream header(&bytes, QIODevice::WriteOnly);
    header.setByteOrder(QDataStream::LittleEndian);
    header << typeWord << id << length;
    bytes += payload;
    iovec io { bytes.data(), size_t(bytes.size()) };
    msghdr message {};
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    QByteArray control(qsizetype(CMSG_SPACE(sizeof(int) * size_t(fds.size()))), '\0');
    if (!fds.isEmpty()) {
        message.msg_control = control.data();
        message.msg_controllen = size_t(control.size());
        cmsghdr *c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * size_t(fds.size()));
        std::memcpy(CMSG_DATA(c), fds.constData(), sizeof(int) * size_t(fds.size()));
    }
    (void)!sendmsg(3, &message, MSG_NOSIGNAL);
}

constexpr quint32 eventType = 5;
constexpr quint32 inMemfd = 0x80000000u;
quint32 withDescriptors(quint32 type, int count)
{
    return type | quint32(count) << 8;
}

QByteArray frozenEvent(const QVariantList &args)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << args;
    return bytes;
}

// args[0] names the lie; then the worker waits to be ended.
QFORKRPC_REGISTER("lieAboutFds", [](const QVariantList &args) -> QVariantList {
    const QString lie = args.value(0).toString();
    const QByteArray event = frozenEvent({ 1 });
    QList<int> pipes;
    for (int i = 0; i < 70; ++i) {
        int ends[2];
        pipe2(ends, O_CLOEXEC);
        pipes << ends[0];
        ::close(ends[1]);
    }
    if (lie == QLatin1String("claims more than came"))
        sendFrame(withDescriptors(eventType, 3), 0, event, pipes.mid(0, 1), quint32(event.size()));
    else if (lie == QLatin1String("sends more than it claims"))
        sendFrame(withDescriptors(eventType, 1), 0, event, pipes.mid(0, 3), quint32(event.size()));
    else if (lie == QLatin1String("descriptors with no frame"))
        sendFrame(eventType, 0, event, pipes.mid(0, 2), quint32(event.size()));
    else if (lie == QLatin1String("more than allowed"))
        sendFrame(
            withDescriptors(eventType, 65), 0, event, pipes.mid(0, 65), quint32(event.size()));
    else if (lie == QLatin1String("too many at once"))
        sendFrame(withDescriptors(eventType, 1), 0, event, pipes, quint32(event.size()));
    else if (lie == QLatin1String("a pipe as shared memory"))
        sendFrame(withDescriptors(eventType, 1) | inMemfd, 0, QByteArray(), pipes.mid(0, 1),
            quint32(event.size()));
    else if (lie == QLatin1String("unsealed shared memory")) {
        const int memfd = memfd_create("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        (void)!::write(memfd, event.constData(), size_t(event.size()));
        sendFrame(withDescriptors(eventType, 1) | inMemfd, 0, QByteArray(), { memfd },
            quint32(event.size()));
    } else if (lie == QLatin1String("shared memory of another size")) {
        const int memfd = memfd_create("short", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        (void)!::write(memfd, event.constData(), size_t(event.size()));
        fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
        sendFrame(withDescriptors(eventType, 1) | inMemfd, 0, QByteArray(), { memfd },
            quint32(event.size() + 1000));
    }
    QThread::sleep(60); // the parent must end us
    return {};
});

// Sends an event in shared memory the way a worker may, keeps the memfd, and then tries every way
// to change what it sent; the event says which attempts failed with EPERM.
QFORKRPC_REGISTER("tamperAfterSending", [](const QVariantList &args) {
    const QByteArray bytes = frozenEvent({ args.value(0).toByteArray() });
    const int memfd = memfd_create("sent", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    (void)!::write(memfd, bytes.constData(), size_t(bytes.size()));
    fcntl(memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW);
    sendFrame(
        withDescriptors(eventType, 1) | inMemfd, 0, QByteArray(), { memfd }, quint32(bytes.size()));
    QStringList refused;
    if (pwrite(memfd, "changed", 7, 20) < 0 && errno == EPERM)
        refused << QStringLiteral("write");
    if (ftruncate(memfd, 10) < 0 && errno == EPERM)
        refused << QStringLiteral("shrink");
    void *map = mmap(nullptr, size_t(bytes.size()), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    if (map == MAP_FAILED && errno == EPERM)
        refused << QStringLiteral("map for writing");
    else if (map != MAP_FAILED)
        std::memset(map, 'X', size_t(bytes.size()));
    if (fcntl(memfd, F_ADD_SEALS, 0) == 0 && (fcntl(memfd, F_GET_SEALS) & F_SEAL_WRITE) != 0)
        refused << QStringLiteral("unseal");
    return QVariantList { refused };
});

QForkRpc::Options optionsFor(bool async, const QString &serialiser = QStringLiteral("datastream"))
{
    QForkRpc::Options options;
    options.async = async;
    options.serialiser = serialiser;
    return options;
}

QString sync(const char *name, bool async)
{
    return QLatin1String(name) + (async ? QLatin1String("Async") : QLatin1String());
}

bool watchesAPidfd()
{
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QFileInfo &fd : fds.entryInfoList(QDir::NoDotAndDotDot | QDir::System))
        if (fd.symLinkTarget().endsWith(QLatin1String("[pidfd]")))
            return true;
    return false;
}

// Both backends with each serialiser that carries descriptors.
void addCarryingRows()
{
    QTest::addColumn<bool>("async");
    QTest::addColumn<QString>("serialiser");
    for (const char *serialiser : { "datastream", "cbor" }) {
        QTest::addRow("sync %s", serialiser) << false << QString::fromLatin1(serialiser);
        QTest::addRow("async %s", serialiser) << true << QString::fromLatin1(serialiser);
    }
}

QVariantList resultOf(QForkRpc *rpc, const QFuture<QVariantList> &future)
{
    if (!rpc->waitFor(future, 30000) || kindOf(future) >= 0)
        return { QStringLiteral("failed") };
    return future.result();
}

} // namespace

class tst_Descriptors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_fdsBefore = openDescriptorCount(); }
    void cleanup()
    {
        // A test that failed half-way left its workers: they go now, so that the next test
        // starts clean (and fails only for itself).
        qDeleteAll(findChildren<QForkRpc *>(QString(), Qt::FindDirectChildrenOnly));
        // Every worker of the test is gone (deleteLater'd objects included): the parent holds
        // what it held before.
        QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), m_fdsBefore, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(childrenOf(getpid()).size(), 1, 10000); // the template
    }

    void eachKindReachesTheWorkerAsTheSameOpenFile_data() { addCarryingRows(); }
    void eachKindReachesTheWorkerAsTheSameOpenFile()
    {
        QFETCH(bool, async);
        QFETCH(QString, serialiser);
        QTemporaryDir directory;
        QHash<QString, QForkRpcFd> fds;
        const QStringList kinds { QStringLiteral("pipe"), QStringLiteral("socket"),
            QStringLiteral("memfd"), QStringLiteral("file") };
        for (const QString &kind : kinds)
            fds.insert(
                kind, makeDescriptor(kind, "to the worker: " + kind.toUtf8(), directory.path()));
        // Top-level, in a list, in a map, and in a list in a map.
        const QVariantList args { fdValue(fds[QStringLiteral("pipe")]),
            QVariantList { 7, fdValue(fds[QStringLiteral("socket")]) },
            QVariantMap { { QStringLiteral("memfd"), fdValue(fds[QStringLiteral("memfd")]) },
                { QStringLiteral("deeper"),
                    QVariantList { fdValue(fds[QStringLiteral("file")]) } } } };
        auto *rpc = QForkRpc::run(sync("describeFds", async), optionsFor(async, serialiser), this);
        const QVariantList seen = resultOf(rpc, rpc->call(args));
        QStringList expected; // in the order they are in the values: a map's keys are sorted
        for (const char *kind : { "pipe", "socket", "file", "memfd" })
            expected << identity(fds[QLatin1String(kind)].fd())
                     << QStringLiteral("to the worker: ") + QLatin1String(kind);
        QStringList got;
        for (const QVariant &value : seen)
            got << value.toString();
        QCOMPARE(got, expected);
        // The sender's descriptors stay open and valid.
        for (const QString &kind : kinds)
            QVERIFY(fcntl(fds[kind].fd(), F_GETFD) >= 0);
        delete rpc;
    }

    void eachKindComesBackFromTheWorker_data() { addCarryingRows(); }
    void eachKindComesBackFromTheWorker()
    {
        QFETCH(bool, async);
        QFETCH(QString, serialiser);
        QTemporaryDir directory;
        const QStringList kinds { QStringLiteral("pipe"), QStringLiteral("socket"),
            QStringLiteral("memfd"), QStringLiteral("file") };
        auto *rpc = QForkRpc::run(sync("makeFds", async), optionsFor(async, serialiser), this);
        const QVariantList results
            = resultOf(rpc, rpc->call({ kinds, QByteArray("from the worker"), directory.path() }));
        QCOMPARE(results.size(), 2);
        const QVariantMap byKind = results.at(0).toMap();
        const QVariantList identities = results.at(1).toList();
        for (qsizetype i = 0; i < kinds.size(); ++i) {
            const auto fd = byKind.value(kinds[i]).value<QForkRpcFd>();
            QVERIFY2(fd.isValid(), qPrintable(kinds[i]));
            QCOMPARE(identity(fd.fd()), identities.at(i).toString());
            QCOMPARE(contentOf(fd), QByteArray("from the worker"));
            QVERIFY((fcntl(fd.fd(), F_GETFD) & FD_CLOEXEC) != 0); // MSG_CMSG_CLOEXEC
        }
        delete rpc;
    }

    void anEventCarriesADescriptor()
    {
        auto *rpc = QForkRpc::run(QStringLiteral("fdEvent"), QForkRpc::Options(), this);
        QList<QVariantList> events;
        connect(rpc, &QForkRpc::event, this, [&](const QVariantList &args) { events << args; });
        QCOMPARE(
            resultOf(rpc, rpc->call({ QByteArray("an event's pipe") })), QVariantList { true });
        QCOMPARE(events.size(), 1);
        QCOMPARE(
            contentOf(events.at(0).value(1).value<QForkRpcFd>()), QByteArray("an event's pipe"));
        delete rpc;
    }

    void initArgsCarryADescriptor()
    {
        QForkRpc::Options options;
        options.init = QStringLiteral("keepInitArgs");
        const QForkRpcFd fd = makeDescriptor(QStringLiteral("memfd"), "for init", QString());
        options.initArgs = { QVariantList { fdValue(fd) } };
        auto *rpc = QForkRpc::run(QStringLiteral("describeInitFds"), options, this);
        QCOMPARE(resultOf(rpc, rpc->call({})),
            (QVariantList { identity(fd.fd()), QByteArray("for init") }));
        delete rpc;
    }

    void anInvalidDescriptorTravelsAsAnInvalidOne()
    {
        auto *rpc = QForkRpc::run(QStringLiteral("echo"), QForkRpc::Options(), this);
        const QVariantList back = resultOf(rpc, rpc->call({ fdValue(QForkRpcFd()) }));
        QCOMPARE(back.size(), 1);
        QVERIFY(back.at(0).canConvert<QForkRpcFd>());
        QVERIFY(!back.at(0).value<QForkRpcFd>().isValid());
        delete rpc;
    }

    void serialisersThatCannotCarryOneFailThatCallOnly_data()
    {
        QTest::addColumn<QString>("serialiser");
        QTest::newRow("json") << QStringLiteral("json");
        QTest::newRow("octets") << QStringLiteral("octets");
    }
    void serialisersThatCannotCarryOneFailThatCallOnly()
    {
        QFETCH(QString, serialiser);
        auto *rpc = QForkRpc::run(QStringLiteral("echo"), optionsFor(false, serialiser), this);
        Recorder recorder(rpc);
        const QFuture<QVariantList> refused
            = rpc->call({ fdValue(makeDescriptor(QStringLiteral("pipe"), "x", QString())) });
        QString message;
        QCOMPARE(kindOf(refused, &message), int(Kind::Refused));
        QVERIFY2(message.contains(QLatin1String("QForkRpcFd")), qPrintable(message));
        // The worker goes on.
        const QVariant ok = serialiser == QLatin1String("json") ? QVariant(QStringLiteral("ok"))
                                                                : QVariant(QByteArray("ok"));
        QCOMPARE(resultOf(rpc, rpc->call({ ok })), QVariantList { ok });
        delete rpc;
    }

    void tooManyDescriptorsInOneCallFailThatCall()
    {
        auto *rpc = QForkRpc::run(QStringLiteral("echo"), QForkRpc::Options(), this);
        Recorder recorder(rpc);
        QVariantList many;
        const QForkRpcFd fd = makeDescriptor(QStringLiteral("memfd"), "x", QString());
        for (int i = 0; i <= QForkRpcFd::maxPerMessage; ++i)
            many << fdValue(fd);
        QString message;
        QCOMPARE(kindOf(rpc->call(many), &message), int(Kind::Refused));
        QVERIFY2(message.contains(QString::number(QForkRpcFd::maxPerMessage)), qPrintable(message));
        many.removeLast();
        QCOMPARE(resultOf(rpc, rpc->call(many)).size(), QForkRpcFd::maxPerMessage);
        delete rpc;
    }

    void tenThousandCallsLeakNothing_data() { addBackendRows(); }
    void tenThousandCallsLeakNothing()
    {
        QFETCH(bool, async);
        const int calls = std::max(200, int(10000 * loadScale()));
        auto *rpc = QForkRpc::run(sync("echo", async), optionsFor(async), this);
        QVERIFY(resultOf(rpc, rpc->call({})).isEmpty());
        // The pidfd that reaps the worker comes with the template's answer, which may follow
        // the first result: only then are the worker's descriptors all there to count.
        QTRY_VERIFY(watchesAPidfd());
        const QForkRpcFd fd = makeDescriptor(QStringLiteral("memfd"), "many", QString());
        const int parentBefore = openDescriptorCount();
        int arrived = 0;
        QFuture<QVariantList> last;
        for (int i = 0; i < calls; ++i) {
            last = rpc->call({ fdValue(fd), QVariantList { fdValue(fd) } });
            last.then(this, [&](const QVariantList &values) {
                if (descriptorsIn(values).size() == 2)
                    ++arrived;
            });
            if (i % 500 == 0)
                QCoreApplication::processEvents();
        }
        QVERIFY(rpc->waitFor(last, 120000));
        QTRY_COMPARE(arrived, calls);
        last = QFuture<QVariantList>(); // it holds the last call's descriptors
        QTRY_COMPARE(openDescriptorCount(), parentBefore);
        delete rpc;
    }

    void theWorkerHoldsNoDescriptorAfterItsCalls_data() { addBackendRows(); }
    void theWorkerHoldsNoDescriptorAfterItsCalls()
    {
        // The worker's own count, before and after 1000 calls with descriptors both ways.
        QFETCH(bool, async);
        auto *rpc = QForkRpc::run(sync("describeFds", async), optionsFor(async), this);
        const QForkRpcFd fd = makeDescriptor(QStringLiteral("memfd"), "count", QString());
        QVERIFY(resultOf(rpc, rpc->call({})).isEmpty());
        const qint64 pid = rpc->processId();
        const auto workerFds = [pid] {
            return QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                .entryList(QDir::NoDotAndDotDot | QDir::System)
                .size();
        };
        const qsizetype before = workerFds();
        QFuture<QVariantList> last;
        for (int i = 0; i < 1000; ++i)
            last = rpc->call({ fdValue(fd) });
        QVERIFY(rpc->waitFor(last));
        QCOMPARE(resultOf(rpc, last).value(1).toByteArray(), QByteArray("count"));
        QCOMPARE(workerFds(), before);
        delete rpc;
    }

    void workersThatDieWithDescriptorsInFlightLeakNothing()
    {
        const int crashes = std::max(20, int(100 * loadScale()));
        const QForkRpcFd fd = makeDescriptor(QStringLiteral("pipe"), "in flight", QString());
        const int before = openDescriptorCount();
        for (int i = 0; i < crashes; ++i) {
            auto *rpc = QForkRpc::run(QStringLiteral("echoOrAbort"), QForkRpc::Options(), this);
            Recorder recorder(rpc);
            rpc->call({ false, fdValue(fd) });
            const QFuture<QVariantList> dies = rpc->call({ true, fdValue(fd) });
            QFuture<QVariantList> queued; // behind the crash: never read by the worker
            for (int j = 0; j < 10; ++j)
                queued = rpc->call({ false, fdValue(fd), QVariantList { fdValue(fd) } });
            QVERIFY(rpc->waitFor(queued));
            QCOMPARE(kindOf(dies), int(Kind::WorkerDied));
            delete rpc;
        }
        QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), before, 10000);
    }

    void aWorkerThatLiesAboutDescriptorsIsOneCleanError_data()
    {
        QTest::addColumn<QString>("lie");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *lie, const char *expected) {
            QTest::newRow(lie) << QString::fromLatin1(lie) << QString::fromLatin1(expected);
        };
        row("claims more than came", "says it carries 3 descriptors, but 1 came with it");
        row("sends more than it claims", "descriptors came that no frame carries");
        row("descriptors with no frame", "descriptors came that no frame carries");
        row("more than allowed", "carries 65 descriptors, more than the 64");
        row("too many at once", "more descriptors came at once than one frame may carry");
        row("a pipe as shared memory", "not a memfd sealed against writing and shrinking");
        row("unsealed shared memory", "not a memfd sealed against writing and shrinking");
        row("shared memory of another size", "bytes long, not the ");
    }
    void aWorkerThatLiesAboutDescriptorsIsOneCleanError()
    {
        QFETCH(QString, lie);
        QFETCH(QString, expected);
        auto *rpc = QForkRpc::run(QStringLiteral("lieAboutFds"), QForkRpc::Options(), this);
        Recorder recorder(rpc);
        const QFuture<QVariantList> call = rpc->call({ lie });
        QVERIFY(rpc->waitFor(call));
        QString message;
        QVERIFY2(kindOf(call, &message) == int(Kind::Protocol), qPrintable(message));
        QTest::qWait(20);
        QCOMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().contains(expected), qPrintable(recorder.errors.first()));
        QVERIFY2(recorder.lines.filter(QLatin1String("event")).isEmpty(),
            qPrintable(recorder.lines.join(QLatin1Char('\n'))));
        delete rpc;
    }

    void whatTheParentAcceptedCannotBeChangedByTheWorker()
    {
        const QByteArray sent(100000, 'A');
        auto *rpc = QForkRpc::run(QStringLiteral("tamperAfterSending"), QForkRpc::Options(), this);
        QList<QVariantList> events;
        connect(rpc, &QForkRpc::event, this, [&](const QVariantList &args) { events << args; });
        const QVariantList refused = resultOf(rpc, rpc->call({ sent }));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).value(0).toByteArray(), sent);
        QCOMPARE(refused.value(0).toStringList(),
            (QStringList { QStringLiteral("write"), QStringLiteral("shrink"),
                QStringLiteral("map for writing"), QStringLiteral("unseal") }));
        delete rpc;
    }

    void largeByteArraysCrossThroughSharedMemory_data()
    {
        QTest::addColumn<bool>("async");
        QTest::addColumn<QString>("serialiser");
        QTest::addColumn<qint64>("threshold");
        for (const char *serialiser : { "datastream", "cbor", "octets" }) {
            for (const bool async : { false, true }) {
                QTest::addRow("%s %s", async ? "async" : "sync", serialiser)
                    << async << QString::fromLatin1(serialiser) << qint64(64 * 1024);
            }
        }
        QTest::newRow("sync datastream, never")
            << false << QStringLiteral("datastream") << qint64(0);
    }
    void largeByteArraysCrossThroughSharedMemory()
    {
        QFETCH(bool, async);
        QFETCH(QString, serialiser);
        QFETCH(qint64, threshold);
        QForkRpc::Options options = optionsFor(async, serialiser);
        options.sharedMemoryThreshold = threshold;
        auto *rpc = QForkRpc::run(sync("echo", async), options, this);
        QByteArray big(3 * 1024 * 1024 + 7, Qt::Uninitialized);
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = char(i * 7 + i / 4096);
        const QByteArray small("small");
        // Both ways: the argument goes through shared memory, and so does the result.
        const QVariantList back = resultOf(rpc, rpc->call({ big, small, big }));
        QCOMPARE(back.size(), 3);
        QVERIFY(back.at(0).toByteArray() == big);
        QCOMPARE(back.at(1).toByteArray(), small);
        QVERIFY(back.at(2).toByteArray() == big);
        delete rpc;
    }

private:
    static double loadScale()
    {
        bool ok = false;
        const double scale = qEnvironmentVariable("QFORKRPC_LOAD_SCALE").toDouble(&ok);
        return ok && scale > 0 ? scale : 1.0;
    }

    int m_fdsBefore = 0;
};

QFORKRPC_TEST_MAIN(tst_Descriptors)
#include "tst_descriptors.moc"
