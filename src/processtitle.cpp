// SPDX-License-Identifier: MIT
#include "processtitle_p.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/prctl.h>

namespace QForkRpcDetail {

namespace {
char *argumentsBegin = nullptr;
char *argumentsEnd = nullptr;
} // namespace

void rememberArguments(int argc, char **argv)
{
    if (argc <= 0 || !argv || !argv[0])
        return;
    // The strings are contiguous; only take the run of them that really is.
    char *end = argv[0] + std::strlen(argv[0]) + 1;
    for (int i = 1; i < argc && argv[i] == end; ++i)
        end = argv[i] + std::strlen(argv[i]) + 1;
    argumentsBegin = argv[0];
    argumentsEnd = end;
}

void setProcessTitle(const char *title)
{
    prctl(PR_SET_NAME, title); // the kernel keeps the first 15 characters
    if (!argumentsBegin) {
        // No initialize() (Spawn::Fork): argv[0] is all we know of.
        argumentsBegin = program_invocation_name;
        argumentsEnd = argumentsBegin ? argumentsBegin + std::strlen(argumentsBegin) + 1 : nullptr;
    }
    if (!argumentsBegin)
        return;
    const size_t room = size_t(argumentsEnd - argumentsBegin);
    if (room < 2)
        return;
    const size_t length = std::min(std::strlen(title), room - 1);
    std::memcpy(argumentsBegin, title, length);
    std::memset(argumentsBegin + length, 0, room - length);
}

} // namespace QForkRpcDetail
