// SPDX-License-Identifier: MIT
// qforkrpc-qml-demo --selftest: clicks through the job board as a user would and checks what it
// shows, step by step; exits 0 when every step passed, 1 at the first failure or after 60 s.
import QtQuick
import QForkRpc 1.0

QtObject {
    id: selfTest

    required property var board

    property int step: -1
    property bool started: false

    // Each step starts something, then waits (polling) until `done` holds.
    readonly property var steps: [
        {
            name: "three jobs run to completion, with their calls' progress",
            start: () => { board.addJob(5, 20); board.addJob(8, 10); board.addJob(3, 30) },
            done: () => jobsDone([1, 2, 3]) && board.worker.pending === 0,
            check: () => {
                for (let id = 1; id <= 3; ++id) {
                    const job = board.jobs.get(id - 1)
                    expect(job.progress === 1, "job " + id + " progress is 1, not " + job.progress)
                    expect(/steps done in process \d+/.test(job.status), "job " + id + " status: " + job.status)
                }
                expect(board.errors.length === 0, "no errors: " + board.errors)
            }
        },
        {
            name: "a cancelled job stops without an answer or an error",
            start: () => { board.addJob(1000, 20); board.cancelJob(4) },
            done: () => board.worker.pending === 0,
            check: () => {
                const job = board.jobs.get(3)
                expect(job.status === "cancelled", "job 4 status: " + job.status)
                expect(job.progress < 1, "job 4 did not run to its end")
                expect(board.calls[4].status === ForkRpcCall.Cancelled, "its call is cancelled")
                expect(board.errors.length === 0, "cancelling is no error: " + board.errors)
            }
        },
        {
            name: "a crash is reported, ends the worker and loses its job",
            start: () => { board.addJob(1000, 50); board.crashWorker() },
            done: () => !board.worker.running && board.errors.length > 0,
            check: () => {
                expect(board.errors[0].indexOf("signal 11") >= 0, "the error names SIGSEGV: " + board.errors[0])
                expect(board.jobs.get(4).status.indexOf("lost") === 0, "job 5 is lost: " + board.jobs.get(4).status)
                expect(board.calls[5].error === ForkRpcCall.WorkerDied, "its call says why")
                expect(board.worker.pending === 0, "nothing pending")
            }
        },
        {
            name: "a new worker runs jobs",
            start: () => { board.startWorker(); board.addJob(4, 10) },
            done: () => jobsDone([6]),
            check: () => expect(board.workersStarted === 2, "two workers started")
        },
        {
            name: "finish lets the queued job end, then the worker is gone",
            start: () => { board.addJob(5, 10); board.finishWorker() },
            done: () => board.finished,
            check: () => {
                expect(jobsDone([7]), "job 7 ended before destroyed()")
                expect(!board.worker.running, "the worker is no longer running")
                expect(board.errors.length === 2 && board.errors[1] === "the worker has finished",
                       "no error from finishing: " + board.errors)
            }
        }
    ]

    function jobsDone(ids) {
        return ids.every((id) => id <= board.jobs.count && board.jobs.get(id - 1).done)
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
        running: selfTest.board.worker !== null
        onTriggered: selfTest.advance()
    }

    property Timer timeout: Timer {
        interval: 60000
        running: true
        onTriggered: {
            console.error("selftest: timed out in step " + (selfTest.step + 1))
            Qt.exit(1)
        }
    }
}
