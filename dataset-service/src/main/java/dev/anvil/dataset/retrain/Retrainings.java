package dev.anvil.dataset.retrain;

import dev.anvil.dataset.UniqueViolations;
import dev.anvil.dataset.InvalidInputException;
import dev.anvil.dataset.UnknownResourceException;
import dev.anvil.dataset.outbox.Outbox;
import dev.anvil.dataset.outbox.OutboxRelay;
import dev.anvil.dataset.version.VersionCommitter;
import dev.anvil.dataset.version.VersionStore;
import dev.anvil.events.Envelope;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.service.http.RefusedException;
import dev.anvil.service.tracing.Traceparent;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The retraining policy: a drift alert on a model version becomes a retraining of its route (or a skipped one, with
 * the reason), which, automatically or once approved, builds a child of the version's dataset version from the
 * gateway's traffic and asks for its training with the previous job's settings. The loop's outcome (promotion,
 * rollback, failed evaluation, failed training) ends it and frees the route. Every step is a note on the row.
 */
@ApplicationScoped
public class Retrainings {

    private static final Logger LOG = Logger.getLogger(Retrainings.class);
    private static final int MAX_ATTEMPTS = 5;

    private final RetrainingConfig config;
    private final RetrainingPolicy policy;
    private final GatewayTraffic gateway;
    private final ChildVersions children;
    private final VersionStore store;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final RetrainingMeters meters;

    public Retrainings(RetrainingConfig config, GatewayTraffic gateway, ChildVersions children, VersionStore store,
                       Outbox outbox, OutboxRelay relay, RetrainingMeters meters) {
        this.config = config;
        this.policy = RetrainingPolicy.of(config);
        this.gateway = gateway;
        this.children = children;
        this.store = store;
        this.outbox = outbox;
        this.relay = relay;
        this.meters = meters;
    }

    /**
     * A drift alert (or negative feedback, feature {@code negative_feedback}). Idempotent by the event's id: a
     * redelivery finds its retraining and only resumes a build a crash interrupted.
     */
    public void onDrift(Envelope event) {
        DriftDetected drift = event.dataAs(DriftDetected.class);
        Retraining row = decide(event.id(), drift);
        if (row.status == RetrainingStatus.BUILDING) build(row.id);
    }

    private Retraining decide(String eventId, DriftDetected drift) {
        for (int attempt = 1; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> decideOnce(eventId, drift));
            } catch (RuntimeException e) {
                // Another thread or replica took the route (or this very event) first: decide again, seeing it.
                if (attempt >= MAX_ATTEMPTS || !UniqueViolations.isCause(e)) throw e;
            }
        }
    }

    private Retraining decideOnce(String eventId, DriftDetected drift) {
        Optional<Retraining> seen = Retraining.byTrigger(eventId);
        if (seen.isPresent()) return seen.get();
        Instant now = now();
        Retraining row = Retraining.triggeredBy(eventId, drift, now);
        String trigger = drift.feature() + " " + drift.statistic() + " " + drift.value() + " > threshold "
                + drift.threshold() + " on version " + drift.modelVersion();
        KnownTrainingRequest job = KnownTrainingRequest.findById(drift.modelVersion());
        if (job != null) {
            row.route = job.route;
            row.sourceRequestEventId = job.eventId;
            row.parentDataset = job.datasetName;
            row.parentVersion = job.datasetVersion;
        }
        Optional<String> skip = policy.refusal(drift, job, route -> historyOf(route, now), now);
        if (skip.isPresent()) {
            step(row, RetrainingStatus.SKIPPED, "skipped (" + trigger + "): " + skip.get(), eventId, now);
        } else if (policy.mode() == RetrainingMode.MANUAL) {
            step(row, RetrainingStatus.PENDING_APPROVAL, trigger + "; waiting for approval (mode manual): POST "
                    + "/retrainings/" + row.id + "/approve", eventId, now);
        } else {
            step(row, RetrainingStatus.BUILDING, trigger + "; building a child of " + job.datasetName + " version "
                    + job.datasetVersion + " from the version's traffic (mode automatic)", eventId, now);
        }
        row.persistAndFlush();
        LOG.infof("retraining %s on route %s: %s", row.id, row.route, row.notes().get(0).why());
        return row;
    }

    private static RetrainingPolicy.RouteHistory historyOf(String route, Instant now) {
        return new RetrainingPolicy.RouteHistory(Retraining.inFlightOn(route), Retraining.lastRequest(route),
                Retraining.requestsSince(route, RetrainingPolicy.startOfDay(now)));
    }

    /**
     * A person's go-ahead for a retraining waiting for approval: it builds and requests its training now, unless the
     * cool-down or the daily maximum holds its route back by now (settings tightened while it waited): then it keeps
     * waiting, the refusal noted on its trail, and the answer is a 409 naming the guard.
     */
    public RetrainingView approve(String id) {
        Optional<String> held = QuarkusTransaction.requiringNew().call(() -> {
            Retraining row = lockedIn(id, RetrainingStatus.PENDING_APPROVAL);
            Instant now = now();
            Optional<String> limit = policy.limits(row.route, historyOf(row.route, now), now);
            if (limit.isPresent()) {
                step(row, RetrainingStatus.PENDING_APPROVAL, "approval refused: " + limit.get(), null, now);
            } else {
                step(row, RetrainingStatus.BUILDING, "approved: building a child version from the version's traffic",
                        null, now);
            }
            return limit;
        });
        if (held.isPresent()) {
            throw RefusedException.conflict("retraining " + id + " cannot be approved now: " + held.get()
                    + "; it stays PENDING_APPROVAL (approve it later, or reject it)");
        }
        build(id);
        return view(id);
    }

    /** A person's no to a retraining waiting for approval: it ends, and the route is free. */
    public RetrainingView decline(String id) {
        QuarkusTransaction.requiringNew().run(() -> step(lockedIn(id, RetrainingStatus.PENDING_APPROVAL),
                RetrainingStatus.DECLINED, "declined by a person", null, now()));
        return view(id);
    }

    private static Retraining lockedIn(String id, RetrainingStatus expected) {
        Retraining row = locked(id);
        if (row.status != expected) {
            throw RefusedException.conflict("retraining " + id + " is " + row.status + ", not " + expected);
        }
        return row;
    }

    /**
     * Fetches the traffic, makes the child version and requests its training; every failure is recorded. Safe to
     * run again on a row whose build was interrupted (BuildSweeper): the same child is found by its content, and only
     * a row still BUILDING requests its training.
     */
    void build(String id) {
        Retraining row = QuarkusTransaction.requiringNew().call(() -> Retraining.<Retraining>findById(id));
        // The rest of the loop continues the trace of the alert that started it, whoever resumes it.
        try (Scope ignored = Traceparent.context(row.traceparent).makeCurrent()) {
            buildInTrace(row);
        }
    }

    private void buildInTrace(Retraining row) {
        Path work = store.newWorkDir();
        try {
            Path traffic = work.resolve("traffic.jsonl");
            int samples = gateway.fetch(row.driftingVersion, traffic);
            if (samples < config.minSamples()) {
                end(row.id, RetrainingStatus.SKIPPED, "skipped: only " + samples + " traffic samples, min-samples "
                        + config.minSamples());
                return;
            }
            VersionCommitter.Committed child = children.create(row.parentDataset, row.parentVersion, traffic);
            String version = child.version().version();
            if (version.equals(row.parentVersion)) {
                end(row.id, RetrainingStatus.SKIPPED, "skipped: the " + samples + " traffic samples add nothing to "
                        + "version " + version + " once cleaned");
                return;
            }
            request(row.id, version, samples, child.version().records().accepted());
        } catch (GatewayTraffic.UnavailableException e) {
            end(row.id, RetrainingStatus.FAILED, "failed: " + e.getMessage());
        } catch (UnknownResourceException | InvalidInputException e) {
            end(row.id, RetrainingStatus.FAILED, "failed: the child version cannot be made: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                VersionStore.deleteRecursively(work);
            } catch (IOException e) {
                LOG.warnf(e, "could not remove the work folder %s", work);
            }
        }
    }

    private void request(String id, String childVersion, int samples, long accepted) {
        QuarkusTransaction.requiringNew().run(() -> {
            Retraining row = locked(id);
            if (row.status != RetrainingStatus.BUILDING) return; // another builder of the same row finished first
            KnownTrainingRequest job = KnownTrainingRequest.findById(row.driftingVersion);
            Instant now = now();
            row.childVersion = childVersion;
            row.jobId = Retraining.jobIdOf(row.id);
            row.requestedAt = now;
            Envelope sent = outbox.enqueue(job.successor(row.jobId, new DatasetRef(row.parentDataset, childVersion)));
            row.requestedEventId = sent.id();
            step(row, RetrainingStatus.REQUESTED, "child version " + childVersion + " of " + row.parentDataset
                    + " (parent " + row.parentVersion + ", " + samples + " traffic samples, " + accepted
                    + " records accepted); training " + row.jobId + " requested with job " + job.jobId
                    + "'s base model, method and hyperparameters for route " + row.route, sent.id(), now);
        });
        relay.wakeUp();
    }

    private void end(String id, RetrainingStatus status, String why) {
        QuarkusTransaction.requiringNew().run(() -> {
            Retraining row = locked(id);
            if (row.status == RetrainingStatus.BUILDING) step(row, status, why, null, now());
        });
        LOG.infof("retraining %s: %s", id, why);
    }

    /**
     * An event of the loop about the job a retraining requested: {@code status} ends it (a final outcome), or null
     * only notes it. Idempotent: an event already noted, or one for a retraining that ended, changes nothing.
     */
    public void onOutcome(String jobId, String eventId, RetrainingStatus status, String why) {
        QuarkusTransaction.requiringNew().run(() -> Retraining.byJobLocked(jobId).ifPresent(row -> {
            if (row.status != RetrainingStatus.REQUESTED) return;
            if (status == null) {
                row.note(why, eventId, now());
            } else {
                row.outcomeEventId = eventId;
                step(row, status, why, eventId, now());
                LOG.infof("retraining %s on route %s: %s", row.id, row.route, why);
            }
        }));
    }

    /** Records a training request, once per job id: the first one seen is the job's. */
    public void onTrainingRequested(Envelope event) {
        TrainingRequested request = event.dataAs(TrainingRequested.class);
        QuarkusTransaction.requiringNew().run(() -> {
            if (KnownTrainingRequest.findById(request.jobId()) == null) {
                KnownTrainingRequest.of(event.id(), request, now()).persist();
            }
        });
    }

    public List<RetrainingView> list(String route) {
        return QuarkusTransaction.requiringNew().call(() ->
                Retraining.newestFirst(route).stream().map(RetrainingView::of).toList());
    }

    public RetrainingView view(String id) {
        return QuarkusTransaction.requiringNew().call(() -> RetrainingView.of(
                Retraining.<Retraining>findByIdOptional(id)
                        .orElseThrow(() -> RefusedException.notFound("no retraining " + id))));
    }

    /** Every change of status goes through here, so that the meters see each one its transaction commits. */
    private void step(Retraining row, RetrainingStatus next, String why, String eventId, Instant now) {
        row.step(next, why, eventId, now);
        meters.stepped(row);
    }

    static Retraining locked(String id) {
        return Retraining.<Retraining>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> RefusedException.notFound("no retraining " + id));
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
