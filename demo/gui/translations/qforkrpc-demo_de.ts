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
        <source>Run a scripted session (jobs, a crash, finish), check the results and exit with 0 if all is well.</source>
        <translation>Einen automatischen Ablauf ausführen (Aufträge, ein Absturz, Abschließen), die Ergebnisse prüfen und mit 0 enden, wenn alles stimmt.</translation>
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
        <source>worker %1</source>
        <translation>Worker %1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>queued in the worker</source>
        <translation>im Worker eingereiht</translation>
    </message>
    <message>
        <source>%1 primes so far</source>
        <translation>bisher %1 Primzahlen</translation>
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
        <source>failed: its worker died</source>
        <translation>fehlgeschlagen: sein Worker ist ausgefallen</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>QForkRpc demo: counting primes in worker processes</source>
        <translation>QForkRpc-Demo: Primzahlen zählen in Worker-Prozessen</translation>
    </message>
    <message>
        <source>Each job counts the primes in a range of numbers by trial division, in a worker process of its own. The wheel keeps turning because the window never waits for a worker, and a worker that crashes takes only its own job with it.</source>
        <translation>Jeder Auftrag zählt die Primzahlen in einem Zahlenbereich durch Probedivision, in einem eigenen Worker-Prozess. Das Rad dreht sich weiter, weil das Fenster nie auf einen Worker wartet, und ein abstürzender Worker reißt nur seinen eigenen Auftrag mit.</translation>
    </message>
    <message>
        <source>What the workers reported:</source>
        <translation>Was die Worker gemeldet haben:</translation>
    </message>
    <message>
        <source>sync: one job at a time per worker</source>
        <translation>synchron: ein Auftrag nach dem anderen je Worker</translation>
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
        <source>The queued jobs go to the workers, which exit once they have done them.</source>
        <translation>Die wartenden Aufträge gehen an die Worker, die sich beenden, sobald sie sie erledigt haben.</translation>
    </message>
    <message>
        <source>Started. Backend: %1, workers: %2, jobs: %3.</source>
        <translation>Gestartet. Backend: %1, Worker: %2, Aufträge: %3.</translation>
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
        <source>Job %1 failed.</source>
        <translation>Auftrag %1 ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Told worker %1 (pid %2) to crash in the middle of its job.</source>
        <translation>Worker %1 (PID %2) soll mitten in seinem Auftrag abstürzen.</translation>
    </message>
    <message>
        <source>Worker %1 (pid %2) reported: %3</source>
        <translation>Worker %1 (PID %2) meldet: %3</translation>
    </message>
    <message>
        <source>Started a fresh process for worker %1; the remaining jobs carry on.</source>
        <translation>Neuer Prozess für Worker %1 gestartet; die übrigen Aufträge laufen weiter.</translation>
    </message>
    <message>
        <source>Worker %1 has handled all its calls and is gone (destroyed()).</source>
        <translation>Worker %1 hat alle seine Aufrufe erledigt und sich beendet (destroyed()).</translation>
    </message>
    <message>
        <source>No worker is in the middle of a job right now.</source>
        <translation>Gerade ist kein Worker mitten in einem Auftrag.</translation>
    </message>
    <message>
        <source>Finish: the queued jobs go to the workers, which exit once they have done them.</source>
        <translation>Abschließen: Die wartenden Aufträge gehen an die Worker, die sich beenden, sobald sie sie erledigt haben.</translation>
    </message>
    <message>
        <source>All workers are gone. Jobs done: %1, failed: %2.</source>
        <translation>Alle Worker haben sich beendet. Erledigte Aufträge: %1, fehlgeschlagen: %2.</translation>
    </message>
    <message>
        <source>Waiting: %1    Running: %2    Done: %3    Failed: %4</source>
        <translation>Wartend: %1    Laufend: %2    Fertig: %3    Fehlgeschlagen: %4</translation>
    </message>
    <message>
        <source>Every job is done or failed. Press Finish to let the workers exit.</source>
        <translation>Alle Aufträge sind erledigt oder fehlgeschlagen. Mit „Abschließen“ beenden sich die Worker.</translation>
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
</context>
</TS>
