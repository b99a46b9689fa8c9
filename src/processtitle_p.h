// SPDX-License-Identifier: MIT
// Gives workers and the template a readable name in ps and top ("qforkrpc: MyWorker::run").
#pragma once

namespace QForkRpcDetail {

// Remembers where the program's argument strings live; their memory is what ps shows.
void rememberArguments(int argc, char **argv);
// Rewrites the command line (as far as the original one's length allows) and the 15-character
// thread name. Only for a worker or the template, never for the program itself.
void setProcessTitle(const char *title);

} // namespace QForkRpcDetail
