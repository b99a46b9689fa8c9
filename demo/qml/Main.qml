// SPDX-License-Identifier: MIT
// A job board: every job runs in one worker process (ForkRpc, async backend), and its call
// (ForkRpcCall) shows its progress and can be cancelled. "Crash the worker" makes the worker die
// of SIGSEGV: the board shows the error, marks the jobs that were lost, and can start a new
// worker.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QForkRpc 1.0

ApplicationWindow {
    id: jobBoard

    required property bool selftest

    property ForkRpc worker: null
    property int workersStarted: 0
    property bool finishing: false // Finish was clicked
    property bool finished: false // destroyed() arrived after finish()
    property var errors: []
    property var calls: ({}) // job id: its ForkRpcCall
    property alias jobs: jobModel

    width: 560
    height: 480
    visible: true
    title: qsTr("QForkRpc job board")

    // One worker; a new one after a crash (the settings of a ForkRpc are fixed once it runs).
    Component {
        id: workerComponent
        ForkRpc {
            functionName: "demo::job"
            async: true
            onError: (message) => jobBoard.report(message)
            onRunningChanged: if (!running) jobBoard.loseUnfinishedJobs()
            onDestroyed: {
                jobBoard.finished = true
                jobBoard.report(qsTr("the worker has finished"))
            }
        }
    }

    function startWorker() {
        if (worker)
            worker.destroy()
        finishing = false
        finished = false
        worker = workerComponent.createObject(jobBoard)
        ++workersStarted
    }

    function addJob(steps, msPerStep) {
        const id = jobModel.count + 1
        jobModel.append({ jobId: id, steps: steps, progress: 0, status: qsTr("running"), done: false })
        const call = worker.call([id, steps, msPerStep], (results) => {
            jobModel.setProperty(results[0] - 1, "status", results[1])
            jobModel.setProperty(results[0] - 1, "done", true)
        })
        call.progressChanged.connect(() => jobModel.setProperty(id - 1, "progress", call.progress / call.maximum))
        calls[id] = call
    }

    // The worker's job sees done.isCancelled() and stops; its answer never comes.
    function cancelJob(id) {
        if (!calls[id].cancel())
            return
        jobModel.setProperty(id - 1, "status", qsTr("cancelled"))
        jobModel.setProperty(id - 1, "done", true)
    }

    function finishWorker() {
        finishing = true
        worker.finish()
    }

    function crashWorker() {
        worker.call(["crash"])
    }

    function report(message) {
        errors.push(message)
        logModel.insert(0, { message: message })
    }

    function loseUnfinishedJobs() {
        for (let i = 0; i < jobModel.count; ++i) {
            if (!jobModel.get(i).done)
                jobModel.setProperty(i, "status", qsTr("lost with the worker"))
        }
    }

    Component.onCompleted: startWorker()

    ListModel { id: jobModel }
    ListModel { id: logModel }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        RowLayout {
            Button {
                text: qsTr("Add a job")
                enabled: jobBoard.worker && jobBoard.worker.running && !jobBoard.finishing
                onClicked: jobBoard.addJob(10 + Math.floor(Math.random() * 20), 100)
            }
            Button {
                text: qsTr("Crash the worker")
                enabled: jobBoard.worker && jobBoard.worker.running
                onClicked: jobBoard.crashWorker()
            }
            Button {
                text: qsTr("Finish")
                enabled: jobBoard.worker && jobBoard.worker.running
                onClicked: jobBoard.finishWorker()
            }
            Button {
                text: qsTr("New worker")
                enabled: jobBoard.worker && !jobBoard.worker.running
                onClicked: jobBoard.startWorker()
            }
        }

        Label {
            text: !jobBoard.worker ? "" : jobBoard.worker.running
                  ? qsTr("worker %1 running, %2 job(s) pending").arg(jobBoard.workersStarted).arg(jobBoard.worker.pending)
                  : qsTr("worker %1 is gone").arg(jobBoard.workersStarted)
        }

        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: jobModel
            spacing: 4
            delegate: RowLayout {
                required property int jobId
                required property real progress
                required property string status
                required property bool done
                width: ListView.view.width
                Label { text: qsTr("Job %1").arg(jobId); Layout.preferredWidth: 60 }
                ProgressBar { value: progress; Layout.preferredWidth: 160 }
                Button {
                    text: qsTr("Cancel")
                    enabled: !done
                    onClicked: jobBoard.cancelJob(jobId)
                }
                Label { text: status; elide: Text.ElideRight; Layout.fillWidth: true }
            }
        }

        Label { text: qsTr("Messages") ; font.bold: true }
        ListView {
            Layout.fillWidth: true
            Layout.preferredHeight: 90
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

    Loader {
        active: jobBoard.selftest
        sourceComponent: Component {
            SelfTest { board: jobBoard }
        }
    }
}
