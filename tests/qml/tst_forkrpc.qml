// SPDX-License-Identifier: MIT
// ForkRpc from QML: calls with callbacks, JavaScript values both ways, events, errors, finish,
// crashes, and the start rules. Worker functions: tests/testworkers.cpp and tests/qml/tst_qml.cpp.
import QtQuick
import QtTest
import QForkRpc 1.0

TestCase {
    id: testCase
    name: "ForkRpc"

    Component {
        id: rpcComponent
        ForkRpc { }
    }

    // Records what a ForkRpc reports, in order, as short strings.
    Component {
        id: recordedComponent
        ForkRpc {
            property var log: []
            property var errors: []
            property int destroyedCount: 0
            onEvent: (args) => log.push("event " + JSON.stringify(args))
            onError: (message) => { errors.push(message); log.push("error") }
            onDestroyed: { ++destroyedCount; log.push("destroyed") }
        }
    }

    // Only an event handler: errors come as event(["error", message]).
    Component {
        id: eventOnlyComponent
        ForkRpc {
            property var events: []
            onEvent: (args) => events.push(args)
        }
    }

    function make(properties, component) {
        const rpc = createTemporaryObject(component || recordedComponent, testCase, properties)
        verify(rpc !== null, "ForkRpc created")
        return rpc
    }

    // Calls rpc with args and waits for the callback; returns its results.
    function callAndWait(rpc, args) {
        let results = undefined
        rpc.call(args, (r) => { results = r })
        tryVerify(() => results !== undefined, 10000, "callback called")
        return results
    }

    function bytes(list) {
        const buffer = new ArrayBuffer(list.length)
        const view = new Uint8Array(buffer)
        for (let i = 0; i < list.length; ++i)
            view[i] = list[i]
        return buffer
    }

    function bytesOf(buffer) {
        verify(buffer instanceof ArrayBuffer, "an ArrayBuffer: " + buffer)
        return Array.from(new Uint8Array(buffer))
    }

    function test_startsAtCompletion() {
        const rpc = make({ functionName: "echo" })
        verify(rpc.running, "the worker starts when the component is complete")
        compare(rpc.function, "echo")
        compare(rpc.pending, 0)
    }

    function test_startsAtFirstCallWithoutFunctionAtCompletion() {
        const rpc = make({})
        verify(!rpc.running)
        rpc.function = "echo" // the C++ name works from JavaScript
        compare(rpc.functionName, "echo")
        verify(!rpc.running)
        compare(callAndWait(rpc, [5]), [5])
        verify(rpc.running)
    }

    function test_echoRoundTrip_data() {
        return [
            { tag: "datastream", serialiser: "datastream", fn: "echo" },
            { tag: "cbor", serialiser: "cbor", fn: "echo" },
            { tag: "datastream async", serialiser: "datastream", fn: "echoAsync", async: true },
        ]
    }
    function test_echoRoundTrip(data) {
        const rpc = make({ functionName: data.fn, serialiser: data.serialiser, async: !!data.async })
        const args = [42, -7, 3.5, 2147483648, "zwölf ✓", true, false, null,
                      [1, [2, "three"]], { a: 1, b: { c: [true, "x"] } }, ""]
        const results = callAndWait(rpc, args)
        compare(results.length, args.length)
        for (let i = 0; i < args.length; ++i)
            compare(JSON.stringify(results[i]), JSON.stringify(args[i]), "argument " + i)
        compare(rpc.errors, [])
    }

    function serialisers_data() {
        return [ { tag: "datastream", serialiser: "datastream" }, { tag: "cbor", serialiser: "cbor" } ]
    }

    function test_arrayBuffersRoundTrip_data() { return serialisers_data() }
    function test_arrayBuffersRoundTrip(data) {
        const rpc = make({ functionName: "echo", serialiser: data.serialiser })
        const typed = new Uint8Array([9, 8, 7, 6, 5])
        const results = callAndWait(rpc, [bytes([0, 1, 127, 128, 255]), new ArrayBuffer(0),
                                          typed.subarray(1, 4)])
        compare(bytesOf(results[0]), [0, 1, 127, 128, 255])
        compare(bytesOf(results[1]), [])
        compare(bytesOf(results[2]), [8, 7, 6], "a typed array sends the bytes it views")
    }

    function test_datesAndUndefinedRoundTrip_data() { return serialisers_data() }
    function test_datesAndUndefinedRoundTrip(data) {
        const rpc = make({ functionName: "echo", serialiser: data.serialiser })
        const when = new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250))
        const results = callAndWait(rpc, [when, undefined, null])
        verify(results[0] instanceof Date, "a Date comes back as a Date")
        compare(results[0].getTime(), when.getTime())
        compare(results.length, 3)
        verify(results[1] === undefined, "undefined stays undefined: " + results[1])
        verify(results[2] === null, "null stays null: " + results[2])
    }

    function test_whatTheWorkerSees() {
        const rpc = make({ functionName: "qml::typeNames" })
        const names = callAndWait(rpc, [1, 1.5, 2147483648, "s", true, null, undefined,
                                        bytes([1]), [1], { k: 1 }, new Date()])
        compare(names, ["int", "double", "qlonglong", "QString", "bool", "std::nullptr_t",
                        "invalid", "QByteArray", "QVariantList", "QVariantMap", "QDateTime"])
    }

    function test_argumentsOtherThanAnArray() {
        const rpc = make({ functionName: "echo" })
        compare(callAndWait(rpc, "one"), ["one"], "a single value is one argument")
        compare(callAndWait(rpc, undefined), [], "undefined is no arguments")
        compare(callAndWait(rpc, []), [])
    }

    function test_unpassableValuesThrow() {
        const rpc = make({ functionName: "echo" })
        let threw = ""
        try {
            rpc.call([1, () => 2], (r) => fail("called"))
        } catch (e) {
            threw = String(e)
        }
        verify(threw.indexOf("TypeError") === 0, threw)
        verify(threw.indexOf("function") > 0, threw)
        const cyclic = {}
        cyclic.self = cyclic
        threw = ""
        try { rpc.call([cyclic]) } catch (e) { threw = String(e) }
        verify(threw.indexOf("nested") > 0, threw)
        threw = ""
        try { rpc.call([1], 42) } catch (e) { threw = String(e) }
        verify(threw.indexOf("not a function") > 0, threw)
        compare(rpc.pending, 0)
    }

    function test_callsQueueAndAnswerInOrder() {
        const rpc = make({ functionName: "echo" })
        const order = []
        for (let i = 0; i < 20; ++i)
            rpc.call([i], (r) => order.push(r[0]))
        compare(rpc.pending, 20)
        tryCompare(rpc, "pending", 0, 10000)
        compare(order.length, 20)
        for (let i = 0; i < 20; ++i)
            compare(order[i], i)
    }

    function test_callWithoutCallback() {
        const rpc = make({ functionName: "echo" })
        rpc.call([1])
        compare(rpc.pending, 1)
        tryCompare(rpc, "pending", 0, 10000)
        compare(rpc.errors, [])
    }

    function test_eventsArriveBeforeTheirResult_data() {
        return [ { tag: "sync", fn: "events", async: false }, { tag: "async", fn: "eventsAsync", async: true } ]
    }
    function test_eventsArriveBeforeTheirResult(data) {
        const rpc = make({ functionName: data.fn, async: data.async })
        rpc.call([3], (r) => rpc.log.push("result " + JSON.stringify(r)))
        tryCompare(rpc, "pending", 0, 10000)
        compare(rpc.log, ['event ["e",1]', 'event ["e",2]', 'event ["e",3]', "result [3]"])
    }

    function test_eventsCarryJavaScriptValues() {
        const rpc = make({ functionName: "qml::richEvent" })
        let eventArgs = null
        rpc.event.connect((args) => { eventArgs = args })
        const results = callAndWait(rpc, [])
        verify(eventArgs !== null)
        compare(bytesOf(eventArgs[0]), [0, 1, 255])
        compare(eventArgs[1], { n: 7, s: "seven" })
        compare(bytesOf(results[0]), [0, 1, 255])
    }

    function test_countdownOnTimers() {
        // Example 2 of the original: an async worker with its own event loop.
        const rpc = make({ functionName: "countdown", async: true })
        let done = false
        rpc.call([3, 10], () => { done = true })
        tryVerify(() => done, 10000)
        compare(rpc.log, ['event ["starting to count up to 3\\n"]', 'event ["count 1 of 3\\n"]',
                          'event ["count 2 of 3\\n"]', 'event ["count 3 of 3\\n"]'])
    }

    function test_exceptionIsAnErrorAndTheWorkerGoesOn() {
        const rpc = make({ functionName: "throwing" })
        let called = false
        rpc.call(["no such file"], () => { called = true })
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("no such file") >= 0, rpc.errors[0])
        verify(!called, "the callback of a failed call is not called")
        verify(rpc.running, "an exception does not end the worker")
        compare(rpc.pending, 0)
        rpc.finish()
        tryCompare(rpc, "destroyedCount", 1, 10000)
    }

    function test_errorsGoToEventWithoutAnErrorHandler() {
        const rpc = make({ functionName: "throwing" }, eventOnlyComponent)
        rpc.call(["oops"])
        tryCompare(rpc.events, "length", 1, 10000)
        compare(rpc.events[0][0], "error")
        verify(rpc.events[0][1].indexOf("oops") >= 0, rpc.events[0][1])
    }

    function test_finishThenDestroyed() {
        const rpc = make({ functionName: "sleep" })
        const results = []
        rpc.call([50, "a"], (r) => results.push(r[0]))
        rpc.call([0, "b"], (r) => results.push(r[0]))
        rpc.finish()
        verify(rpc.running, "queued calls still run after finish()")
        tryCompare(rpc, "destroyedCount", 1, 10000)
        compare(results, ["a", "b"])
        verify(!rpc.running)
        compare(rpc.pending, 0)
        compare(rpc.log[rpc.log.length - 1], "destroyed")
        compare(rpc.errors, [])
    }

    function test_callAfterFinishIsAnError() {
        const rpc = make({ functionName: "echo" })
        rpc.finish()
        rpc.call([1], () => fail("a call after finish() ran"))
        tryCompare(rpc, "destroyedCount", 1, 10000)
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("finish()") >= 0, rpc.errors[0])
    }

    function test_finishBeforeStart() {
        const rpc = make({})
        rpc.function = "echo"
        rpc.finish()
        tryCompare(rpc, "destroyedCount", 1, 10000)
        verify(!rpc.running)
    }

    function test_crashIsAnError_data() {
        return [ { tag: "sync", fn: "die", async: false }, { tag: "async", fn: "dieAsync", async: true } ]
    }
    function test_crashIsAnError(data) {
        const rpc = make({ functionName: data.fn, async: data.async })
        let called = false
        rpc.call(["segv"], () => { called = true })
        rpc.call(["never"], () => { called = true })
        compare(rpc.pending, 2)
        tryCompare(rpc.errors, "length", 1, 10000)
        const message = rpc.errors[0]
        verify(message.indexOf("signal 11") >= 0, message)
        const lost = data.async ? "2 call(s) were running"
                                : "1 call(s) were running, 1 call(s) never ran"
        verify(message.indexOf(lost) >= 0, message)
        tryCompare(rpc, "running", false, 10000)
        compare(rpc.pending, 0)
        verify(!called, "callbacks of failed calls are not called")
        rpc.call([1])
        tryCompare(rpc.errors, "length", 2, 10000)
        verify(rpc.errors[1].indexOf("no longer running") >= 0, rpc.errors[1])
        rpc.finish()
        tryCompare(rpc, "destroyedCount", 1, 10000)
        compare(rpc.errors.length, 2, "destroyed() after finish() adds no error")
    }

    function test_exitWithoutAnswer() {
        const rpc = make({ functionName: "die" })
        rpc.call(["exit", 3])
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("exited with code 3") >= 0, rpc.errors[0])
        tryCompare(rpc, "running", false, 10000)
    }

    function test_unknownFunctionFailsToStart() {
        const rpc = make({ functionName: "no such function" })
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("no such function") >= 0, rpc.errors[0])
        tryCompare(rpc, "running", false, 10000)
    }

    function test_unknownSerialiserFailsToStart() {
        const rpc = make({ functionName: "echo", serialiser: "nope" })
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("nope") >= 0, rpc.errors[0])
        tryCompare(rpc, "running", false, 10000)
    }

    function test_refusedCallKeepsTheWorker() {
        // json cannot carry bytes: the call is refused, the worker runs on.
        const rpc = make({ functionName: "echo", serialiser: "json" })
        rpc.call([bytes([1])], () => fail("refused call ran"))
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.running)
        compare(callAndWait(rpc, [1, "x"]), [1, "x"])
    }

    function test_initAndInitArgs() {
        const rpc = make({ functionName: "initArgs", init: "storeInit",
                           initArgs: ["db", 3, { k: [1] }] })
        const results = callAndWait(rpc, [])
        compare(results[0], true, "init ran")
        compare(results[1], ["db", 3, { k: [1] }])
    }

    function test_programStartsAWorkerExecutable() {
        const rpc = make({ functionName: "programWorker", program: workerProgram })
        const results = callAndWait(rpc, ["hi"])
        compare(results[0], "program")
        compare(results[2], "hi")
    }

    function test_commandStartsAWorkerBehindIt() {
        // Spawn::Command: the worker program behind a command (here run directly; ssh in C++'s
        // tst_remote), talking over its stdin and stdout.
        const rpc = make({ functionName: "programWorker", command: [workerProgram] })
        compare(rpc.command, [workerProgram])
        const results = callAndWait(rpc, ["over stdio"])
        compare(results[0], "program")
        compare(results[2], "over stdio")
    }

    function test_settingsAreFixedOnceStarted() {
        const rpc = make({ functionName: "echo" })
        ignoreWarning(/function cannot change once the worker has started/)
        rpc.functionName = "events"
        compare(rpc.function, "echo")
        ignoreWarning(/async cannot change once the worker has started/)
        rpc.async = true
        verify(!rpc.async)
    }

    function test_throwingCallbackIsReported() {
        const rpc = make({ functionName: "echo" })
        ignoreWarning(/callback threw: Error: boom/)
        let after = false
        rpc.call([1], () => { throw new Error("boom") })
        rpc.call([2], () => { after = true })
        tryVerify(() => after, 10000, "later callbacks still run")
    }

    function test_deletingTheObjectEndsTheWorker() {
        const rpc = createTemporaryObject(recordedComponent, testCase, { functionName: "qml::pidAfter" })
        const pid = callAndWait(rpc, [0])[0]
        verify(pid > 0)
        verify(processes.exists(pid))
        let seen = false
        rpc.destroyed.connect(() => { seen = true })
        rpc.call([60000], () => { seen = true })
        rpc.destroy()
        tryVerify(() => !processes.exists(pid), 10000, "the worker is killed and reaped")
        wait(50)
        verify(!seen, "QObject's destroyed(QObject *) does not reach onDestroyed, and pending callbacks are dropped")
    }

    function test_runningFollowsAWorkerKilledFromOutside() {
        const rpc = make({ functionName: "describe" })
        const pid = callAndWait(rpc, [])[0]
        verify(rpc.running)
        processes.kill(pid)
        tryCompare(rpc, "running", false, 10000)
        tryCompare(rpc.errors, "length", 1, 10000)
        verify(rpc.errors[0].indexOf("signal 9") >= 0, rpc.errors[0])
    }
}
