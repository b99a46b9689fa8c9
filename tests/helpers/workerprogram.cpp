// SPDX-License-Identifier: MIT
// A program whose only job is to be a worker: started by Spawn::Exec with Options::program.
#include <QForkRpc>

#include <cstdio>
#include <unistd.h>

namespace {
QFORKRPC_REGISTER("programWorker", [](const QVariantList &args) {
    return QVariantList { QStringLiteral("program"), qint64(getpid()), args.value(0) };
});
QFORKRPC_REGISTER("programWorkerAsync", [](QForkRpcDone done, const QVariantList &args) {
    done({ QStringLiteral("program async"), args.value(0) });
});
} // namespace

int main(int argc, char **argv)
{
    QForkRpc::initialize(argc, argv); // runs the worker when started as one
    std::puts("qforkrpc_workerprogram: run me through QForkRpc (Spawn::Exec)");
    return 0;
}
