// SPDX-License-Identifier: MIT
// The scripted sessions behind --selftest and --screenshot. Both drive the real window through
// its buttons and run the event loop until they are done; both end the program by a hard deadline
// (SIGALRM) even if the event loop itself stopped turning, so they never hang.
#pragma once

#include <QtCore/QString>

class MainWindow;

// For each backend, sync then async: starts jobs, crashes a worker in the middle of a job,
// checks that exactly its jobs failed with an error naming the signal (in the window's language),
// that a fresh worker carried on, presses Finish while jobs are still queued, waits for every
// worker's destroyed(), and checks every other job's prime count. Returns the exit code.
int runSelfTest(MainWindow &window);

// Runs jobs until some are done, one has failed and others are in progress, then saves a
// picture of the window to `file`. Returns the exit code.
int runScreenshot(MainWindow &window, const QString &file);
