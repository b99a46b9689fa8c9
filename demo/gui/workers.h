// SPDX-License-Identifier: MIT
// What the parent and the demo's workers agree on. The worker functions themselves live in
// workers.cpp and run only in the child processes.
//
//   call      { job id, from, to }               count the primes in [from, to)
//   call      { job id, 0, 0, true }              a stuck job: never answers (see below)
//   event     { "started", job id, pid }          the worker (this process) has begun the job
//   progress  setProgress(done, total)            after every step: numbers examined so far;
//                                                 the parent reads it from the call's QFuture
//   event     { "stopped", job id, done, total, pid }
//                                                 the job was cancelled (isCancelled()) and the
//                                                 worker stopped after `done` numbers
//   result    { job id, primes }
//
// The calls go through a QForkRpcPool, which does not say which worker runs which call: the pid
// in the events is how the window knows, and where "Crash a worker" sends its signal.
//
// A worker that receives crashSignal segfaults at its next step: the demo's stand-in for a bug
// in the code a worker runs. A stuck job is the stand-in for a function that waits for something
// that never happens: it ignores cancelling too, so only Options::callTimeoutMs (which kills the
// worker) ends it, or a Cancel, after which the pool kills the worker (cancelKillAfterMs).
#pragma once

#include <csignal>

namespace DemoWorkers {

// The registered names of the worker functions.
constexpr char syncFunction[] = "primes::count";
constexpr char asyncFunction[] = "primes::countAsync";
constexpr char initFunction[] = "primes::init";

// The events' first values.
constexpr char startedEvent[] = "started";
constexpr char stoppedEvent[] = "stopped";

constexpr int crashSignal = SIGUSR1;

// A job is done in this many steps, each followed by a progress report.
constexpr int stepsPerJob = 100;

} // namespace DemoWorkers
