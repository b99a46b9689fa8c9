// SPDX-License-Identifier: MIT
// The scripted sessions behind --selftest and --screenshot. Both drive the real window through
// its buttons and run the event loop until they are done; both end the program by a hard deadline
// (SIGALRM) even if the event loop itself stopped turning, so they never hang.
#pragma once

#include <QtCore/QString>

class MainWindow;

// For each backend, sync then async: starts jobs, crashes a worker in the middle of a job (the
// pid from its "started" event), checks that exactly its running jobs failed
// (QForkRpcError::Kind::WorkerDied) with an error naming the signal (in the window's language) and
// the pid, that a fresh worker carried on; cancels the last waiting job (in the pool's queue), with
// the sync backend the earliest waiting one (in a worker, behind a running job: it must never
// start), and a running one (its worker must say it stopped early), and checks that cancelling
// reported no error(); presses Finish while jobs still wait, cancels one more, waits for the pool's
// destroyed() (no worker, no call left), and checks every other job's prime count (the one the
// crashed sync worker had not started included) and that its progress bar moved and reached its
// end. Then, for each backend, a stuck job on workers with a 3 s time limit: it must fail as
// TimedOut no earlier than that, with one error() naming the function, the pool must be back to
// its number of workers, and every other job done. Returns the exit code.
int runSelfTest(MainWindow &window);

// Runs jobs until some are done, one has failed in a crash, one was cancelled while it ran, a
// stuck one has timed out and others are in progress, then saves a picture of the window to
// `file`. Returns the exit code.
int runScreenshot(MainWindow &window, const QString &file);
