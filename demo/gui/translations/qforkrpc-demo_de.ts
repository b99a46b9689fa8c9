<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>CommandLine</name>
    <message>
        <source>Use this language (for example de or fr) instead of the system&apos;s.</source>
        <translation>Diese Sprache verwenden (zum Beispiel de oder fr) statt der des Systems.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Run a scripted session up to a moment worth showing, save the window to this file and exit.</source>
        <translation>Einen automatischen Ablauf bis zu einem sehenswerten Moment ausführen, das Fenster in dieser Datei speichern und enden.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>QForkRpc demo: counting primes in worker processes.</source>
        <translation>QForkRpc-Demo: Primzahlen zählen in Worker-Prozessen.</translation>
    </message>
    <message>
        <source>Run a scripted session (jobs, a crash, cancelling, a time limit, finish), check the results and exit with 0 if all is well.</source>
        <translation>Einen automatischen Ablauf ausführen (Aufträge, ein Absturz, Abbrechen, ein Zeitlimit, Abschließen), die Ergebnisse prüfen und mit 0 enden, wenn alles stimmt.</translation>
    </message>
</context>
<context>
    <name>JobBoard</name>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>Zahlen</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keiner</translation>
    </message>
    <message>
        <source>worker %1, pid %2</source>
        <translation>Worker %1, PID %2</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>%1 primes in %2 s</source>
        <translation>%1 Primzahlen in %2 s</translation>
    </message>
    <message>
        <source>failed at %p%</source>
        <translation>abgebrochen bei %p %</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>none: this job never answers</source>
        <translation>keine: dieser Auftrag antwortet nie</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancels the job&apos;s call (QFuture::cancel()): a job that has not started never runs, a running one stops at its next step.</source>
        <translation>Bricht den Aufruf des Auftrags ab (QFuture::cancel()): Ein Auftrag, der noch nicht begonnen hat, läuft nie, ein laufender hält bei seinem nächsten Schritt an.</translation>
    </message>
    <message>
        <source>waiting for an answer that never comes</source>
        <translation>wartet auf eine Antwort, die nie kommt</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>zählt</translation>
    </message>
    <message>
        <source>cancelled at %p%</source>
        <translation>abgebrochen bei %p %</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>cancelled before it started: it never runs</source>
        <translation>abgebrochen, bevor er begann: er läuft nie</translation>
    </message>
    <message>
        <source>cancelled: the worker stops at its next step</source>
        <translation>abgebrochen: der Worker hält bei seinem nächsten Schritt an</translation>
    </message>
    <message>
        <source>cancelled: the worker stopped after %1 of %2 numbers</source>
        <translation>abgebrochen: der Worker hielt nach %1 von %2 Zahlen an</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitlimit überschritten</translation>
    </message>
    <message>
        <source>its worker died</source>
        <translation>sein Worker ist ausgefallen</translation>
    </message>
    <message>
        <source>no answer within the time limit, its worker was killed</source>
        <translation>keine Antwort innerhalb des Zeitlimits, sein Worker wurde beendet</translation>
    </message>
    <message>
        <source>failed (%1): %2</source>
        <translation>fehlgeschlagen (%1): %2</translation>
    </message>
    <message>
        <source>cancelled: it never stops by itself, so the pool kills its worker</source>
        <translation>abgebrochen: er hält nie von selbst an, daher beendet der Pool seinen Worker</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>QForkRpc demo: counting primes in worker processes</source>
        <translation>QForkRpc-Demo: Primzahlen zählen in Worker-Prozessen</translation>
    </message>
    <message>
        <source>What the workers reported:</source>
        <translation>Was die Worker gemeldet haben:</translation>
    </message>
    <message>
        <source>async: two jobs at once per worker</source>
        <translation>asynchron: zwei Aufträge gleichzeitig je Worker</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Backend:</source>
        <translation>Backend:</translation>
    </message>
    <message>
        <source>Workers:</source>
        <translation>Worker:</translation>
    </message>
    <message>
        <source>Jobs:</source>
        <translation>Aufträge:</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Crash a worker</source>
        <translation>Einen Worker abstürzen lassen</translation>
    </message>
    <message>
        <source>The busy worker with the least progress segfaults in the middle of its job.</source>
        <translation>Der beschäftigte Worker mit dem geringsten Fortschritt stürzt mitten in seinem Auftrag mit einem Speicherzugriffsfehler ab.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Abschließen</translation>
    </message>
    <message>
        <source>async</source>
        <translation>asynchron</translation>
    </message>
    <message>
        <source>sync</source>
        <translation>synchron</translation>
    </message>
    <message>
        <source>No worker is in the middle of a job right now.</source>
        <translation>Gerade ist kein Worker mitten in einem Auftrag.</translation>
    </message>
    <message>
        <source>Numbers per job (millions):</source>
        <translation>Zahlen je Auftrag (Millionen):</translation>
    </message>
    <message>
        <source>Longest pause of the window:</source>
        <translation>Längste Pause des Fensters:</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A job that has not answered this long after its worker started it fails, and its worker is killed and replaced.</source>
        <translation>Ein Auftrag, der so lange nach seinem Start durch den Worker nicht geantwortet hat, schlägt fehl, und sein Worker wird beendet und ersetzt.</translation>
    </message>
    <message>
        <source>Time limit per job:</source>
        <translation>Zeitlimit je Auftrag:</translation>
    </message>
    <message>
        <source>Add a stuck job</source>
        <translation>Hängenden Auftrag hinzufügen</translation>
    </message>
    <message>
        <source>Started. Backend: %1, workers: %2, jobs: %3, time limit per job: %4 s.</source>
        <translation>Gestartet. Backend: %1, Worker: %2, Aufträge: %3, Zeitlimit je Auftrag: %4 s.</translation>
    </message>
    <message>
        <source>Job %1 failed (%2).</source>
        <translation>Auftrag %1 ist fehlgeschlagen (%2).</translation>
    </message>
    <message>
        <source>Cancelled job %1: its future is cancelled, its worker is told.</source>
        <translation>Auftrag %1 abgebrochen: sein Future ist abgebrochen, sein Worker wird benachrichtigt.</translation>
    </message>
    <message>
        <source>Every job is done, failed or cancelled. Press Finish to let the workers exit.</source>
        <translation>Alle Aufträge sind erledigt, fehlgeschlagen oder abgebrochen. Mit „Abschließen“ beenden sich die Worker.</translation>
    </message>
    <message>
        <source>sync: one job at a time per worker, the next one waits in it</source>
        <translation>synchron: ein Auftrag nach dem anderen je Worker, der nächste wartet darin</translation>
    </message>
    <message>
        <source>Each job counts the primes in a range of numbers by trial division, in one of a pool of worker processes (QForkRpcPool). The wheel keeps turning because the window never waits for a worker, and a worker that crashes takes only its own jobs with it. The progress bars show what the workers report through the jobs&apos; futures; Cancel stops a job, and the time limit ends a job that never answers.</source>
        <translation>Jeder Auftrag zählt die Primzahlen in einem Zahlenbereich durch Probedivision, in einem Prozess aus einem Pool von Workern (QForkRpcPool). Das Rad dreht sich weiter, weil das Fenster nie auf einen Worker wartet, und ein abstürzender Worker reißt nur seine eigenen Aufträge mit. Die Fortschrittsbalken zeigen, was die Worker über die Futures der Aufträge melden; „Abbrechen“ hält einen Auftrag an, und das Zeitlimit beendet einen Auftrag, der nie antwortet.</translation>
    </message>
    <message>
        <source>Adds a job whose worker never answers, at the end of the pool&apos;s queue: the time limit ends it.</source>
        <translation>Fügt am Ende der Warteschlange des Pools einen Auftrag hinzu, dessen Worker nie antwortet: das Zeitlimit beendet ihn.</translation>
    </message>
    <message>
        <source>The pool takes no new jobs: the workers do the queued ones, then exit.</source>
        <translation>Der Pool nimmt keine neuen Aufträge an: die Worker erledigen die wartenden und beenden sich dann.</translation>
    </message>
    <message>
        <source>Worker %1 (pid %2) began its first job.</source>
        <translation>Worker %1 (PID %2) hat seinen ersten Auftrag begonnen.</translation>
    </message>
    <message>
        <source>Worker %1 (pid %2) stopped job %3 after %4 of %5 numbers, as it was cancelled.</source>
        <translation>Worker %1 (PID %2) hat Auftrag %3 nach %4 von %5 Zahlen angehalten, da er abgebrochen wurde.</translation>
    </message>
    <message>
        <source>cancelled by the library</source>
        <translation>von der Bibliothek abgebrochen</translation>
    </message>
    <message>
        <source>The pool reported: %1</source>
        <translation>Der Pool meldet: %1</translation>
    </message>
    <message>
        <source>All workers are gone (destroyed()). Jobs done: %1, failed: %2, cancelled: %3.</source>
        <translation>Alle Worker haben sich beendet (destroyed()). Erledigte Aufträge: %1, fehlgeschlagen: %2, abgebrochen: %3.</translation>
    </message>
    <message>
        <source>Added job %1, which never answers, at the end of the pool&apos;s queue: once a worker has started it, the time limit of %2 s ends it.</source>
        <translation>Auftrag %1 hinzugefügt, der nie antwortet, am Ende der Warteschlange des Pools: sobald ein Worker ihn begonnen hat, beendet ihn das Zeitlimit von %2 s.</translation>
    </message>
    <message>
        <source>Cancelled job %1 before it started: it never runs.</source>
        <translation>Auftrag %1 abgebrochen, bevor er begann: er läuft nie.</translation>
    </message>
    <message>
        <source>Cancelled job %1: it never asks isCancelled(), so the pool kills its worker a second later (cancelKillAfterMs) and starts a fresh one.</source>
        <translation>Auftrag %1 abgebrochen: er fragt nie isCancelled(), daher beendet der Pool seinen Worker eine Sekunde später (cancelKillAfterMs) und startet einen neuen.</translation>
    </message>
    <message>
        <source>Told worker %1 (pid %2) to crash in the middle of job %3.</source>
        <translation>Worker %1 (PID %2) soll mitten in Auftrag %3 abstürzen.</translation>
    </message>
    <message>
        <source>Finish: the pool takes no new jobs; the workers do the queued ones, then exit.</source>
        <translation>Abschließen: Der Pool nimmt keine neuen Aufträge an; die Worker erledigen die wartenden und beenden sich dann.</translation>
    </message>
    <message>
        <source>Workers: %1    Waiting: %2    Running: %3    Done: %4    Failed: %5    Cancelled: %6</source>
        <translation>Worker: %1    Wartend: %2    Laufend: %3    Fertig: %4    Fehlgeschlagen: %5    Abgebrochen: %6</translation>
    </message>
</context>
</TS>
