// SPDX-License-Identifier: MIT
#include "processtitle_p.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>
#include <unistd.h>

namespace QForkRpcDetail {

namespace {
char *argumentsBegin = nullptr;
char *argumentsEnd = nullptr;
// The moved environment, kept for the life of the process: a later setenv() may give environ an
// array of its own, and the strings stay in use either way.
char **movedEnvironment = nullptr;
// The environment strings follow the arguments in memory. Moving them to the heap (this runs in a
// worker or the template only, never in the program) makes their space part of the title's room;
// the kernel shows a command line that runs on past the arguments' end.
void claimEnvironmentSpace()
{
    static bool claimed = false;
    if (claimed || !environ)
        return;
    claimed = true;
    char *end = argumentsEnd;
    size_t count = 0;
    for (; environ[count]; ++count) {
        if (environ[count] != end)
            return; // not contiguous: leave it alone
        end = environ[count] + std::strlen(environ[count]) + 1;
    }
    char **copy = static_cast<char **>(std::malloc((count + 1) * sizeof(char *)));
    if (!copy)
        return;
    for (size_t i = 0; i < count; ++i)
        copy[i] = strdup(environ[i]);
    copy[count] = nullptr;
    movedEnvironment = copy;
    environ = copy;
    argumentsEnd = end;
}

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
    claimEnvironmentSpace();
    const size_t room = size_t(argumentsEnd - argumentsBegin);
    if (room < 2)
        return;
    const size_t length = std::min(std::strlen(title), room - 1);
    std::memcpy(argumentsBegin, title, length);
    std::memset(argumentsBegin + length, 0, room - length);
}

} // namespace QForkRpcDetail
