// SPDX-License-Identifier: MIT
// Frames a worker has made but not written yet (answers that wait to leave with the next ones)
// would die with it when a later call crashes it, and their calls, which had answered, would fail
// as if they had been running. So while a worker runs calls, SIGSEGV, SIGBUS, SIGILL, SIGFPE and
// SIGABRT, where nobody else handles them, first write out what its writer holds, then let the
// worker die of the signal as it would have. Only a SIGKILL (the OOM killer, a timeout) cannot be
// caught, and takes what waits along.
#pragma once

namespace QForkRpcDetail {

class FrameWriter;

// From now on a crash of this process writes what `writer` holds to `fd`. A handler the program
// installed itself (a crash reporter, a sanitizer) is left alone, and then this does nothing.
void writeOutOnCrash(const FrameWriter *writer, int fd);
// The writer is going away: a crash writes nothing.
void forgetOnCrash(const FrameWriter *writer);

} // namespace QForkRpcDetail
