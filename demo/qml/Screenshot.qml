// SPDX-License-Identifier: MIT
// qforkrpc-qml-demo --screenshot FILE: plays a short session on the job board (jobs spread over
// the workers, one cancelled, one crashing its worker), saves the board to FILE at an
// interesting moment (the crash reported, some jobs done, others still running) and exits.
import QtQuick
import QForkRpc 1.0

QtObject {
    id: script

    required property var board
    required property Item view
    required property string file

    property int crashJob: 0
    property bool saving: false

    function phase(id) {
        return board.jobs.get(id - 1).phase
    }

    function interesting() {
        let done = 0
        let running = 0
        for (let id = 1; id <= board.jobs.count; ++id) {
            done += phase(id) === "done"
            running += phase(id) === "running"
        }
        return crashJob > 0 && phase(crashJob) === "failed" && done >= 2 && running >= 2
    }

    property Timer start: Timer {
        interval: 300 // the window is up
        running: script.board.pool !== null
        onTriggered: {
            script.board.addJob(6, 60)
            script.board.addJob(8, 60)
            script.board.addJob(40, 60)
            script.board.addJob(60, 50)
            script.crashJob = script.board.crashAWorker()
            script.board.addJob(50, 60)
            script.board.addJob(30, 60)
            cancel.start()
            poll.start()
        }
    }

    property Timer cancel: Timer {
        interval: 700
        onTriggered: script.board.cancelJob(4)
    }

    property Timer poll: Timer {
        interval: 20
        repeat: true
        onTriggered: {
            if (script.saving || !script.interesting())
                return
            script.saving = true
            running = false
            script.view.grabToImage((result) => {
                const saved = result.saveToFile(script.file)
                console.info("screenshot: " + (saved ? "saved " : "could not save ") + script.file)
                Qt.exit(saved ? 0 : 1)
            })
        }
    }

    property Timer timeout: Timer {
        interval: 60000
        running: true
        onTriggered: {
            console.error("screenshot: the session never reached its moment")
            Qt.exit(1)
        }
    }
}
