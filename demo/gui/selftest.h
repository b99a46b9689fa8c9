// SPDX-License-Identifier: MIT
// The scripted sessions behind --selftest and --screenshot. Both drive the real window through
// its buttons and run the event loop until they are done; both end the program by a hard deadline
// (SIGALRM) even if the event loop itself stopped turning, so they never hang.
#pragma once

#include <QtCore/QString>

class MainWindow;

// For each backend, sync then async: starts jobs, crashes a worker in the middle of a job,
// checks that exactly its jobs failed (QForkRpcError::Kind::WorkerDied) with an error naming the
// signal (in the window's language), that a fresh worker carried on; cancels a job in the pool's
// queue, one that runs (its worker must say it stopped early) and, with the sync backend, one
// queued in its worker behind another (it must never start), and checks that cancelling reported
// no error(); presses Finish while jobs are still queued, waits for every worker's destroyed(),
// and checks every other job's prime count and that its progress bar moved and reached its end.
// Then, for each backend, a stuck job on workers with a 3 s time limit: it must fail as TimedOut
// no earlier than that, with one error() naming the function, its worker replaced, and every
// other job done. Returns the exit code.
int runSelfTest(MainWindow &window);

// Runs jobs until some are done, one has failed in a crash, one was cancelled while it ran, a
// stuck one has timed out and others are in progress, then saves a picture of the window to
// `file`. Returns the exit code.
int runScreenshot(MainWindow &window, const QString &file);
