// SPDX-License-Identifier: MIT
// The regression runner: a main() for a fuzz target built without libFuzzer (any compiler). It
// runs LLVMFuzzerTestOneInput over every file named on the command line, or found (not
// recursively) in a directory named there, so ctest replays the committed corpus on every build.
// A broken guarantee aborts, which ctest reports as a failure naming nothing: the file being run
// is printed first for that reason.
#include "fuzzcheck.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

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
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
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
