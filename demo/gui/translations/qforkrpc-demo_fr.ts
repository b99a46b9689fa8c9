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
    <message>
        <source>Run a scripted session (jobs, a crash, cancelling, a time limit, finish), check the results and exit with 0 if all is well.</source>
        <translation>Exécuter une session scriptée (tâches, un plantage, des annulations, un délai maximal, fin), vérifier les résultats et quitter avec le code 0 si tout va bien.</translation>
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
        <source>waiting</source>
        <translation>en attente</translation>
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
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>none: this job never answers</source>
        <translation>aucun : cette tâche ne répond jamais</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancels the job&apos;s call (QFuture::cancel()): a job that has not started never runs, a running one stops at its next step.</source>
        <translation>Annule l&apos;appel de la tâche (QFuture::cancel()) : une tâche qui n&apos;a pas commencé ne s&apos;exécute jamais, une tâche en cours s&apos;arrête à son étape suivante.</translation>
    </message>
    <message>
        <source>waiting for an answer that never comes</source>
        <translation>attend une réponse qui ne vient jamais</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>calcul en cours</translation>
    </message>
    <message>
        <source>cancelled at %p%</source>
        <translation>annulée à %p %</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulée</translation>
    </message>
    <message>
        <source>cancelled before it started: it never runs</source>
        <translation>annulée avant de commencer : elle ne s&apos;exécute jamais</translation>
    </message>
    <message>
        <source>cancelled: the worker stops at its next step</source>
        <translation>annulée : le processus s&apos;arrête à son étape suivante</translation>
    </message>
    <message>
        <source>cancelled: the worker stopped after %1 of %2 numbers</source>
        <translation>annulée : le processus s&apos;est arrêté après %1 nombres sur %2</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>délai dépassé</translation>
    </message>
    <message>
        <source>its worker died</source>
        <translation>son processus est mort</translation>
    </message>
    <message>
        <source>no answer within the time limit, its worker was killed</source>
        <translation>pas de réponse dans le délai, son processus a été tué</translation>
    </message>
    <message>
        <source>failed (%1): %2</source>
        <translation>échec (%1) : %2</translation>
    </message>
    <message>
        <source>cancelled: it never stops by itself, so the pool kills its worker</source>
        <translation>annulée : elle ne s&apos;arrête jamais d&apos;elle-même, le pool tue donc son processus</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>QForkRpc demo: counting primes in worker processes</source>
        <translation>Démo de QForkRpc : compter les nombres premiers dans des processus de travail</translation>
    </message>
    <message>
        <source>What the workers reported:</source>
        <translation>Ce que les processus de travail ont signalé :</translation>
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
        <source>async</source>
        <translation>asynchrone</translation>
    </message>
    <message>
        <source>sync</source>
        <translation>synchrone</translation>
    </message>
    <message>
        <source>No worker is in the middle of a job right now.</source>
        <translation>Aucun processus n&apos;est au milieu d&apos;une tâche en ce moment.</translation>
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
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>A job that has not answered this long after its worker started it fails, and its worker is killed and replaced.</source>
        <translation>Une tâche qui n&apos;a pas répondu aussi longtemps après que son processus l&apos;a commencée échoue, et son processus est tué et remplacé.</translation>
    </message>
    <message>
        <source>Time limit per job:</source>
        <translation>Délai maximal par tâche :</translation>
    </message>
    <message>
        <source>Add a stuck job</source>
        <translation>Ajouter une tâche bloquée</translation>
    </message>
    <message>
        <source>Started. Backend: %1, workers: %2, jobs: %3, time limit per job: %4 s.</source>
        <translation>Démarré. Mode : %1, processus : %2, tâches : %3, délai maximal par tâche : %4 s.</translation>
    </message>
    <message>
        <source>Job %1 failed (%2).</source>
        <translation>La tâche %1 a échoué (%2).</translation>
    </message>
    <message>
        <source>Cancelled job %1: its future is cancelled, its worker is told.</source>
        <translation>Tâche %1 annulée : son future est annulé, son processus est prévenu.</translation>
    </message>
    <message>
        <source>Every job is done, failed or cancelled. Press Finish to let the workers exit.</source>
        <translation>Toutes les tâches sont terminées, ont échoué ou ont été annulées. Cliquez sur « Terminer » pour que les processus se terminent.</translation>
    </message>
    <message>
        <source>sync: one job at a time per worker, the next one waits in it</source>
        <translation>synchrone : une tâche à la fois par processus, la suivante y attend</translation>
    </message>
    <message>
        <source>Each job counts the primes in a range of numbers by trial division, in one of a pool of worker processes (QForkRpcPool). The wheel keeps turning because the window never waits for a worker, and a worker that crashes takes only its own jobs with it. The progress bars show what the workers report through the jobs&apos; futures; Cancel stops a job, and the time limit ends a job that never answers.</source>
        <translation>Chaque tâche compte les nombres premiers d&apos;un intervalle par divisions successives, dans l&apos;un des processus de travail d&apos;un pool (QForkRpcPool). La roue continue de tourner parce que la fenêtre n&apos;attend jamais un processus, et un processus qui plante n&apos;emporte que ses propres tâches. Les barres de progression montrent ce que les processus signalent par les futures des tâches ; « Annuler » arrête une tâche, et le délai maximal met fin à une tâche qui ne répond jamais.</translation>
    </message>
    <message>
        <source>Adds a job whose worker never answers, at the end of the pool&apos;s queue: the time limit ends it.</source>
        <translation>Ajoute à la fin de la file du pool une tâche dont le processus ne répond jamais : le délai maximal y met fin.</translation>
    </message>
    <message>
        <source>The pool takes no new jobs: the workers do the queued ones, then exit.</source>
        <translation>Le pool n&apos;accepte plus de tâches : les processus font celles en attente, puis se terminent.</translation>
    </message>
    <message>
        <source>Worker %1 (pid %2) began its first job.</source>
        <translation>Le processus %1 (pid %2) a commencé sa première tâche.</translation>
    </message>
    <message>
        <source>Worker %1 (pid %2) stopped job %3 after %4 of %5 numbers, as it was cancelled.</source>
        <translation>Le processus %1 (pid %2) a arrêté la tâche %3 après %4 nombres sur %5, car elle a été annulée.</translation>
    </message>
    <message>
        <source>cancelled by the library</source>
        <translation>annulée par la bibliothèque</translation>
    </message>
    <message>
        <source>The pool reported: %1</source>
        <translation>Le pool signale : %1</translation>
    </message>
    <message>
        <source>All workers are gone (destroyed()). Jobs done: %1, failed: %2, cancelled: %3.</source>
        <translation>Tous les processus se sont terminés (destroyed()). Tâches réussies : %1, échouées : %2, annulées : %3.</translation>
    </message>
    <message>
        <source>Added job %1, which never answers, at the end of the pool&apos;s queue: once a worker has started it, the time limit of %2 s ends it.</source>
        <translation>Tâche %1 ajoutée, qui ne répond jamais, à la fin de la file du pool : une fois qu&apos;un processus l&apos;a commencée, le délai maximal de %2 s y met fin.</translation>
    </message>
    <message>
        <source>Cancelled job %1 before it started: it never runs.</source>
        <translation>Tâche %1 annulée avant de commencer : elle ne s&apos;exécute jamais.</translation>
    </message>
    <message>
        <source>Cancelled job %1: it never asks isCancelled(), so the pool kills its worker a second later (cancelKillAfterMs) and starts a fresh one.</source>
        <translation>Tâche %1 annulée : elle n&apos;appelle jamais isCancelled(), le pool tue donc son processus une seconde plus tard (cancelKillAfterMs) et en démarre un nouveau.</translation>
    </message>
    <message>
        <source>Told worker %1 (pid %2) to crash in the middle of job %3.</source>
        <translation>Le processus %1 (pid %2) doit planter au milieu de la tâche %3.</translation>
    </message>
    <message>
        <source>Finish: the pool takes no new jobs; the workers do the queued ones, then exit.</source>
        <translation>Terminer : le pool n&apos;accepte plus de tâches ; les processus font celles en attente, puis se terminent.</translation>
    </message>
    <message>
        <source>Workers: %1    Waiting: %2    Running: %3    Done: %4    Failed: %5    Cancelled: %6</source>
        <translation>Processus : %1    En attente : %2    En cours : %3    Terminées : %4    Échouées : %5    Annulées : %6</translation>
    </message>
</context>
</TS>
