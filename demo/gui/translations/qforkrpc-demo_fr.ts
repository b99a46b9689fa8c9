<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>CommandLine</name>
    <message>
        <source>Use this language (for example de or fr) instead of the system&apos;s.</source>
        <translation>Utiliser cette langue (par exemple de ou fr) au lieu de celle du système.</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <source>Run a scripted session (jobs, a crash, finish), check the results and exit with 0 if all is well.</source>
        <translation>Exécuter une session scriptée (tâches, un plantage, fin), vérifier les résultats et quitter avec le code 0 si tout va bien.</translation>
    </message>
    <message>
        <source>Run a scripted session up to a moment worth showing, save the window to this file and exit.</source>
        <translation>Exécuter une session scriptée jusqu&apos;à un moment intéressant, enregistrer la fenêtre dans ce fichier et quitter.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>QForkRpc demo: counting primes in worker processes.</source>
        <translation>Démo de QForkRpc : compter les nombres premiers dans des processus de travail.</translation>
    </message>
</context>
<context>
    <name>JobBoard</name>
    <message>
        <source>Job</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>Nombres</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Processus</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>aucun pour l&apos;instant</translation>
    </message>
    <message>
        <source>worker %1, pid %2</source>
        <translation>processus %1, pid %2</translation>
    </message>
    <message>
        <source>worker %1</source>
        <translation>processus %1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>queued in the worker</source>
        <translation>en file dans le processus</translation>
    </message>
    <message>
        <source>%1 primes so far</source>
        <translation>%1 nombres premiers jusqu&apos;ici</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminée</translation>
    </message>
    <message>
        <source>%1 primes in %2 s</source>
        <translation>%1 nombres premiers en %2 s</translation>
    </message>
    <message>
        <source>failed at %p%</source>
        <translation>interrompue à %p %</translation>
    </message>
    <message>
        <source>failed: its worker died</source>
        <translation>échec : son processus est mort</translation>
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
        <translation>Démo de QForkRpc : compter les nombres premiers dans des processus de travail</translation>
    </message>
    <message>
        <source>Each job counts the primes in a range of numbers by trial division, in a worker process of its own. The wheel keeps turning because the window never waits for a worker, and a worker that crashes takes only its own job with it.</source>
        <translation>Chaque tâche compte les nombres premiers d&apos;un intervalle par divisions successives, dans son propre processus de travail. La roue continue de tourner parce que la fenêtre n&apos;attend jamais un processus, et un processus qui plante n&apos;emporte que sa propre tâche.</translation>
    </message>
    <message>
        <source>What the workers reported:</source>
        <translation>Ce que les processus de travail ont signalé :</translation>
    </message>
    <message>
        <source>sync: one job at a time per worker</source>
        <translation>synchrone : une tâche à la fois par processus</translation>
    </message>
    <message>
        <source>async: two jobs at once per worker</source>
        <translation>asynchrone : deux tâches à la fois par processus</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Backend:</source>
        <translation>Mode :</translation>
    </message>
    <message>
        <source>Workers:</source>
        <translation>Processus :</translation>
    </message>
    <message>
        <source>Jobs:</source>
        <translation>Tâches :</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Crash a worker</source>
        <translation>Faire planter un processus</translation>
    </message>
    <message>
        <source>The busy worker with the least progress segfaults in the middle of its job.</source>
        <translation>Le processus occupé le moins avancé plante (erreur de segmentation) au milieu de sa tâche.</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminer</translation>
    </message>
    <message>
        <source>The queued jobs go to the workers, which exit once they have done them.</source>
        <translation>Les tâches en attente sont confiées aux processus, qui se terminent une fois qu&apos;ils les ont faites.</translation>
    </message>
    <message>
        <source>Started. Backend: %1, workers: %2, jobs: %3.</source>
        <translation>Démarré. Mode : %1, processus : %2, tâches : %3.</translation>
    </message>
    <message>
        <source>async</source>
        <translation>asynchrone</translation>
    </message>
    <message>
        <source>sync</source>
        <translation>synchrone</translation>
    </message>
    <message>
        <source>Job %1 failed.</source>
        <translation>La tâche %1 a échoué.</translation>
    </message>
    <message>
        <source>Told worker %1 (pid %2) to crash in the middle of its job.</source>
        <translation>Le processus %1 (pid %2) doit planter au milieu de sa tâche.</translation>
    </message>
    <message>
        <source>Worker %1 (pid %2) reported: %3</source>
        <translation>Le processus %1 (pid %2) signale : %3</translation>
    </message>
    <message>
        <source>Started a fresh process for worker %1; the remaining jobs carry on.</source>
        <translation>Un nouveau processus remplace le processus %1 ; les tâches restantes continuent.</translation>
    </message>
    <message>
        <source>Worker %1 has handled all its calls and is gone (destroyed()).</source>
        <translation>Le processus %1 a traité tous ses appels et s&apos;est terminé (destroyed()).</translation>
    </message>
    <message>
        <source>No worker is in the middle of a job right now.</source>
        <translation>Aucun processus n&apos;est au milieu d&apos;une tâche en ce moment.</translation>
    </message>
    <message>
        <source>Finish: the queued jobs go to the workers, which exit once they have done them.</source>
        <translation>Terminer : les tâches en attente sont confiées aux processus, qui se terminent une fois qu&apos;ils les ont faites.</translation>
    </message>
    <message>
        <source>All workers are gone. Jobs done: %1, failed: %2.</source>
        <translation>Tous les processus se sont terminés. Tâches réussies : %1, échouées : %2.</translation>
    </message>
    <message>
        <source>Waiting: %1    Running: %2    Done: %3    Failed: %4</source>
        <translation>En attente : %1    En cours : %2    Terminées : %3    Échouées : %4</translation>
    </message>
    <message>
        <source>Every job is done or failed. Press Finish to let the workers exit.</source>
        <translation>Toutes les tâches sont terminées ou ont échoué. Cliquez sur « Terminer » pour que les processus se terminent.</translation>
    </message>
    <message>
        <source>Numbers per job (millions):</source>
        <translation>Nombres par tâche (en millions) :</translation>
    </message>
    <message>
        <source>Longest pause of the window:</source>
        <translation>Plus longue pause de la fenêtre :</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
</context>
</TS>
