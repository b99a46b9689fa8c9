// SPDX-License-Identifier: MIT
// What the parent and the demo's workers agree on. The worker functions themselves live in
// workers.cpp and run only in the child processes.
//
//   call    { job id, from, to }               count the primes in [from, to)
//   event   { job id, done, total, primes }    after every step: numbers examined so far
//   result  { job id, primes }
//
// A worker that receives crashSignal segfaults at its next step: the demo's stand-in for a bug
// in the code a worker runs.
#pragma once

#include <csignal>

namespace DemoWorkers {

// The registered names of the worker functions.
constexpr char syncFunction[] = "primes::count";
constexpr char asyncFunction[] = "primes::countAsync";
constexpr char initFunction[] = "primes::init";

constexpr int crashSignal = SIGUSR1;

// A job is done in this many steps, each followed by a progress event.
constexpr int stepsPerJob = 100;

} // namespace DemoWorkers
