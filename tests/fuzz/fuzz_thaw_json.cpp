// SPDX-License-Identifier: MIT
// Fuzz target: thaw of the "json" serialiser:
// one compact JSON array, parsed by QJsonDocument.
// The checks are described in fuzz_thaw.h.
#include "fuzz_thaw.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return QForkRpcFuzz::thawTarget(
        "fuzz_thaw_json", "json", QForkRpcFuzz::Values::CanonicalBytes, data, size);
}
