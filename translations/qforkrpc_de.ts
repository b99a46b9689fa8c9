<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QForkRpc</name>
    <message>
        <source>there is no registered function &apos;%1&apos;</source>
        <translation>es gibt keine registrierte Funktion „%1“</translation>
    </message>
    <message>
        <source>there is no registered serialiser &apos;%1&apos;</source>
        <translation>es gibt keinen registrierten Serialisierer „%1“</translation>
    </message>
    <message>
        <source>cannot load the library &apos;%1&apos;: %2</source>
        <translation>die Bibliothek „%1“ kann nicht geladen werden: %2</translation>
    </message>
    <message>
        <source>there is no registered init function &apos;%1&apos;</source>
        <translation>es gibt keine registrierte Init-Funktion „%1“</translation>
    </message>
    <message>
        <source>the init function &apos;%1&apos; failed: %2</source>
        <translation>die Init-Funktion „%1“ ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>uncaught exception: %1</source>
        <translation>nicht abgefangene Ausnahme: %1</translation>
    </message>
    <message>
        <source>cannot serialise the values: %1</source>
        <translation>die Werte können nicht serialisiert werden: %1</translation>
    </message>
    <message>
        <source>cannot deserialise the values: %1</source>
        <translation>die Werte können nicht deserialisiert werden: %1</translation>
    </message>
    <message>
        <source>protocol error: %1</source>
        <translation>Protokollfehler: %1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; called done() more than once; the extra results were dropped</source>
        <translation>„%1“ hat done() mehr als einmal aufgerufen; die zusätzlichen Ergebnisse wurden verworfen</translation>
    </message>
    <message>
        <source>the worker received an invalid setup message</source>
        <translation>der Worker hat eine ungültige Einrichtungsnachricht erhalten</translation>
    </message>
    <message>
        <source>cannot create the worker process: %1</source>
        <translation>der Worker-Prozess kann nicht erzeugt werden: %1</translation>
    </message>
    <message>
        <source>the template process is no longer running</source>
        <translation>der Vorlagenprozess läuft nicht mehr</translation>
    </message>
    <message>
        <source>the template process is no longer running (it %1)</source>
        <translation>der Vorlagenprozess läuft nicht mehr (er %1)</translation>
    </message>
    <message>
        <source>cannot start the worker program &apos;%1&apos;: %2</source>
        <translation>das Worker-Programm „%1“ kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>the program &apos;%1&apos; did not start a QForkRpc worker (does its main() call QForkRpc::initialize()?)</source>
        <translation>das Programm „%1“ hat keinen QForkRpc-Worker gestartet (ruft sein main() QForkRpc::initialize() auf?)</translation>
    </message>
    <message>
        <source>Spawn::Template needs QForkRpc::initialize() as the first statement of main()</source>
        <translation>Spawn::Template braucht QForkRpc::initialize() als erste Anweisung von main()</translation>
    </message>
    <message>
        <source>the async backend needs the template process (QForkRpc::initialize()) or Options::program</source>
        <translation>das asynchrone Backend braucht den Vorlagenprozess (QForkRpc::initialize()) oder Options::program</translation>
    </message>
    <message>
        <source>Spawn::Fork cannot run the async backend; use Spawn::Template or Spawn::Exec</source>
        <translation>Spawn::Fork kann das asynchrone Backend nicht ausführen; verwenden Sie Spawn::Template oder Spawn::Exec</translation>
    </message>
    <message>
        <source>call() after finish() is ignored (function &apos;%1&apos;)</source>
        <translation>call() nach finish() wird ignoriert (Funktion „%1“)</translation>
    </message>
    <message>
        <source>the worker for &apos;%1&apos; is no longer running</source>
        <translation>der Worker für „%1“ läuft nicht mehr</translation>
    </message>
    <message>
        <source>a message of %1 bytes is larger than the 4 GiB - 1 bytes one message may carry</source>
        <translation>eine Nachricht von %1 Bytes ist größer als die 4 GiB - 1 Bytes, die eine Nachricht tragen darf</translation>
    </message>
    <message>
        <source>the worker for &apos;%1&apos; (pid %2) %3</source>
        <translation>der Worker für „%1“ (PID %2) %3</translation>
    </message>
    <message>
        <source>a call to &apos;%1&apos; failed: %2</source>
        <translation>ein Aufruf von „%1“ ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>unknown error %1</source>
        <translation>unbekannter Fehler %1</translation>
    </message>
    <message>
        <source>exited (its exit status was collected by other code)</source>
        <translation>hat sich beendet (seinen Exit-Status hat anderer Code abgeholt)</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>hat sich mit Code %1 beendet</translation>
    </message>
    <message>
        <source>was killed by signal %1 (%2)</source>
        <translation>wurde durch Signal %1 (%2) beendet</translation>
    </message>
    <message>
        <source>ended with status %1</source>
        <translation>endete mit Status %1</translation>
    </message>
    <message>
        <source>closed its connection</source>
        <translation>hat seine Verbindung geschlossen</translation>
    </message>
    <message>
        <source>invalid CBOR: %1</source>
        <translation>ungültiges CBOR: %1</translation>
    </message>
    <message>
        <source>the CBOR data is not an array</source>
        <translation>die CBOR-Daten sind kein Array</translation>
    </message>
    <message>
        <source>QDataStream could not write the values</source>
        <translation>QDataStream konnte die Werte nicht schreiben</translation>
    </message>
    <message>
        <source>the data is not a valid QDataStream of a QVariantList</source>
        <translation>die Daten sind kein gültiger QDataStream einer QVariantList</translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation>ungültiges JSON: %1</translation>
    </message>
    <message>
        <source>the JSON is not an array</source>
        <translation>das JSON ist kein Array</translation>
    </message>
    <message>
        <source>the octets serialiser carries only QByteArray values; value %1 is of type %2</source>
        <translation>der octets-Serialisierer überträgt nur QByteArray-Werte; Wert %1 hat den Typ %2</translation>
    </message>
    <message>
        <source>truncated or invalid octets length</source>
        <translation>abgeschnittene oder ungültige octets-Länge</translation>
    </message>
    <message>
        <source>an octet string runs past the end of the data</source>
        <translation>eine Bytefolge reicht über das Ende der Daten hinaus</translation>
    </message>
    <message>
        <source>the %1 serialiser cannot carry value %2 of type %3</source>
        <translation>der %1-Serialisierer kann Wert %2 vom Typ %3 nicht übertragen</translation>
    </message>
    <message>
        <source>call() to &apos;%1&apos; refused: %2 calls are waiting for results already (Options::maxPendingCalls)</source>
        <translation>call() an „%1“ abgelehnt: %2 Aufrufe warten bereits auf ihre Ergebnisse (Options::maxPendingCalls)</translation>
    </message>
    <message>
        <source>call() to &apos;%1&apos; refused: %2 bytes of requests wait for the worker to read them, the limit is %3 (Options::maxQueuedBytes)</source>
        <translation>call() an „%1“ abgelehnt: %2 Bytes an Anfragen warten darauf, dass der Worker sie liest; die Grenze ist %3 (Options::maxQueuedBytes)</translation>
    </message>
    <message>
        <source>unexpected bytes after the CBOR array</source>
        <translation>unerwartete Bytes nach dem CBOR-Array</translation>
    </message>
    <message>
        <source>the data holds a value of type %1, which the datastream serialiser does not read</source>
        <translation>die Daten enthalten einen Wert vom Typ %1, den der datastream-Serialisierer nicht liest</translation>
    </message>
    <message>
        <source>the serialiser &apos;%1&apos; cannot serialise the values: %2</source>
        <translation>der Serialisierer „%1“ kann die Werte nicht serialisieren: %2</translation>
    </message>
    <message>
        <source>the serialiser &apos;%1&apos; cannot deserialise the values: %2</source>
        <translation>der Serialisierer „%1“ kann die Werte nicht deserialisieren: %2</translation>
    </message>
    <message>
        <source>value %1 is nested more than %2 levels deep</source>
        <translation>Wert %1 ist mehr als %2 Ebenen tief verschachtelt</translation>
    </message>
    <message>
        <source>the values need at least %1 bytes, more than the 4 GiB - 1 bytes one message may carry</source>
        <translation>die Werte brauchen mindestens %1 Bytes, mehr als die 4 GiB - 1 Bytes, die eine Nachricht tragen darf</translation>
    </message>
    <message>
        <source>the data is nested more than %1 levels deep</source>
        <translation>die Daten sind mehr als %1 Ebenen tief verschachtelt</translation>
    </message>
    <message>
        <source>closed its connection but kept running (unexpected end of stream), so it was killed</source>
        <translation>hat seine Verbindung geschlossen, lief aber weiter (unerwartetes Ende des Datenstroms) und wurde deshalb beendet</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is registered with the %2 signature, but the %3 backend runs only functions with the %3 signature</source>
        <translation>„%1“ ist mit der %2-Signatur registriert, aber das %3-Backend führt nur Funktionen mit der %3-Signatur aus</translation>
    </message>
    <message>
        <source>the init arguments cannot be sent to the worker: %1</source>
        <translation>die Init-Argumente können nicht an den Worker gesendet werden: %1</translation>
    </message>
    <message>
        <source>a call to &apos;%1&apos; did not answer within %2 ms (Options::callTimeoutMs), so its worker (pid %3) was killed</source>
        <translation>ein Aufruf von &apos;%1&apos; hat nicht innerhalb von %2 ms geantwortet (Options::callTimeoutMs), daher wurde sein Worker (PID %3) beendet</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) were running</source>
        <translation>
            <numerusform>%n Aufruf lief</numerusform>
            <numerusform>%n Aufrufe liefen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) never ran (safe to repeat)</source>
        <translation>
            <numerusform>%n Aufruf lief nie (kann wiederholt werden)</numerusform>
            <numerusform>%n Aufrufe liefen nie (können wiederholt werden)</numerusform>
        </translation>
    </message>
    <message>
        <source>a cancelled call to &apos;%1&apos; still ran %2 ms after it was cancelled (QForkRpcPool::Options::cancelKillAfterMs), so its worker (pid %3) was killed</source>
        <translation>ein abgebrochener Aufruf von &apos;%1&apos; lief %2 ms nach dem Abbruch noch (QForkRpcPool::Options::cancelKillAfterMs), daher wurde sein Worker (PID %3) beendet</translation>
    </message>
    <message>
        <source>call() to the pool of &apos;%1&apos; refused: %2 calls are waiting for a worker already (QForkRpcPool::Options::maxQueuedCalls)</source>
        <translation>call() an den Pool von &apos;%1&apos; abgelehnt: es warten schon %2 Aufrufe auf einen Worker (QForkRpcPool::Options::maxQueuedCalls)</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) went to another worker of the pool</source>
        <translation>
            <numerusform>%n Aufruf ging an einen anderen Worker des Pools</numerusform>
            <numerusform>%n Aufrufe gingen an einen anderen Worker des Pools</numerusform>
        </translation>
    </message>
    <message>
        <source>; its last lines on stderr: %1</source>
        <translation>; seine letzten Zeilen auf stderr: %1</translation>
    </message>
    <message>
        <source>Spawn::Command needs the command to run in Options::command</source>
        <translation>Spawn::Command braucht den auszuführenden Befehl in Options::command</translation>
    </message>
    <message>
        <source>the command &apos;%1&apos; did not start a QForkRpc worker (does it reach the worker program, and does that program&apos;s main() call QForkRpc::initialize()?)</source>
        <translation>der Befehl &apos;%1&apos; hat keinen QForkRpc-Worker gestartet (erreicht er das Worker-Programm, und ruft dessen main() QForkRpc::initialize() auf?)</translation>
    </message>
    <message>
        <source>the worker speaks version %1 of the QForkRpc protocol and this program version %2: build the worker program with the same QForkRpc release as this program</source>
        <translation>der Worker spricht Version %1 des QForkRpc-Protokolls und dieses Programm Version %2: bauen Sie das Worker-Programm mit derselben QForkRpc-Version wie dieses Programm</translation>
    </message>
    <message>
        <source>a QForkRpcFd cannot travel to or from a worker started through a command: its pipes carry no descriptors</source>
        <translation>ein QForkRpcFd kann nicht zu einem oder von einem Worker reisen, der über einen Befehl gestartet wurde: dessen Pipes tragen keine Deskriptoren</translation>
    </message>
    <message>
        <source>one message may carry at most %1 descriptors</source>
        <translation>eine Nachricht darf höchstens %1 Deskriptoren tragen</translation>
    </message>
    <message>
        <source>the message refers to descriptor %1, which did not come with it</source>
        <translation>die Nachricht verweist auf Deskriptor %1, der nicht mit ihr kam</translation>
    </message>
    <message>
        <source>a CBOR descriptor tag holds no descriptor number</source>
        <translation>ein CBOR-Deskriptor-Tag enthält keine Deskriptornummer</translation>
    </message>
</context>
</TS>
