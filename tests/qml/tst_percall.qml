// SPDX-License-Identifier: MIT
// Per-call control from QML: the ForkRpcCall that ForkRpc.call() returns (cancel, progress,
// status, error kinds) and ForkRpc's callTimeoutMs. Worker functions: qml::job and qml::jobAsync
// in tests/qml/tst_qml.cpp, plus tests/testworkers.cpp's.
import QtQuick
import QtTest
import QForkRpc 1.0

TestCase {
    id: testCase
    name: "ForkRpcCall"

    // Records what a ForkRpc reports, in order, as short strings.
    Component {
        id: recordedComponent
        ForkRpc {
            property var log: []
            property var errors: []
            onEvent: (args) => log.push("event " + JSON.stringify(args))
            onError: (message) => { errors.push(message); log.push("error") }
        }
    }

    function make(properties) {
        const rpc = createTemporaryObject(recordedComponent, testCase, properties)
        verify(rpc !== null, "ForkRpc created")
        return rpc
    }

    // Records everything a ForkRpcCall signals, in order, into job.record (and into `log` too,
    // if given, to see the order against other things).
    function follow(job, log) {
        const record = log || []
        job.statusChanged.connect(() => record.push("status " + job.status))
        job.progressChanged.connect(() => record.push("progress " + job.progress + "/" + job.maximum
                                                       + (job.pending ? " pending" : " ended")))
        job.answered.connect((results) => record.push("answered " + JSON.stringify(results)))
        job.failed.connect((message, error) => record.push("failed " + error + " " + message))
        job.cancelled.connect(() => record.push("cancelled"))
        return record
    }

    function backends_data() {
        return [ { tag: "sync", fn: "qml::job", async: false },
                 { tag: "async", fn: "qml::jobAsync", async: true } ]
    }

    function test_aCallReportsItsEnd() {
        const rpc = make({ functionName: "echo" })
        const log = []
        const job = rpc.call([1, "two"], (results) => log.push("callback " + JSON.stringify(results)))
        verify(job !== null)
        compare(job.status, ForkRpcCall.Pending)
        verify(job.pending)
        compare(job.error, ForkRpcCall.NoError)
        compare(job.errorString, "")
        verify(job.results === undefined)
        compare(job.progress, 0)
        compare(job.maximum, 0)
        compare(rpc.pending, 1)
        follow(job, log)
        tryCompare(job, "status", ForkRpcCall.Answered, 10000)
        verify(!job.pending)
        compare(job.results, [1, "two"])
        compare(log, ["status " + ForkRpcCall.Answered, 'answered [1,"two"]', 'callback [1,"two"]'])
        compare(rpc.pending, 0)
        verify(!job.cancel(), "an answered call cannot be cancelled")
        compare(job.status, ForkRpcCall.Answered)
        compare(rpc.errors, [])
    }

    function test_callbacksKeepTheirPlaceAmongEvents() {
        // Results are reported when they are read, not later through the event loop.
        const rpc = make({ functionName: "events" })
        rpc.call([2], (r) => rpc.log.push("result " + r[0]))
        rpc.call([1], (r) => rpc.log.push("result " + r[0]))
        tryCompare(rpc, "pending", 0, 10000)
        compare(rpc.log, ['event ["e",1]', 'event ["e",2]', "result 2", 'event ["e",1]', "result 1"])
    }

    function test_cancelQueuedCall_data() {
        return [ { tag: "behind a running call", first: true },
                 { tag: "before the worker started", first: false } ]
    }
    function test_cancelQueuedCall(data) {
        const rpc = make({ functionName: "qml::job" })
        const path = files.newPath()
        if (data.first)
            rpc.call(["append", path, "A", 300])
        let called = false
        const job = rpc.call(["append", path, "B"], () => { called = true })
        const record = follow(job)
        verify(job.cancel(), "a pending call is cancelled")
        compare(job.status, ForkRpcCall.Cancelled, "at once")
        verify(!job.pending)
        compare(record, ["status " + ForkRpcCall.Cancelled, "cancelled"])
        verify(!job.cancel(), "only once")

        let contents = undefined
        rpc.call(["append", path, "C"], (r) => { contents = r[0] })
        tryVerify(() => contents !== undefined, 10000, "the call after it answers")
        compare(contents, data.first ? "AC" : "C", "the cancelled call never ran")
        compare(files.read(path), contents)
        wait(50)
        verify(!called, "a cancelled call's callback is not called")
        compare(rpc.errors, [], "cancelling is no error")
        compare(record.length, 2, "nothing more from a cancelled call")
        compare(rpc.pending, 0)
        verify(rpc.running)
    }

    function test_cancelRunningCall_data() { return backends_data() }
    function test_cancelRunningCall(data) {
        const rpc = make({ functionName: data.fn, async: data.async })
        const path = files.newPath()
        let called = false
        const job = rpc.call(["untilCancelled", path, 20000], () => { called = true })
        const record = follow(job)
        tryVerify(() => rpc.log.indexOf('event ["running"]') >= 0, 10000, "the call runs")
        compare(job.status, ForkRpcCall.Pending)
        const cancelledAt = Date.now()
        verify(job.cancel())
        compare(job.status, ForkRpcCall.Cancelled)
        tryVerify(() => files.read(path) === "cancelled", 10000,
                  "the worker sees isCancelled(): " + files.read(path))
        verify(Date.now() - cancelledAt < 10000, "and stops early")
        tryCompare(rpc, "pending", 0, 10000)
        wait(100)
        verify(!called, "its results are dropped")
        compare(record, ["status " + ForkRpcCall.Cancelled, "cancelled"])
        compare(rpc.errors, [], "cancelling is no error")
        verify(rpc.running, "the worker goes on")

        // The next call is not cancelled: the worker gave up waiting, nobody cancelled it.
        const path2 = files.newPath()
        let results = undefined
        rpc.call(["untilCancelled", path2, 50], (r) => { results = r })
        tryVerify(() => results !== undefined, 10000)
        compare(results, ["not cancelled"])
    }

    function test_timeout_data() { return backends_data() }
    function test_timeout(data) {
        const rpc = make({ functionName: data.fn, async: data.async, callTimeoutMs: 300 })
        compare(rpc.callTimeoutMs, 300)
        let results = undefined
        rpc.call(["sleep", 10], (r) => { results = r })
        tryVerify(() => results !== undefined, 10000, "a call within the time answers")

        let called = false
        const slow = rpc.call(["sleep", 20000], () => { called = true })
        const record = follow(slow)
        const startedAt = Date.now()
        tryCompare(slow, "status", ForkRpcCall.Failed, 10000)
        verify(Date.now() - startedAt < 10000)
        compare(slow.error, ForkRpcCall.TimedOut)
        const message = slow.errorString
        verify(message.indexOf("300") >= 0, "names the time: " + message)
        verify(message.indexOf(data.fn) >= 0, "names the function: " + message)
        verify(/time/i.test(message), "says it timed out: " + message)
        compare(record, ["status " + ForkRpcCall.Failed,
                         "failed " + ForkRpcCall.TimedOut + " " + message])
        tryCompare(rpc.errors, "length", 1, 10000)
        compare(rpc.errors[0], message, "error() reports the same text")
        tryCompare(rpc, "running", false, 10000) // the stuck worker was killed
        wait(100)
        compare(rpc.errors.length, 1, "one fault, one error()")
        verify(!called)
    }

    function test_timeoutFailsTheOtherCallsOfTheWorker() {
        const rpc = make({ functionName: "qml::job", callTimeoutMs: 200 })
        const slow = rpc.call(["sleep", 20000])
        const queued = rpc.call(["sleep", 0])
        tryCompare(queued, "status", ForkRpcCall.Failed, 10000)
        compare(slow.status, ForkRpcCall.Failed)
        compare(slow.error, ForkRpcCall.TimedOut)
        compare(queued.error, ForkRpcCall.NotRun, "it never ran: " + queued.errorString)
        tryCompare(rpc, "running", false, 10000)
        wait(100)
        compare(rpc.errors.length, 1, "one error() for the worker")
    }

    function test_callTimeoutIsASetting() {
        const rpc = make({ functionName: "echo" })
        compare(rpc.callTimeoutMs, 0, "no limit by default")
        ignoreWarning(/callTimeoutMs cannot change once the worker has started/)
        rpc.callTimeoutMs = 5
        compare(rpc.callTimeoutMs, 0)
        const later = make({})
        ignoreWarning(/callTimeoutMs must be 0 \(no limit\) or more, not -1/)
        later.callTimeoutMs = -1
        compare(later.callTimeoutMs, 0)
    }

    function test_progressReachesQml_data() {
        // 7 of 10 at full speed: most updates are coalesced, the last one must still arrive.
        return [
            { tag: "sync, fast", fn: "qml::job", async: false, steps: 7, maximum: 10, ms: 0 },
            { tag: "async, fast", fn: "qml::jobAsync", async: true, steps: 7, maximum: 10, ms: 0 },
            { tag: "sync, slow", fn: "qml::job", async: false, steps: 3, maximum: 3, ms: 150 },
            { tag: "async, slow", fn: "qml::jobAsync", async: true, steps: 3, maximum: 3, ms: 150 },
        ]
    }
    function test_progressReachesQml(data) {
        const rpc = make({ functionName: data.fn, async: data.async })
        let seenInCallback = null
        const job = rpc.call(["progress", data.steps, data.maximum, data.ms],
                             (r) => { seenInCallback = [r[0], job.progress, job.maximum] })
        const values = []
        job.progressChanged.connect(() => values.push([job.progress, job.maximum, job.pending]))
        tryVerify(() => seenInCallback !== null, 10000)
        compare(seenInCallback, [data.steps, data.steps, data.maximum],
                "the exact last progress before the results")
        verify(values.length > 0)
        for (let i = 0; i < values.length; ++i) {
            verify(values[i][2], "progress only while the call is pending: " + JSON.stringify(values))
            compare(values[i][1], data.maximum)
            if (i > 0)
                verify(values[i][0] > values[i - 1][0], "it only grows: " + JSON.stringify(values))
        }
        compare(values[values.length - 1][0], data.steps)
        const count = values.length
        wait(200)
        compare(values.length, count, "no progress after the results")
        compare(job.progress, data.steps)
        if (data.ms > 0)
            verify(values.length >= 2, "updates come while the call runs: " + JSON.stringify(values))
    }

    function test_progressFeedsBindings() {
        const rpc = make({ functionName: "qml::job" })
        const job = rpc.call(["progress", 4, 8, 50])
        // (and ForkRpcCall is a type that properties can have)
        const bar = createTemporaryQmlObject(
            "import QtQuick; import QForkRpc 1.0; Item { property ForkRpcCall job: null;"
            + " property real ratio: job && job.maximum > 0 ? job.progress / job.maximum : 0 }",
            testCase)
        compare(bar.ratio, 0)
        bar.job = job
        tryCompare(job, "status", ForkRpcCall.Answered, 10000)
        compare(bar.ratio, 0.5)
    }

    function test_failureKinds() {
        const rpc = make({ functionName: "throwing" })
        const job = rpc.call(["no such file"], () => fail("called"))
        const record = follow(job)
        tryCompare(job, "status", ForkRpcCall.Failed, 10000)
        compare(job.error, ForkRpcCall.Threw)
        verify(job.errorString.indexOf("no such file") >= 0, job.errorString)
        compare(record, ["status " + ForkRpcCall.Failed,
                         "failed " + ForkRpcCall.Threw + " " + job.errorString])
        tryCompare(rpc.errors, "length", 1, 10000)
        compare(rpc.errors[0], job.errorString, "error() as before, with the same text")
        verify(job.results === undefined)
        verify(!job.cancel(), "a failed call cannot be cancelled")
        verify(rpc.running)
    }

    function test_refusedCallReportsAfterCallReturned() {
        // json cannot carry bytes: refused at once, yet reported after call() returned, so a
        // handler connected to the returned object hears it.
        const rpc = make({ functionName: "echo", serialiser: "json" })
        const job = rpc.call([new ArrayBuffer(1)])
        compare(job.status, ForkRpcCall.Pending)
        const record = follow(job)
        tryCompare(job, "status", ForkRpcCall.Failed, 10000)
        compare(job.error, ForkRpcCall.Refused)
        compare(record.length, 2)
        tryCompare(rpc.errors, "length", 1, 10000)
        compare(rpc.errors[0], job.errorString)
    }

    function test_crashKinds() {
        const rpc = make({ functionName: "die" })
        const running = rpc.call(["segv"])
        const queued = rpc.call(["exit", 0])
        tryCompare(queued, "status", ForkRpcCall.Failed, 10000)
        compare(running.status, ForkRpcCall.Failed)
        compare(running.error, ForkRpcCall.WorkerDied)
        compare(queued.error, ForkRpcCall.NotRun)
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("signal 11") >= 0, rpc.errors[0])
    }

    function test_aDiscardedCallStillAnswers() {
        const rpc = make({ functionName: "qml::job" })
        let results = undefined
        rpc.call(["sleep", 200], (r) => { results = r }) // nobody keeps the ForkRpcCall
        gc()
        wait(0)
        gc()
        tryVerify(() => results !== undefined, 10000, "the garbage collector kept it")
        compare(results, [200])
    }

    function test_endedCallsAreCollected() {
        const rpc = make({ functionName: "echo" })
        let answered = false
        const id = objects.track(rpc.call([1], () => { answered = true }))
        verify(objects.alive(id))
        gc()
        verify(objects.alive(id), "kept while pending")
        tryVerify(() => answered, 10000)
        tryVerify(() => { gc(); return !objects.alive(id) }, 10000,
                  "deleted by the garbage collector once it ended and nobody holds it")
    }

    function test_deletingTheForkRpcDeletesItsPendingCalls() {
        const rpc = make({ functionName: "qml::job" })
        let called = false
        const done = rpc.call(["sleep", 0])
        tryCompare(done, "status", ForkRpcCall.Answered, 10000)
        const job = rpc.call(["sleep", 60000], () => { called = true })
        const id = objects.track(job)
        const doneId = objects.track(done)
        rpc.destroy()
        tryVerify(() => !objects.alive(id), 10000)
        verify(objects.alive(doneId), "an ended call belongs to JavaScript")
        compare(done.results, [0])
        verify(!called)
    }
}
