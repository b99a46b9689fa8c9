// SPDX-License-Identifier: MIT
// ForkRpcPool from QML: calls spread over workers, in order, per-call control (ForkRpcCall), a
// crash that fails only its own call, finish, maxQueuedCalls, workerCount and the settings.
// Worker function: qml::job (and qml::jobAsync) in tests/qml/tst_qml.cpp.
import QtQuick
import QtTest
import QForkRpc 1.0

TestCase {
    id: testCase
    name: "ForkRpcPool"

    // Records what a ForkRpcPool reports, in order, as short strings.
    Component {
        id: poolComponent
        ForkRpcPool {
            property var log: []
            property var errors: []
            property int destroyedCount: 0
            property var workerCounts: [] // every value workerCount took, in order
            functionName: "qml::job"
            startDelayMs: 0
            onEvent: (args) => log.push("event " + JSON.stringify(args))
            onError: (message) => { errors.push(message); log.push("error") }
            onDestroyed: { ++destroyedCount; log.push("destroyed") }
            onWorkerCountChanged: workerCounts.push(workerCount)
        }
    }

    function make(properties) {
        const pool = createTemporaryObject(poolComponent, testCase, properties)
        verify(pool !== null, "ForkRpcPool created")
        return pool
    }

    function distinct(values) {
        return values.filter((value, index) => values.indexOf(value) === index)
    }

    function test_settings() {
        const pool = createTemporaryQmlObject("import QForkRpc 1.0; ForkRpcPool { }", testCase)
        // QForkRpcPool::Options' defaults
        compare(pool.max, 0)
        compare(pool.idle, 0)
        compare(pool.load, 2)
        compare(pool.startDelayMs, 100)
        compare(pool.stopDelayMs, 10000)
        compare(pool.maxCallsPerWorker, 0)
        compare(pool.retries, 0)
        compare(pool.cancelKillAfterMs, 1000)
        compare(pool.maxQueuedCalls, 0)
        // and ForkRpc's
        compare(pool.async, false)
        compare(pool.serialiser, "datastream")
        compare(pool.callTimeoutMs, 0)
        verify(!pool.running, "no function at completion: not started")
        compare(pool.workerCount, 0)
        compare(pool.pendingCalls, 0)

        ignoreWarning(/ForkRpcPool: load must be 1 or more, not 0/)
        pool.load = 0
        compare(pool.load, 2)
        ignoreWarning(/ForkRpcPool: cancelKillAfterMs must be -1 \(never\) or more, not -2/)
        pool.cancelKillAfterMs = -2
        compare(pool.cancelKillAfterMs, 1000)
        pool.cancelKillAfterMs = -1
        compare(pool.cancelKillAfterMs, -1)

        pool.function = "echo"
        let results = undefined
        pool.call([1], (r) => { results = r })
        verify(pool.running, "started by the first call")
        ignoreWarning(/ForkRpcPool: max cannot change once the pool has started/)
        pool.max = 3
        compare(pool.max, 0)
        ignoreWarning(/ForkRpcPool: callTimeoutMs cannot change once the pool has started/)
        pool.callTimeoutMs = 5
        compare(pool.callTimeoutMs, 0)
        tryVerify(() => results !== undefined, 10000)
        compare(results, [1])
    }

    function test_callsSpreadOverWorkers() {
        const pool = make({ max: 2, load: 1 })
        verify(pool.running)
        compare(pool.workerCount, 0, "no idle workers asked for: none yet")
        // Bindings follow workerCount and pendingCalls (their notify signals work).
        const view = createTemporaryQmlObject(
            "import QtQuick; import QForkRpc 1.0; Item { property ForkRpcPool pool: null;"
            + " property int workers: pool ? pool.workerCount : -1;"
            + " property int calls: pool ? pool.pendingCalls : -1 }", testCase)
        view.pool = pool
        compare(view.workers, 0)
        compare(view.calls, 0)
        const answers = []
        for (let i = 0; i < 6; ++i)
            pool.call(["pid", 300, i], (r) => answers.push(r))
        compare(pool.pendingCalls, 6)
        compare(pool.pending, pool.pendingCalls)
        compare(view.calls, 6)
        tryCompare(pool, "workerCount", 2, 10000)
        compare(view.workers, 2)
        tryCompare(answers, "length", 6, 20000)
        compare(answers.map((r) => r[1]).sort(), [0, 1, 2, 3, 4, 5], "every call answered once")
        const pids = distinct(answers.map((r) => r[0]))
        compare(pids.length, 2, "two workers shared the calls: " + JSON.stringify(answers))
        verify(pids.every((pid) => processes.exists(pid)), "both still there")
        compare(pool.pendingCalls, 0)
        compare(view.calls, 0)
        verify(pool.workerCounts.every((count) => count <= 2), "max 2: " + pool.workerCounts)
        compare(pool.errors, [])
    }

    function test_workersBehindACommand() {
        const pool = make({ functionName: "programWorker", command: [workerProgram], max: 2,
                            load: 1 })
        const answers = []
        for (let i = 0; i < 4; ++i)
            pool.call([i], (r) => answers.push(r))
        tryCompare(answers, "length", 4, 20000)
        compare(answers.map((r) => r[2]).sort(), [0, 1, 2, 3])
        verify(answers.every((r) => r[0] === "program"))
        compare(pool.errors, [])
    }

    function test_callsRunInOrder() {
        // One worker, one call at a time: the queue is first come, first served.
        const pool = make({ max: 1, load: 1 })
        const order = []
        for (let i = 0; i < 8; ++i)
            pool.call(["pid", i % 2 ? 20 : 0, i], (r) => order.push(r[1]))
        tryCompare(order, "length", 8, 20000)
        compare(order, [0, 1, 2, 3, 4, 5, 6, 7])
        compare(pool.workerCount, 1)
    }

    function test_idleWorkersAndStopDelay() {
        const pool = make({ idle: 2, max: 3, stopDelayMs: 100 })
        tryCompare(pool, "workerCount", 2, 10000, "idle workers start at once")
        const many = make({ max: 2, load: 1, stopDelayMs: 100 })
        let answered = 0
        many.call(["pid", 200, 1], () => ++answered)
        many.call(["pid", 200, 2], () => ++answered)
        tryCompare(many, "workerCount", 2, 10000)
        tryCompare(many, "workerCount", 0, 10000, "idle workers stop after stopDelayMs")
        compare(answered, 2)
        compare(pool.workerCount, 2, "down to idle, not below")
    }

    function test_cancel_data() {
        return [ { tag: "sync", fn: "qml::job", async: false },
                 { tag: "async", fn: "qml::jobAsync", async: true } ]
    }
    function test_cancel(data) {
        const pool = make({ functionName: data.fn, async: data.async, max: 1, load: 1 })
        const path = files.newPath()
        const queuedPath = files.newPath()
        let called = false
        const running = pool.call(["untilCancelled", path, 20000], () => { called = true })
        const queued = pool.call(["append", queuedPath, "never"], () => { called = true })
        tryVerify(() => pool.log.indexOf('event ["running"]') >= 0, 10000, "the first call runs")
        compare(pool.pendingCalls, 2)

        verify(queued.cancel(), "a queued call is cancelled")
        compare(queued.status, ForkRpcCall.Cancelled)
        verify(running.cancel(), "a running call is cancelled")
        compare(running.status, ForkRpcCall.Cancelled)
        tryVerify(() => files.read(path) === "cancelled", 10000,
                  "the worker sees isCancelled(): " + files.read(path))
        tryCompare(pool, "pendingCalls", 0, 10000)

        let results = undefined
        pool.call(["sleep", 0], (r) => { results = r })
        tryVerify(() => results !== undefined, 10000, "the pool goes on")
        compare(files.read(queuedPath), "", "the queued call never ran")
        verify(!called, "no callback of a cancelled call")
        compare(pool.errors, [], "cancelling is no error")
    }

    function test_progress() {
        const pool = make({ functionName: "qml::jobAsync", async: true, max: 2 })
        const job = pool.call(["progress", 4, 8, 50])
        const values = []
        job.progressChanged.connect(() => values.push(job.progress))
        tryCompare(job, "status", ForkRpcCall.Answered, 10000)
        compare(job.progress, 4)
        compare(job.maximum, 8)
        verify(values.length > 0 && values[values.length - 1] === 4, JSON.stringify(values))
        compare(job.results, [4])
    }

    function test_crashFailsOnlyItsOwnCall() {
        // load 1, max 2: the long call runs in one worker, the crash in the other.
        const pool = make({ max: 2, load: 1 })
        const answers = []
        const first = pool.call(["pid", 1000, "first"], (r) => answers.push(r[1]))
        const crash = pool.call(["crash"], () => fail("the crashed call answered"))
        const after = pool.call(["pid", 0, "after"], (r) => answers.push(r[1]))
        tryCompare(crash, "status", ForkRpcCall.Failed, 10000)
        compare(crash.error, ForkRpcCall.WorkerDied)
        tryCompare(answers, "length", 2, 20000)
        compare(answers.sort(), ["after", "first"], "the other calls answered")
        compare(first.status, ForkRpcCall.Answered)
        compare(after.status, ForkRpcCall.Answered)
        verify(pool.running, "the pool carries on")
        compare(pool.errors.length, 1, "one error for the crash: " + pool.errors)
        verify(pool.errors[0].indexOf("signal 11") >= 0, pool.errors[0])
        compare(pool.errors[0], crash.errorString)

        let results = undefined
        pool.call(["pid", 0, "later"], (r) => { results = r })
        tryVerify(() => results !== undefined, 10000, "a call after the crash answers")
        compare(results[1], "later")
        wait(50)
        compare(pool.errors.length, 1)
    }

    function test_finishThenDestroyed() {
        const pool = make({ max: 2, load: 1 })
        const order = []
        for (let i = 0; i < 4; ++i)
            pool.call(["pid", 50, i], (r) => order.push(r[1]))
        pool.finish()
        verify(pool.running, "running until destroyed()")
        tryCompare(pool, "destroyedCount", 1, 20000)
        compare(order.length, 4, "every call answered before destroyed()")
        compare(pool.log[pool.log.length - 1], "destroyed")
        verify(!pool.running)
        compare(pool.workerCount, 0)
        compare(pool.pendingCalls, 0)
        compare(pool.errors, [])

        const late = pool.call([1])
        tryCompare(late, "status", ForkRpcCall.Failed, 10000)
        compare(late.error, ForkRpcCall.Refused, "no call after finish()")
        wait(50)
        compare(pool.destroyedCount, 1)
    }

    function test_maxQueuedCalls() {
        // The first call goes to the worker; one more may wait, the next is refused at once.
        const pool = make({ max: 1, load: 1, maxQueuedCalls: 1 })
        const answers = []
        pool.call(["pid", 300, "running"], (r) => answers.push(r[1]))
        pool.call(["pid", 0, "queued"], (r) => answers.push(r[1]))
        const refused = pool.call(["pid", 0, "refused"], () => fail("a refused call answered"))
        tryCompare(refused, "status", ForkRpcCall.Failed, 10000)
        compare(refused.error, ForkRpcCall.Refused)
        tryCompare(pool.errors, "length", 1, 10000)
        compare(pool.errors[0], refused.errorString)
        tryCompare(answers, "length", 2, 10000)
        compare(answers, ["running", "queued"])
    }

    function test_deletingThePoolDeletesItsPendingCalls() {
        const pool = make({ max: 1 })
        const job = pool.call(["sleep", 60000], () => fail("called"))
        const id = objects.track(job)
        tryCompare(pool, "workerCount", 1, 10000)
        pool.destroy()
        tryVerify(() => !objects.alive(id), 10000)
    }
}
