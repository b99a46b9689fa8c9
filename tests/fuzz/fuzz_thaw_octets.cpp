// SPDX-License-Identifier: MIT
// Fuzz target: thaw of the "octets" serialiser:
// byte strings with 7-bit variable-length lengths; values must survive
// a round exactly.
// The checks are described in fuzz_thaw.h.
#include "fuzz_thaw.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return QForkRpcFuzz::thawTarget(
        "fuzz_thaw_octets", "octets", QForkRpcFuzz::Values::Exact, data, size);
}
