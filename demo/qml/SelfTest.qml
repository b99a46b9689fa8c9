// SPDX-License-Identifier: MIT
// qforkrpc-qml-demo --selftest: clicks through the job board as a user would and checks what it
// shows, step by step; exits 0 when every step passed, 1 at the first failure or after 90 s.
// Only generous bounds on time: every step waits (polling) until what it expects holds.
import QtQuick
import QForkRpc 1.0

QtObject {
    id: selfTest

    required property var board

    property int step: -1
    property int crashJob: 0
    property double crashedPid: 0

    // Each step starts something, then waits (polling) until `done` holds.
    readonly property var steps: [
        {
            name: "jobs spread over the pool's workers and run to completion, with their progress",
            // Jobs of 0.5 s, so that the pool starts a second worker (startDelayMs 50) while
            // the first one still has its job.
            start: () => { for (let i = 0; i < 4; ++i) board.addJob(20, 25) },
            done: () => jobsEnded([1, 2, 3, 4]) && board.pool.pendingCalls === 0,
            check: () => {
                const pids = []
                for (let id = 1; id <= 4; ++id) {
                    const job = jobOf(id)
                    expect(job.phase === "done", "job " + id + " is done: " + job.phase + ", " + job.status)
                    expect(job.progress === 1, "job " + id + " progress is 1, not " + job.progress)
                    expect(/20 steps done in process \d+/.test(job.status), "job " + id + " status: " + job.status)
                    expect(job.status.indexOf(String(job.pid)) >= 0, "job " + id + " ran in the worker that said it started it")
                    if (pids.indexOf(job.pid) < 0)
                        pids.push(job.pid)
                }
                expect(pids.length >= 2, "the jobs ran in more than one worker: " + pids)
                expect(board.mostWorkers >= 2 && board.mostWorkers <= board.maxWorkers,
                       "the pool had 2 to " + board.maxWorkers + " workers, not " + board.mostWorkers)
                expect(board.workers.count >= 2, "the board shows the workers: " + board.workers.count)
                expect(board.errors.length === 0, "no errors: " + board.errors)
            }
        },
        {
            name: "a cancelled job stops without an answer or an error",
            start: () => { board.addJob(1000, 20); board.cancelJob(5) },
            done: () => board.pool.pendingCalls === 0,
            check: () => {
                const job = jobOf(5)
                expect(job.phase === "cancelled", "job 5 is cancelled: " + job.phase)
                expect(job.progress < 1, "job 5 did not run to its end")
                expect(board.calls[5].status === ForkRpcCall.Cancelled, "its call is cancelled")
                expect(board.errors.length === 0, "cancelling is no error: " + board.errors)
            }
        },
        {
            name: "a crash fails only the crashed job; the others run on",
            start: () => {
                board.addJob(20, 25)
                board.addJob(20, 25)
                crashJob = board.crashAWorker()
            },
            done: () => jobsEnded([6, 7, crashJob]) && board.errors.length > 0,
            check: () => {
                const crashed = jobOf(crashJob)
                crashedPid = crashed.pid
                expect(crashed.phase === "failed", "the crash job failed: " + crashed.phase)
                expect(crashed.status.indexOf("lost") === 0, "it says it is lost: " + crashed.status)
                expect(board.calls[crashJob].error === ForkRpcCall.WorkerDied, "its call says why")
                expect(jobOf(6).phase === "done" && jobOf(7).phase === "done",
                       "the other jobs ended well: " + jobOf(6).status + ", " + jobOf(7).status)
                expect(board.errors.length === 1, "one error for one crash: " + board.errors)
                expect(board.errors[0].indexOf("signal 11") >= 0, "the error names SIGSEGV: " + board.errors[0])
                expect(board.errors[0].indexOf(String(crashedPid)) >= 0, "and the worker's pid: " + board.errors[0])
                const index = board.workerIndex(crashedPid)
                expect(index >= 0 && board.workers.get(index).phase === "died", "the board shows the dead worker")
                expect(board.pool.running, "the pool carries on")
            }
        },
        {
            name: "jobs after the crash run on live workers",
            start: () => { board.addJob(4, 10); board.addJob(4, 10) },
            done: () => jobsEnded([9, 10]),
            check: () => {
                for (const id of [9, 10]) {
                    expect(jobOf(id).phase === "done", "job " + id + " is done: " + jobOf(id).status)
                    expect(jobOf(id).pid !== crashedPid, "not in the dead worker")
                }
                expect(board.errors.length === 1, "no new error: " + board.errors)
            }
        },
        {
            name: "finish lets the queued jobs end, then every worker is gone",
            start: () => { board.addJob(5, 10); board.addJob(5, 10); board.addJob(5, 10); board.finishPool() },
            done: () => board.finished,
            check: () => {
                expect(jobsEnded([11, 12, 13]) && [11, 12, 13].every((id) => jobOf(id).phase === "done"),
                       "jobs 11 to 13 ended well before destroyed()")
                expect(!board.pool.running, "the pool is no longer running")
                expect(board.pool.workerCount === 0, "no workers left: " + board.pool.workerCount)
                expect(board.errors.length === 1, "no error from finishing: " + board.errors)
                let alive = 0
                for (let i = 0; i < board.workers.count; ++i)
                    alive += board.workers.get(i).phase !== "died"
                expect(alive === 0, "the board shows no live worker: " + alive)
            }
        },
        {
            name: "a new pool runs jobs",
            start: () => { board.startPool(); board.addJob(3, 10) },
            done: () => jobsEnded([14]),
            check: () => {
                expect(jobOf(14).phase === "done", "job 14 is done: " + jobOf(14).status)
                expect(board.poolsStarted === 2, "two pools started")
            }
        }
    ]

    function jobOf(id) {
        return board.jobs.get(id - 1)
    }

    function jobsEnded(ids) {
        return ids.every((id) => id <= board.jobs.count
                         && ["done", "failed", "cancelled"].indexOf(jobOf(id).phase) >= 0)
    }

    function expect(condition, what) {
        if (!condition) {
            console.error("selftest: FAILED at step " + (step + 1) + ": " + what)
            Qt.exit(1)
            throw new Error("selftest failed")
        }
    }

    function advance() {
        if (step >= 0 && !steps[step].done())
            return
        if (step >= 0) {
            steps[step].check()
            console.info("selftest: ok: " + steps[step].name)
        }
        ++step
        if (step === steps.length) {
            console.info("selftest: all " + steps.length + " steps passed")
            poll.running = false
            Qt.exit(0)
            return
        }
        steps[step].start()
    }

    property Timer poll: Timer {
        interval: 20
        repeat: true
        running: selfTest.board.pool !== null
        onTriggered: selfTest.advance()
    }

    property Timer timeout: Timer {
        interval: 90000
        running: true
        onTriggered: {
            console.error("selftest: timed out in step " + (selfTest.step + 1))
            Qt.exit(1)
        }
    }
}
