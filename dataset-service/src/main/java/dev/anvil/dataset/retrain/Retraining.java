package dev.anvil.dataset.retrain;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.anvil.dataset.JsonColumns;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.service.tracing.Traceparent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One retraining: the drift alert that asked for it, the decision and every later step with why (its notes), and
 * the ids of the events it consumed and published, so that its trail can be followed across the services.
 */
@Entity
@Table(name = "retraining")
public class Retraining extends PanacheEntityBase {

    /** One step of the trail: when, the status it led to, why, and the event that caused it (if any). */
    public record Note(Instant at, RetrainingStatus status, String why, String eventId) {
    }

    @Id
    @Column(name = "id", length = 36)
    public String id;

    @Column(name = "route", length = 128)
    public String route;

    @Column(name = "in_flight_route", length = 128)
    public String inFlightRoute;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 32)
    public RetrainingStatus status;

    @Column(name = "trigger_event_id", nullable = false)
    public String triggerEventId;

    @Column(name = "trigger_feature", nullable = false)
    public String feature;

    @Column(name = "trigger_statistic", nullable = false)
    public String statistic;

    @Column(name = "trigger_value", nullable = false)
    public double value;

    @Column(name = "trigger_threshold", nullable = false)
    public double threshold;

    @Column(name = "drifting_version", nullable = false)
    public String driftingVersion;

    @Column(name = "source_request_event_id")
    public String sourceRequestEventId;

    @Column(name = "parent_dataset", length = 256)
    public String parentDataset;

    @Column(name = "parent_version", length = 256)
    public String parentVersion;

    @Column(name = "child_version", length = 64)
    public String childVersion;

    @Column(name = "job_id", length = 128)
    public String jobId;

    @Column(name = "requested_event_id")
    public String requestedEventId;

    @Column(name = "outcome_event_id")
    public String outcomeEventId;

    @Column(name = "traceparent", length = Traceparent.MAX_LENGTH)
    public String traceparent;

    @Column(name = "notes_json", nullable = false)
    public String notesJson;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When its training was requested: what the cool-down and the daily maximum count. */
    @Column(name = "requested_at")
    public Instant requestedAt;

    static Retraining triggeredBy(String eventId, DriftDetected drift, Instant now) {
        Retraining row = new Retraining();
        row.id = UUID.randomUUID().toString();
        row.triggerEventId = eventId;
        row.feature = drift.feature();
        row.statistic = drift.statistic();
        row.value = drift.value();
        row.threshold = drift.threshold();
        row.driftingVersion = drift.modelVersion();
        row.traceparent = Traceparent.current();
        row.notesJson = "[]";
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** The job id of its training: derived from its own id, so that a retried request is the same request. */
    static String jobIdOf(String retrainingId) {
        return "retrain-" + retrainingId.replace("-", "").substring(0, 12);
    }

    /** Moves to {@code next} for {@code why}; a final status gives the route free. */
    void step(RetrainingStatus next, String why, String eventId, Instant now) {
        List<Note> notes = new ArrayList<>(notes());
        notes.add(new Note(now, next, why, eventId));
        notesJson = write(notes);
        status = next;
        inFlightRoute = next.inFlight() ? route : null;
        updatedAt = now;
    }

    /** Adds a step that changes nothing (an evaluation that passed, say); false when that event is noted already. */
    boolean note(String why, String eventId, Instant now) {
        if (notes().stream().anyMatch(n -> eventId.equals(n.eventId()))) return false;
        List<Note> notes = new ArrayList<>(notes());
        notes.add(new Note(now, status, why, eventId));
        notesJson = write(notes);
        updatedAt = now;
        return true;
    }

    public List<Note> notes() {
        return JsonColumns.read(notesJson, new TypeReference<>() {
        }, "the notes of retraining " + id);
    }

    static Optional<Retraining> byTrigger(String eventId) {
        return find("triggerEventId", eventId).firstResultOptional();
    }

    /**
     * The retraining that requested {@code jobId}, locked: the job's events arrive on three topics, each with a
     * consumer thread of its own, and every one of them appends to the same notes.
     */
    static Optional<Retraining> byJobLocked(String jobId) {
        return find("jobId", jobId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    static Optional<Retraining> inFlightOn(String route) {
        return find("inFlightRoute", route).firstResultOptional();
    }

    /** The latest time a training was requested for {@code route}, if ever. */
    static Optional<Instant> lastRequest(String route) {
        return find("route = ?1 and requestedAt is not null", Sort.descending("requestedAt"), route)
                .firstResultOptional().map(r -> ((Retraining) r).requestedAt);
    }

    static long requestsSince(String route, Instant since) {
        return count("route = ?1 and requestedAt >= ?2", route, since);
    }

    /** The ids of the retrainings BUILDING with no step since before {@code cutoff}: builds whose builder died. */
    static List<String> buildingSince(Instant cutoff) {
        return Retraining.<Retraining>list("status = ?1 and updatedAt < ?2", RetrainingStatus.BUILDING, cutoff)
                .stream().map(r -> r.id).toList();
    }

    static List<Retraining> newestFirst(String route) {
        Sort newest = Sort.descending("createdAt").and("id");
        return route == null ? listAll(newest) : list("route", newest, route);
    }

    private String write(List<Note> notes) {
        return JsonColumns.write(notes, "the notes of retraining " + id);
    }
}
