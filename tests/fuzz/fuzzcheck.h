// SPDX-License-Identifier: MIT
// What every fuzz target shares: the libFuzzer entry point's declaration and a way to stop on a
// broken guarantee (abort() is what libFuzzer and the regression runner both report as a crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace QForkRpcFuzz {

[[noreturn]] inline void fail(const char *target, const char *what)
{
    std::fprintf(stderr, "%s: %s\n", target, what);
    std::fflush(stderr);
    std::abort();
}

} // namespace QForkRpcFuzz
