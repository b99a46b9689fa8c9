// SPDX-License-Identifier: MIT
// Fuzz target: thaw of the "cbor" serialiser:
// one CBOR array, parsed by QCborValue, with tags for dates, URLs, UUIDs and
// regular expressions.
// The checks are described in fuzz_thaw.h.
#include "fuzz_thaw.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return QForkRpcFuzz::thawTarget(
        "fuzz_thaw_cbor", "cbor", QForkRpcFuzz::Values::CanonicalBytes, data, size);
}
