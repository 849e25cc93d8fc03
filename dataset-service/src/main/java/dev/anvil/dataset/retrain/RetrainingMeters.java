package dev.anvil.dataset.retrain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The retraining loop's meters on {@code /q/metrics} (docs/metrics.md): how retrainings ended, by status and trigger
 * feature; trainings requested, by route; and those in flight, by status, from the database. A step is counted once
 * the transaction that wrote it commits, so a decision retried after losing a race to another replica, or a write
 * rolled back, counts nothing. Built at start-up, so that the outcome series exist from zero.
 */
@Startup
@ApplicationScoped
public class RetrainingMeters {
    static final String ENDED = "anvil.dataset.retrainings.ended";
    static final String REQUESTED = "anvil.dataset.retrainings.requested";
    static final String IN_FLIGHT = "anvil.dataset.retrainings.in.flight";
    /**
     * The gateway's drift features (docs/gateway-api.md, "Features and statistics") and its negative feedback. Any
     * other name, a newer gateway's or a made-up one on drift.events, counts as {@value #OTHER}: whoever publishes
     * alerts cannot grow the number of series.
     */
    static final Set<String> FEATURES = Set.of("prompt_tokens", "response_tokens", "rare_token_share", "refusal",
            "prompt_characters", "prompt_embedding", "negative_feedback");
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, Counter> ended = new HashMap<>();

    public RetrainingMeters(MeterRegistry registry, TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        List<RetrainingStatus> finals = Arrays.stream(RetrainingStatus.values()).filter(s -> !s.inFlight()).toList();
        for (RetrainingStatus status : finals) {
            for (String feature : FEATURES) ended.put(key(status, feature), endedCounter(status, feature));
            ended.put(key(status, OTHER), endedCounter(status, OTHER));
        }
        // From the database, not counted here: right across restarts, and the same on every replica (take max).
        for (RetrainingStatus status : RetrainingStatus.IN_FLIGHT) {
            Gauge.builder(IN_FLIGHT, () -> QuarkusTransaction.requiringNew().call(() -> Retraining.count("status",
                            status))).description("Retrainings in flight (holding their route), on all replicas")
                    .tag("status", status.name()).register(registry);
        }
    }

    /** Counts the step {@code row} just took, once the current transaction commits. */
    void stepped(Retraining row) {
        RetrainingStatus status = row.status;
        String feature = FEATURES.contains(row.feature) ? row.feature : OTHER;
        String route = row.route;
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int outcome) {
                if (outcome != Status.STATUS_COMMITTED) return;
                if (status == RetrainingStatus.REQUESTED) {
                    requested(route).increment();
                } else if (!status.inFlight()) {
                    ended.get(key(status, feature)).increment();
                }
            }
        });
    }

    /**
     * Per route, although routes are user-defined: a training is only requested for a route whose version the
     * gateway served and saw drift, so the series are bounded by the gateway's routes (as its own meters are), and
     * each appears with the route's first retraining. The outcomes carry no route: status times feature times route
     * would multiply, and {@code GET /retrainings?route=} has each route's story.
     */
    private Counter requested(String route) {
        return Counter.builder(REQUESTED).description("Trainings requested by retrainings, per route")
                .tag("route", route).register(registry);
    }

    private Counter endedCounter(RetrainingStatus status, String feature) {
        return Counter.builder(ENDED).description("Retrainings that ended, by final status and trigger feature")
                .tag("status", status.name()).tag("feature", feature).register(registry);
    }

    private static String key(RetrainingStatus status, String feature) {
        return status.name() + "/" + feature;
    }
}
