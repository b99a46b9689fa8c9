// SPDX-License-Identifier: MIT
// Fuzz target: thaw of the "datastream" serialiser:
// the default serialiser: a QDataStream (Qt_6_0) of a QVariantList, any Qt value type by id,
// nested lists and maps.
// The checks are described in fuzz_thaw.h.
#include "fuzz_thaw.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return QForkRpcFuzz::thawTarget(
        "fuzz_thaw_datastream", "datastream", QForkRpcFuzz::Values::CanonicalBytes, data, size);
}
