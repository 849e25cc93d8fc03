package dev.anvil.eval.evaluation;

import java.util.Locale;

/** Where an evaluation stands. QUEUED and RUNNING are unfinished: a replica takes them over if their holder dies. */
public enum EvaluationStatus {
    QUEUED, RUNNING, COMPLETED, FAILED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
