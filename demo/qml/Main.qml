// SPDX-License-Identifier: MIT
// A job board on a pool of workers (ForkRpcPool, async backend). Every job is one call; the pool
// hands it to the least loaded worker, starting workers as jobs wait (up to `max`) and finishing
// them when they have been idle a while. Each job's call (ForkRpcCall) feeds its progress bar
// and can be cancelled. "Crash a worker" adds a job whose worker dies of SIGSEGV after a few
// steps: only that job is lost, the pool reports the crash and goes on with a fresh worker.
// The workers are shown as the jobs' events name them ("started", job, pid).
import QtQuick
import QtQuick.Controls.Fusion
import QtQuick.Layouts
import QForkRpc 1.0

ApplicationWindow {
    id: jobBoard

    required property bool selftest
    required property string screenshot // a file name: run Screenshot.qml, save the board there

    property ForkRpcPool pool: null
    property int poolsStarted: 0
    property bool finishing: false // Finish was clicked
    property bool finished: false // destroyed() arrived after finish()
    property int mostWorkers: 0 // the most workers the pool had at once
    property int workersShown: 0 // the live workers in `workers`
    property var errors: [] // every error() of the pool
    property var calls: ({}) // job id: its ForkRpcCall
    property alias jobs: jobModel
    property alias workers: workerModel // pid, jobId, phase ("busy", "idle", "died"), since

    readonly property int maxWorkers: 4

    width: 760
    height: 600
    visible: true
    title: qsTr("QForkRpc job board (QML, ForkRpcPool)")

    // One pool; a new one after Finish (the settings of a ForkRpcPool are fixed once it runs).
    Component {
        id: poolComponent
        ForkRpcPool {
            functionName: "demo::job"
            async: true
            max: jobBoard.maxWorkers
            load: 1 // one job per worker at a time: a crash takes only its own job with it
            startDelayMs: 50
            stopDelayMs: 5000
            onEvent: (args) => {
                if (args[0] === "started")
                    jobBoard.jobStarted(args[1], args[2])
            }
            onError: (message) => {
                jobBoard.errors.push(message)
                jobBoard.report(message)
            }
            onWorkerCountChanged: {
                jobBoard.mostWorkers = Math.max(jobBoard.mostWorkers, workerCount)
                reconcile.restart()
            }
            onDestroyed: {
                jobBoard.finished = true
                jobBoard.report(qsTr("the pool has finished: every job handled, every worker gone"))
                jobBoard.reconcileWorkers()
            }
        }
    }

    function startPool() {
        if (pool)
            pool.destroy()
        finishing = false
        finished = false
        workerModel.clear()
        workersShown = 0
        pool = poolComponent.createObject(jobBoard)
        ++poolsStarted
    }

    // A job of `steps` steps of `msPerStep` ms; with crashAt, its worker crashes at that step.
    function addJob(steps, msPerStep, crashAt) {
        const id = jobModel.count + 1
        jobModel.append({ jobId: id, steps: steps, progress: 0, phase: "queued", pid: 0,
                          crashes: crashAt > 0, status: qsTr("waiting for a worker") })
        const call = pool.call([id, steps, msPerStep, crashAt || 0], (results) => {
            setJob(id, { phase: "done", status: results[1] })
            workerIdle(jobModel.get(id - 1).pid)
        })
        call.progressChanged.connect(() => jobModel.setProperty(id - 1, "progress", call.progress / call.maximum))
        call.failed.connect((message, error) => {
            const pid = jobModel.get(id - 1).pid
            if (error === ForkRpcCall.WorkerDied) {
                setJob(id, { phase: "failed", status: qsTr("lost: its worker (pid %1) died").arg(pid) })
                workerDied(pid)
            } else {
                setJob(id, { phase: "failed", status: message })
                workerIdle(pid)
            }
        })
        calls[id] = call
        return id
    }

    function addJobs(count) {
        for (let i = 0; i < count; ++i)
            addJob(15 + Math.floor(Math.random() * 25), 80)
    }

    function crashAWorker() {
        return addJob(30, 80, 8)
    }

    // A job that the pool has not handed out yet never runs; a running one sees
    // done.isCancelled() at its next step and stops. Its answer never comes.
    function cancelJob(id) {
        if (!calls[id].cancel())
            return
        setJob(id, { phase: "cancelled", status: qsTr("cancelled") })
        workerIdle(jobModel.get(id - 1).pid)
    }

    function finishPool() {
        finishing = true
        pool.finish()
    }

    function setJob(id, values) {
        for (const key in values)
            jobModel.setProperty(id - 1, key, values[key])
    }

    function report(message) {
        logModel.insert(0, { message: message })
    }

    // ---- the workers, as the jobs' events and ends tell ------------------------------------

    function workerIndex(pid) {
        for (let i = 0; i < workerModel.count; ++i) {
            if (workerModel.get(i).pid === pid)
                return i
        }
        return -1
    }

    function jobStarted(id, pid) {
        const job = jobModel.get(id - 1)
        // (a job cancelled just before its worker said it started stops at its next step)
        const cancelled = job.phase === "cancelled"
        if (!cancelled)
            setJob(id, { phase: "running", pid: pid, status: qsTr("running in worker %1").arg(pid) })
        else
            setJob(id, { pid: pid })
        const worker = { pid: pid, jobId: cancelled ? 0 : id, phase: cancelled ? "idle" : "busy",
                         since: Date.now() }
        const index = workerIndex(pid)
        if (index < 0)
            workerModel.append(worker)
        else
            workerModel.set(index, worker)
        countWorkersShown()
    }

    function workerIdle(pid) {
        const index = workerIndex(pid)
        if (index >= 0 && workerModel.get(index).phase === "busy")
            workerModel.set(index, { jobId: 0, phase: "idle", since: Date.now() })
    }

    function workerDied(pid) {
        const index = workerIndex(pid)
        if (index >= 0)
            workerModel.set(index, { jobId: 0, phase: "died", since: Date.now() })
        countWorkersShown()
    }

    function countWorkersShown() {
        let alive = 0
        for (let i = 0; i < workerModel.count; ++i)
            alive += workerModel.get(i).phase !== "died"
        workersShown = alive
    }

    // The pool finishes workers that were idle for stopDelayMs without a word; workerCount says
    // how many are left, and the one idle longest is the one that went.
    function reconcileWorkers() {
        const count = pool ? pool.workerCount : 0
        for (;;) {
            let alive = 0
            let oldestIdle = -1
            for (let i = 0; i < workerModel.count; ++i) {
                const worker = workerModel.get(i)
                if (worker.phase === "died")
                    continue
                ++alive
                if (worker.phase === "idle" && (oldestIdle < 0 || worker.since < workerModel.get(oldestIdle).since))
                    oldestIdle = i
            }
            if (alive <= count || oldestIdle < 0)
                return countWorkersShown()
            workerModel.remove(oldestIdle)
        }
    }

    // After the jobs' own news (an answer, a crash), which may come just after workerCount.
    Timer {
        id: reconcile
        interval: 300
        onTriggered: jobBoard.reconcileWorkers()
    }

    Component.onCompleted: startPool()

    ListModel { id: jobModel }
    ListModel { id: workerModel }
    ListModel { id: logModel }

    Pane {
        id: boardPane
        anchors.fill: parent
        padding: 12

        ColumnLayout {
            anchors.fill: parent
            spacing: 8

            RowLayout {
                spacing: 6
                Button {
                    text: qsTr("Add 5 jobs")
                    highlighted: true
                    enabled: jobBoard.pool && !jobBoard.finishing
                    onClicked: jobBoard.addJobs(5)
                }
                Button {
                    text: qsTr("Crash a worker")
                    enabled: jobBoard.pool && !jobBoard.finishing
                    onClicked: jobBoard.crashAWorker()
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Adds a job whose worker dies of SIGSEGV after a few steps")
                }
                Button {
                    text: qsTr("Finish")
                    enabled: jobBoard.pool && !jobBoard.finishing
                    onClicked: jobBoard.finishPool()
                }
                Button {
                    text: qsTr("New pool")
                    enabled: jobBoard.finished
                    onClicked: jobBoard.startPool()
                }
                Item { Layout.fillWidth: true }
            }

            GroupBox {
                Layout.fillWidth: true
                title: !jobBoard.pool ? "" : jobBoard.pool.running
                       ? qsTr("Pool %1: %2 of at most %3 workers, %4 job(s) pending")
                         .arg(jobBoard.poolsStarted).arg(jobBoard.pool.workerCount)
                         .arg(jobBoard.pool.max).arg(jobBoard.pool.pendingCalls)
                       : qsTr("Pool %1 has finished").arg(jobBoard.poolsStarted)
                Flow {
                    width: parent.width
                    spacing: 6
                    Label {
                        visible: workerModel.count === 0 && (!jobBoard.pool || jobBoard.pool.workerCount === 0)
                        text: qsTr("no workers yet: they start as jobs come")
                        color: palette.placeholderText
                    }
                    Repeater {
                        model: workerModel
                        delegate: Frame {
                            required property double pid
                            required property int jobId
                            required property string phase
                            padding: 6
                            background: Rectangle {
                                radius: 4
                                color: phase === "died" ? "#f6d5d5" : phase === "busy" ? "#d8ecd8" : "#ececec"
                                border.color: phase === "died" ? "#c0392b" : "#b0b0b0"
                            }
                            Label {
                                text: phase === "died" ? qsTr("pid %1: died").arg(pid)
                                      : phase === "busy" ? qsTr("pid %1: job %2").arg(pid).arg(jobId)
                                      : qsTr("pid %1: idle").arg(pid)
                                font.strikeout: phase === "died"
                            }
                        }
                    }
                    Label {
                        // started, but no job has named them yet
                        readonly property int unnamed: jobBoard.pool ? jobBoard.pool.workerCount - jobBoard.workersShown : 0
                        visible: unnamed > 0
                        topPadding: 6
                        text: qsTr("+ %n worker(s) without a job yet", "", unnamed)
                        color: palette.placeholderText
                    }
                }
            }

            Frame {
                Layout.fillWidth: true
                Layout.fillHeight: true
                padding: 4
                ListView {
                    id: jobList
                    anchors.fill: parent
                    clip: true
                    model: jobModel
                    spacing: 2
                    ScrollBar.vertical: ScrollBar { }
                    delegate: ItemDelegate {
                        id: row
                        required property int jobId
                        required property real progress
                        required property string phase
                        required property string status
                        required property bool crashes
                        width: ListView.view.width
                        hoverEnabled: false
                        contentItem: RowLayout {
                            spacing: 8
                            Label {
                                text: row.crashes ? qsTr("Job %1 ☠").arg(row.jobId) : qsTr("Job %1").arg(row.jobId)
                                Layout.preferredWidth: 60
                            }
                            ProgressBar {
                                value: row.progress
                                Layout.preferredWidth: 200
                            }
                            Label {
                                text: row.status
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                                color: row.phase === "failed" ? "#c0392b"
                                       : row.phase === "cancelled" ? palette.placeholderText
                                       : row.phase === "done" ? "#2e7d32" : palette.text
                            }
                            Button {
                                text: qsTr("Cancel")
                                flat: true
                                enabled: row.phase === "queued" || row.phase === "running"
                                onClicked: jobBoard.cancelJob(row.jobId)
                            }
                        }
                    }
                }
            }

            Label {
                text: qsTr("Messages")
                font.bold: true
            }
            Frame {
                Layout.fillWidth: true
                Layout.preferredHeight: 90
                padding: 4
                ListView {
                    anchors.fill: parent
                    clip: true
                    model: logModel
                    delegate: Label {
                        required property string message
                        width: ListView.view.width
                        text: message
                        wrapMode: Text.Wrap
                    }
                }
            }
        }
    }

    Loader {
        active: jobBoard.selftest
        sourceComponent: Component {
            SelfTest { board: jobBoard }
        }
    }
    Loader {
        active: jobBoard.screenshot !== ""
        sourceComponent: Component {
            Screenshot { board: jobBoard; view: boardPane; file: jobBoard.screenshot }
        }
    }
}
