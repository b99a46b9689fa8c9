// SPDX-License-Identifier: MIT
// A real OpenSSH server for the remote-worker tests, on 127.0.0.1 only: sshd runs in the
// foreground with a host key, a client key and a configuration made in a temporary directory,
// and sshCommand() gives the ssh command line that reaches it with that key, checking the host key
// against the one made here. Nothing leaves the loopback interface.
#pragma once

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>

#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

class SshServer
{
public:
    SshServer() = default;
    SshServer(const SshServer &) = delete;
    SshServer &operator=(const SshServer &) = delete;
    ~SshServer() { stop(); }

    // Starts sshd; false with *why set when it cannot (not installed, or it did not come up).
    bool start(QString *why)
    {
        const QString sshd = QStringLiteral("/usr/sbin/sshd");
        if (!QFileInfo(sshd).isExecutable()
            || QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("ssh-keygen")).isEmpty()) {
            *why = QStringLiteral("OpenSSH's server or client is not installed (Debian: "
                                  "openssh-server; scripts/deps.sh installs it)");
            return false;
        }
        if (!m_dir.isValid()) {
            *why = QStringLiteral("no temporary directory");
            return false;
        }
        // sshd (privilege separation) wants this directory when it runs as root.
        if (geteuid() == 0)
            ::mkdir("/run/sshd", 0755);
        if (!makeKey(QStringLiteral("host_key"), why)
            || !makeKey(QStringLiteral("client_key"), why))
            return false;
        copyFile(path(QStringLiteral("client_key.pub")), path(QStringLiteral("authorized_keys")));
        m_port = freeLoopbackPort();
        if (m_port == 0) {
            *why = QStringLiteral("no free port on 127.0.0.1");
            return false;
        }
        setKnownHostKey(path(QStringLiteral("host_key.pub")));
        QFile config(path(QStringLiteral("sshd_config")));
        config.open(QIODevice::WriteOnly);
        config.write(
            QStringLiteral("Port %1\n"
                           "ListenAddress 127.0.0.1\n"
                           "HostKey %2\n"
                           "PidFile none\n"
                           "AuthorizedKeysFile %3\n"
                           "StrictModes no\n"
                           "UsePAM no\n"
                           "PubkeyAuthentication yes\n"
                           "PasswordAuthentication no\n"
                           "KbdInteractiveAuthentication no\n"
                           "PermitRootLogin prohibit-password\n"
                           "MaxStartups 100\n"
                           "LogLevel ERROR\n")
                .arg(m_port)
                .arg(path(QStringLiteral("host_key")), path(QStringLiteral("authorized_keys")))
                .toUtf8());
        config.close();

        m_sshd.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_sshd.start(sshd,
            { QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                path(QStringLiteral("sshd_config")) });
        if (!m_sshd.waitForStarted(10000)) {
            *why = QStringLiteral("sshd did not start: ") + m_sshd.errorString();
            return false;
        }
        QElapsedTimer waited;
        waited.start();
        while (!accepts(m_port)) {
            if (m_sshd.state() != QProcess::Running || waited.elapsed() > 10000) {
                *why = QStringLiteral("sshd did not listen on 127.0.0.1:%1").arg(m_port);
                stop();
                return false;
            }
            QThread::msleep(20);
        }
        return true;
    }

    void stop()
    {
        if (m_sshd.state() == QProcess::NotRunning)
            return;
        m_sshd.kill();
        m_sshd.waitForFinished(10000);
    }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_sshd.processId(); }

    // The host key that ssh expects of this server: another server's makes ssh refuse it.
    void setKnownHostKey(const QString &publicKeyFile)
    {
        QFile key(publicKeyFile);
        key.open(QIODevice::ReadOnly);
        QFile known(path(QStringLiteral("known_hosts")));
        known.open(QIODevice::WriteOnly | QIODevice::Truncate);
        known.write(QStringLiteral("[127.0.0.1]:%1 ").arg(m_port).toUtf8() + key.readAll());
    }
    QString hostKeyFile() const { return path(QStringLiteral("host_key.pub")); }

    // ssh to this server, running `program` there (its arguments follow, as with any command).
    QStringList sshCommand(const QString &program) const
    {
        return { QStringLiteral("ssh"), QStringLiteral("-F"), QStringLiteral("/dev/null"),
            QStringLiteral("-T"), QStringLiteral("-p"), QString::number(m_port),
            QStringLiteral("-i"), path(QStringLiteral("client_key")), QStringLiteral("-o"),
            QStringLiteral("IdentitiesOnly=yes"), QStringLiteral("-o"),
            QStringLiteral("BatchMode=yes"), QStringLiteral("-o"),
            QStringLiteral("StrictHostKeyChecking=yes"), QStringLiteral("-o"),
            QStringLiteral("UserKnownHostsFile=") + path(QStringLiteral("known_hosts")),
            QStringLiteral("-o"), QStringLiteral("GlobalKnownHostsFile=/dev/null"),
            QStringLiteral("-o"), QStringLiteral("ConnectTimeout=10"), QStringLiteral("-o"),
            QStringLiteral("LogLevel=ERROR"), QStringLiteral("127.0.0.1"), program };
    }

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool makeKey(const QString &name, QString *why)
    {
        QProcess keygen;
        keygen.start(QStringLiteral("ssh-keygen"),
            { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                QStringLiteral("-N"), QString(), QStringLiteral("-f"), path(name) });
        if (keygen.waitForFinished(30000) && keygen.exitCode() == 0)
            return true;
        *why = QStringLiteral("ssh-keygen failed: ")
            + QString::fromLocal8Bit(keygen.readAllStandardError());
        return false;
    }

    static void copyFile(const QString &from, const QString &to)
    {
        QFile::remove(to);
        QFile::copy(from, to);
    }

    static sockaddr_in loopback(quint16 port)
    {
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }

    static quint16 freeLoopbackPort()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address = loopback(0);
        socklen_t length = sizeof address;
        quint16 port = 0;
        if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            port = ntohs(address.sin_port);
        if (fd >= 0)
            ::close(fd);
        return port;
    }

    // Whether sshd answers on `port` with its banner (read before closing, so that sshd does not
    // log the probe as an error).
    static bool accepts(quint16 port)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const sockaddr_in address = loopback(port);
        bool answered = false;
        if (fd >= 0
            && ::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0) {
            const timeval wait { 2, 0 };
            ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
            char banner[4];
            answered = ::recv(fd, banner, sizeof banner, MSG_WAITALL) == 4
                && std::memcmp(banner, "SSH-", 4) == 0;
            const char hello[] = "SSH-2.0-probe\r\n";
            (void)!::send(fd, hello, sizeof hello - 1, MSG_NOSIGNAL);
        }
        if (fd >= 0)
            ::close(fd);
        return answered;
    }

    QTemporaryDir m_dir;
    QProcess m_sshd;
    quint16 m_port = 0;
};
