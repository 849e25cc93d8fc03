package dev.anvil.eval.evaluation;

import dev.anvil.events.evaluation.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The eval-service's meters on {@code /q/metrics} (docs/metrics.md): runs started and timed by the runner,
 * outcomes counted where they are written, on the replica that wrote them. Built at start-up, so that every series
 * exists from zero.
 */
@Startup
@ApplicationScoped
public class EvaluationMeters {
    static final String STARTED = "anvil.eval.evaluations.started";
    static final String COMPLETED = "anvil.eval.evaluations.completed";
    static final String FAILED = "anvil.eval.evaluations.failed";
    static final String DURATION = "anvil.eval.evaluation.duration";
    static final String EXAMPLES = "anvil.eval.examples.scored";
    static final String QUEUED = "anvil.eval.evaluations.queued";
    static final String RUNNING = "anvil.eval.evaluations.running";

    private final Counter started;
    private final Map<Verdict, Counter> completed = new EnumMap<>(Verdict.class);
    private final Counter failed;
    private final Timer completedIn;
    private final Timer failedIn;
    private final Counter examples;

    public EvaluationMeters(MeterRegistry registry) {
        started = Counter.builder(STARTED).description("Evaluation runs started (a restarted one counts again)")
                .register(registry);
        for (Verdict verdict : Verdict.values()) {
            completed.put(verdict, Counter.builder(COMPLETED).description("Evaluations completed, by verdict")
                    .tag("verdict", verdict.wireName()).register(registry));
        }
        failed = Counter.builder(FAILED).description("Evaluations that failed without a result")
                .register(registry);
        completedIn = duration(registry, "completed");
        failedIn = duration(registry, "failed");
        examples = Counter.builder(EXAMPLES).description("Validation examples scored on both sides")
                .register(registry);
        // The database is the queue all replicas claim from: each reports the same numbers, which the autoscaler
        // reads (k8s/components/autoscaling).
        Gauge.builder(QUEUED, () -> unfinished(EvaluationStatus.QUEUED))
                .description("Evaluations waiting for a replica, on any replica").register(registry);
        Gauge.builder(RUNNING, () -> unfinished(EvaluationStatus.RUNNING))
                .description("Evaluations running, on any replica").register(registry);
    }

    private static long unfinished(EvaluationStatus status) {
        return QuarkusTransaction.requiringNew().call(() -> Evaluation.count("status", status));
    }

    private static Timer duration(MeterRegistry registry, String outcome) {
        return Timer.builder(DURATION).description("Wall time of an evaluation run, models loaded included")
                .tag("outcome", outcome).register(registry);
    }

    void started() {
        started.increment();
    }

    /** A run that began at {@code startNanos} ({@link System#nanoTime()}) ended; {@code completed} or failed. */
    void ran(boolean completed, long startNanos) {
        (completed ? completedIn : failedIn).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    void completed(Verdict verdict, int examplesScored) {
        completed.get(verdict).increment();
        examples.increment(examplesScored);
    }

    void failed() {
        failed.increment();
    }
}
