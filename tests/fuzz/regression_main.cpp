// SPDX-License-Identifier: MIT
// The regression runner: a main() for a fuzz target built without libFuzzer (any compiler). It
// runs LLVMFuzzerTestOneInput over every file named on the command line, or found (not
// recursively) in a directory named there, so ctest replays the committed corpus on every build.
// A broken guarantee aborts, which ctest reports as a failure naming nothing: the file being run
// is printed first for that reason.
#include "fuzzcheck.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

namespace fs = std::filesystem;

// A decoder that asks for more than 64 MiB at once fails the replay, as it fails the fuzzers'
// strict runs (scripts/fuzz.sh, QFORKRPC_FUZZ_STRICT_MALLOC=1): no input needs that much, and
// without this a plain build would grant such a request, never touch it, and pass (the corpus
// holds inputs that made Qt's readers ask for 232 MB and 96 GiB).
#if defined(__SANITIZE_ADDRESS__)
#define QFORKRPC_REGRESSION_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QFORKRPC_REGRESSION_ASAN 1
#endif
#endif

#ifdef QFORKRPC_REGRESSION_ASAN
// AddressSanitizer owns malloc: it reports such an allocation and aborts.
extern "C" const char *__asan_default_options()
{
    return "max_allocation_size_mb=64:allocator_may_return_null=0";
}
#else
// Otherwise the program's malloc family, which the dynamic linker lets stand in for glibc's in
// Qt too, checks the size and hands over to glibc's own.
extern "C" {
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *pointer, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
}

namespace {
constexpr size_t maxAllocation = size_t(64) << 20;

void checkAllocation(size_t size)
{
    if (size <= maxAllocation)
        return;
    char message[128];
    const int length = std::snprintf(message, sizeof message,
        "regression: an allocation of %zu bytes at once (the limit is 64 MiB)\n", size);
    if (length > 0)
        (void)!::write(2, message, size_t(length));
    std::abort();
}
} // namespace

extern "C" {
void *malloc(size_t size)
{
    checkAllocation(size);
    return __libc_malloc(size);
}
void *calloc(size_t count, size_t size)
{
    size_t total;
    if (!__builtin_mul_overflow(count, size, &total))
        checkAllocation(total);
    return __libc_calloc(count, size); // (an overflowing product: glibc refuses it)
}
void *realloc(void *pointer, size_t size)
{
    checkAllocation(size);
    return __libc_realloc(pointer, size);
}
void *memalign(size_t alignment, size_t size)
{
    checkAllocation(size);
    return __libc_memalign(alignment, size);
}
void *aligned_alloc(size_t alignment, size_t size)
{
    checkAllocation(size);
    return __libc_memalign(alignment, size);
}
int posix_memalign(void **pointer, size_t alignment, size_t size)
{
    checkAllocation(size);
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    *pointer = __libc_memalign(alignment, size);
    return *pointer ? 0 : ENOMEM;
}
}
#endif

int main(int argc, char **argv)
{
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path path(argv[i]);
        if (fs::is_directory(path)) {
            for (const fs::directory_entry &entry : fs::directory_iterator(path)) {
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            }
        } else if (fs::is_regular_file(path)) {
            files.push_back(path);
        } else {
            std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
            return 2;
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "usage: %s corpus-dir-or-file...  (found no input)\n", argv[0]);
        return 2;
    }
    for (const fs::path &file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<char> bytes(
            (std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) {
            std::fprintf(stderr, "%s: cannot read\n", file.c_str());
            return 2;
        }
        std::fprintf(stderr, "running %s (%zu bytes)\n", file.c_str(), bytes.size());
        // Copied into an exactly sized allocation, as libFuzzer does, so that AddressSanitizer
        // builds catch a read past the end.
        std::vector<uint8_t> input(bytes.begin(), bytes.end());
        static uint8_t none = 0; // libFuzzer never passes a null pointer either
        LLVMFuzzerTestOneInput(input.empty() ? &none : input.data(), input.size());
    }
    std::fprintf(stderr, "%zu input(s) passed\n", files.size());
    return 0;
}
