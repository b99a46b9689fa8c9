<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>QForkRpc</name>
    <message>
        <source>there is no registered function &apos;%1&apos;</source>
        <translation>aucune fonction « %1 » n’est enregistrée</translation>
    </message>
    <message>
        <source>there is no registered serialiser &apos;%1&apos;</source>
        <translation>aucun sérialiseur « %1 » n’est enregistré</translation>
    </message>
    <message>
        <source>cannot load the library &apos;%1&apos;: %2</source>
        <translation>impossible de charger la bibliothèque « %1 » : %2</translation>
    </message>
    <message>
        <source>there is no registered init function &apos;%1&apos;</source>
        <translation>aucune fonction d’initialisation « %1 » n’est enregistrée</translation>
    </message>
    <message>
        <source>the init function &apos;%1&apos; failed: %2</source>
        <translation>la fonction d’initialisation « %1 » a échoué : %2</translation>
    </message>
    <message>
        <source>uncaught exception: %1</source>
        <translation>exception non interceptée : %1</translation>
    </message>
    <message>
        <source>cannot serialise the values: %1</source>
        <translation>impossible de sérialiser les valeurs : %1</translation>
    </message>
    <message>
        <source>cannot deserialise the values: %1</source>
        <translation>impossible de désérialiser les valeurs : %1</translation>
    </message>
    <message>
        <source>protocol error: %1</source>
        <translation>erreur de protocole : %1</translation>
    </message>
    <message>
        <source>&apos;%1&apos; called done() more than once; the extra results were dropped</source>
        <translation>« %1 » a appelé done() plus d’une fois ; les résultats en trop ont été ignorés</translation>
    </message>
    <message>
        <source>the worker received an invalid setup message</source>
        <translation>le processus de travail a reçu un message de configuration invalide</translation>
    </message>
    <message>
        <source>cannot create the worker process: %1</source>
        <translation>impossible de créer le processus de travail : %1</translation>
    </message>
    <message>
        <source>the template process is no longer running</source>
        <translation>le processus modèle ne tourne plus</translation>
    </message>
    <message>
        <source>the template process is no longer running (it %1)</source>
        <translation>le processus modèle ne tourne plus (il %1)</translation>
    </message>
    <message>
        <source>cannot start the worker program &apos;%1&apos;: %2</source>
        <translation>impossible de lancer le programme de travail « %1 » : %2</translation>
    </message>
    <message>
        <source>the program &apos;%1&apos; did not start a QForkRpc worker (does its main() call QForkRpc::initialize()?)</source>
        <translation>le programme « %1 » n’a pas démarré de processus de travail QForkRpc (son main() appelle-t-il QForkRpc::initialize() ?)</translation>
    </message>
    <message>
        <source>Spawn::Template needs QForkRpc::initialize() as the first statement of main()</source>
        <translation>Spawn::Template exige QForkRpc::initialize() comme première instruction de main()</translation>
    </message>
    <message>
        <source>the async backend needs the template process (QForkRpc::initialize()) or Options::program</source>
        <translation>le backend asynchrone a besoin du processus modèle (QForkRpc::initialize()) ou de Options::program</translation>
    </message>
    <message>
        <source>Spawn::Fork cannot run the async backend; use Spawn::Template or Spawn::Exec</source>
        <translation>Spawn::Fork ne peut pas exécuter le backend asynchrone ; utilisez Spawn::Template ou Spawn::Exec</translation>
    </message>
    <message>
        <source>call() after finish() is ignored (function &apos;%1&apos;)</source>
        <translation>call() après finish() est ignoré (fonction « %1 »)</translation>
    </message>
    <message>
        <source>the worker for &apos;%1&apos; is no longer running</source>
        <translation>le processus de travail de « %1 » ne tourne plus</translation>
    </message>
    <message>
        <source>a message of %1 bytes is larger than the 4 GiB - 1 bytes one message may carry</source>
        <translation>un message de %1 octets dépasse les 4 Gio - 1 octets qu’un message peut contenir</translation>
    </message>
    <message>
        <source>the worker for &apos;%1&apos; (pid %2) %3</source>
        <translation>le processus de travail de « %1 » (pid %2) %3</translation>
    </message>
    <message>
        <source>a call to &apos;%1&apos; failed: %2</source>
        <translation>un appel à « %1 » a échoué : %2</translation>
    </message>
    <message>
        <source>unknown error %1</source>
        <translation>erreur inconnue %1</translation>
    </message>
    <message>
        <source>exited (its exit status was collected by other code)</source>
        <translation>s’est terminé (son code de sortie a été récupéré par un autre code)</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>s’est terminé avec le code %1</translation>
    </message>
    <message>
        <source>was killed by signal %1 (%2)</source>
        <translation>a été tué par le signal %1 (%2)</translation>
    </message>
    <message>
        <source>ended with status %1</source>
        <translation>s’est terminé avec l’état %1</translation>
    </message>
    <message>
        <source>closed its connection</source>
        <translation>a fermé sa connexion</translation>
    </message>
    <message>
        <source>invalid CBOR: %1</source>
        <translation>CBOR invalide : %1</translation>
    </message>
    <message>
        <source>the CBOR data is not an array</source>
        <translation>les données CBOR ne sont pas un tableau</translation>
    </message>
    <message>
        <source>QDataStream could not write the values</source>
        <translation>QDataStream n’a pas pu écrire les valeurs</translation>
    </message>
    <message>
        <source>the data is not a valid QDataStream of a QVariantList</source>
        <translation>les données ne sont pas un QDataStream valide d’une QVariantList</translation>
    </message>
    <message>
        <source>invalid JSON: %1</source>
        <translation>JSON invalide : %1</translation>
    </message>
    <message>
        <source>the JSON is not an array</source>
        <translation>le JSON n’est pas un tableau</translation>
    </message>
    <message>
        <source>the octets serialiser carries only QByteArray values; value %1 is of type %2</source>
        <translation>le sérialiseur octets ne transporte que des valeurs QByteArray ; la valeur %1 est de type %2</translation>
    </message>
    <message>
        <source>truncated or invalid octets length</source>
        <translation>longueur d’octets tronquée ou invalide</translation>
    </message>
    <message>
        <source>an octet string runs past the end of the data</source>
        <translation>une chaîne d’octets dépasse la fin des données</translation>
    </message>
    <message>
        <source>the %1 serialiser cannot carry value %2 of type %3</source>
        <translation>le sérialiseur %1 ne peut pas transporter la valeur %2 de type %3</translation>
    </message>
    <message>
        <source>call() to &apos;%1&apos; refused: %2 calls are waiting for results already (Options::maxPendingCalls)</source>
        <translation>call() vers « %1 » refusé : %2 appels attendent déjà leurs résultats (Options::maxPendingCalls)</translation>
    </message>
    <message>
        <source>call() to &apos;%1&apos; refused: %2 bytes of requests wait for the worker to read them, the limit is %3 (Options::maxQueuedBytes)</source>
        <translation>call() vers « %1 » refusé : %2 octets de requêtes attendent que le processus de travail les lise ; la limite est %3 (Options::maxQueuedBytes)</translation>
    </message>
    <message>
        <source>unexpected bytes after the CBOR array</source>
        <translation>octets inattendus après le tableau CBOR</translation>
    </message>
    <message>
        <source>the data holds a value of type %1, which the datastream serialiser does not read</source>
        <translation>les données contiennent une valeur de type %1, que le sérialiseur datastream ne lit pas</translation>
    </message>
    <message>
        <source>the serialiser &apos;%1&apos; cannot serialise the values: %2</source>
        <translation>le sérialiseur « %1 » ne peut pas sérialiser les valeurs : %2</translation>
    </message>
    <message>
        <source>the serialiser &apos;%1&apos; cannot deserialise the values: %2</source>
        <translation>le sérialiseur « %1 » ne peut pas désérialiser les valeurs : %2</translation>
    </message>
    <message>
        <source>value %1 is nested more than %2 levels deep</source>
        <translation>la valeur %1 est imbriquée sur plus de %2 niveaux</translation>
    </message>
    <message>
        <source>the values need at least %1 bytes, more than the 4 GiB - 1 bytes one message may carry</source>
        <translation>les valeurs demandent au moins %1 octets, plus que les 4 Gio - 1 octets qu’un message peut contenir</translation>
    </message>
    <message>
        <source>the data is nested more than %1 levels deep</source>
        <translation>les données sont imbriquées sur plus de %1 niveaux</translation>
    </message>
    <message>
        <source>closed its connection but kept running (unexpected end of stream), so it was killed</source>
        <translation>a fermé sa connexion mais continuait de tourner (fin de flux inattendue), il a donc été tué</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is registered with the %2 signature, but the %3 backend runs only functions with the %3 signature</source>
        <translation>« %1 » est enregistrée avec la signature %2, mais le backend %3 n’exécute que des fonctions avec la signature %3</translation>
    </message>
    <message>
        <source>the init arguments cannot be sent to the worker: %1</source>
        <translation>les arguments d’initialisation ne peuvent pas être envoyés au processus de travail : %1</translation>
    </message>
    <message>
        <source>a call to &apos;%1&apos; did not answer within %2 ms (Options::callTimeoutMs), so its worker (pid %3) was killed</source>
        <translation>un appel à &apos;%1&apos; n’a pas répondu en %2 ms (Options::callTimeoutMs), son processus de travail (pid %3) a donc été tué</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) were running</source>
        <translation>
            <numerusform>%n appel était en cours</numerusform>
            <numerusform>%n appels étaient en cours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) never ran (safe to repeat)</source>
        <translation>
            <numerusform>%n appel n’a jamais été exécuté (peut être répété)</numerusform>
            <numerusform>%n appels n’ont jamais été exécutés (peuvent être répétés)</numerusform>
        </translation>
    </message>
    <message>
        <source>a cancelled call to &apos;%1&apos; still ran %2 ms after it was cancelled (QForkRpcPool::Options::cancelKillAfterMs), so its worker (pid %3) was killed</source>
        <translation>un appel annulé à &apos;%1&apos; tournait encore %2 ms après son annulation (QForkRpcPool::Options::cancelKillAfterMs), son worker (pid %3) a donc été tué</translation>
    </message>
    <message>
        <source>call() to the pool of &apos;%1&apos; refused: %2 calls are waiting for a worker already (QForkRpcPool::Options::maxQueuedCalls)</source>
        <translation>call() vers le pool de &apos;%1&apos; refusé : %2 appels attendent déjà un worker (QForkRpcPool::Options::maxQueuedCalls)</translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) went to another worker of the pool</source>
        <translation>
            <numerusform>%n appel est passé à un autre processus de travail du pool</numerusform>
            <numerusform>%n appels sont passés à un autre processus de travail du pool</numerusform>
        </translation>
    </message>
    <message>
        <source>; its last lines on stderr: %1</source>
        <translation> ; ses dernières lignes sur stderr : %1</translation>
    </message>
    <message>
        <source>Spawn::Command needs the command to run in Options::command</source>
        <translation>Spawn::Command a besoin de la commande à lancer dans Options::command</translation>
    </message>
    <message>
        <source>the command &apos;%1&apos; did not start a QForkRpc worker (does it reach the worker program, and does that program&apos;s main() call QForkRpc::initialize()?)</source>
        <translation>la commande &apos;%1&apos; n’a pas démarré de worker QForkRpc (atteint-elle le programme worker, et le main() de ce programme appelle-t-il QForkRpc::initialize() ?)</translation>
    </message>
    <message>
        <source>the worker speaks version %1 of the QForkRpc protocol and this program version %2: build the worker program with the same QForkRpc release as this program</source>
        <translation>le worker parle la version %1 du protocole QForkRpc et ce programme la version %2 : compilez le programme worker avec la même version de QForkRpc que ce programme</translation>
    </message>
    <message>
        <source>a QForkRpcFd cannot travel to or from a worker started through a command: its pipes carry no descriptors</source>
        <translation>un QForkRpcFd ne peut pas aller vers ou venir d’un worker démarré par une commande : ses tubes ne transportent pas de descripteurs</translation>
    </message>
    <message>
        <source>one message may carry at most %1 descriptors</source>
        <translation>un message peut transporter au plus %1 descripteurs</translation>
    </message>
    <message>
        <source>the message refers to descriptor %1, which did not come with it</source>
        <translation>le message fait référence au descripteur %1, qui n’est pas venu avec lui</translation>
    </message>
    <message>
        <source>a CBOR descriptor tag holds no descriptor number</source>
        <translation>une étiquette CBOR de descripteur ne contient pas de numéro de descripteur</translation>
    </message>
</context>
</TS>
