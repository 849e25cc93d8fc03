package dev.anvil.dataset.retrain;

import java.time.Instant;
import java.util.List;

/**
 * A retraining as {@code GET /retrainings/{id}} shows it: the trigger, the lineage, the job, the ids of the events
 * it consumed and published (to follow it through the other services' APIs and logs), its trace, and every step
 * with why.
 */
public record RetrainingView(String id, String route, RetrainingStatus status, Trigger trigger, Lineage lineage,
                             String jobId, Events events, String traceparent, List<Retraining.Note> steps,
                             Instant createdAt, Instant updatedAt, Instant requestedAt) {

    /** The alert that started it: a {@code DriftDetected} ({@code negative_feedback} for user feedback). */
    public record Trigger(String eventId, String modelVersion, String feature, String statistic, double value,
                          double threshold) {
    }

    /** The version the drifting model was trained on and the child made from it (null until made). */
    public record Lineage(String dataset, String parentVersion, String childVersion) {
    }

    /**
     * @param sourceRequest the TrainingRequested of the drifting version's job
     * @param trigger       the DriftDetected
     * @param requested     the TrainingRequested this retraining published
     * @param outcome       the event that ended it (promoted, rolled back, rejected, training failed)
     */
    public record Events(String sourceRequest, String trigger, String requested, String outcome) {
    }

    static RetrainingView of(Retraining r) {
        return new RetrainingView(r.id, r.route, r.status,
                new Trigger(r.triggerEventId, r.driftingVersion, r.feature, r.statistic, r.value, r.threshold),
                new Lineage(r.parentDataset, r.parentVersion, r.childVersion), r.jobId,
                new Events(r.sourceRequestEventId, r.triggerEventId, r.requestedEventId, r.outcomeEventId),
                r.traceparent, r.notes(), r.createdAt, r.updatedAt, r.requestedAt);
    }
}
