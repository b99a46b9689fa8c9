// SPDX-License-Identifier: MIT
// Loaded into a worker by Options::require; registers its function when it is loaded.
#include <QForkRpc>

namespace {
QFORKRPC_REGISTER("fromLibrary", [](const QVariantList &args) {
    return QVariantList { QStringLiteral("library says"), args.value(0) };
});
} // namespace
