package dev.anvil.trainer.job;

import dev.anvil.events.EventData;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.trainer.recipe.Progress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's meters on {@code /q/metrics} (docs/metrics.md). Steps and tokens are counted over all jobs; the
 * latest losses and speed are gauges per running job, labelled {@code job_id} (Prometheus keeps {@code job} for
 * the scrape job), and removed when the job stops here, so that an instance exposes at most
 * {@code anvil.trainer.max-concurrent-jobs} such series at a time and a job's curve stays in Prometheus under its
 * own id rather than spliced onto the next job's.
 */
@ApplicationScoped
public class JobMeters {
    static final String STEP = "anvil.trainer.step.duration";
    static final String TOKENS = "anvil.trainer.tokens";
    static final String LOSS = "anvil.trainer.loss";
    static final String VALIDATION_LOSS = "anvil.trainer.validation.loss";
    static final String TOKENS_PER_SECOND = "anvil.trainer.tokens.per.second";
    static final String RUNNING = "anvil.trainer.jobs.running";
    static final String QUEUED = "anvil.trainer.jobs.queued";
    static final String FINISHED = "anvil.trainer.jobs.finished";

    private final MeterRegistry registry;
    private final Timer step;
    private final Counter tokens;
    private final Map<Class<? extends EventData>, Counter> finished;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    public JobMeters(MeterRegistry registry) {
        this.registry = registry;
        this.step = Timer.builder(STEP).description("Wall time of one optimizer step (its validation included)")
                .register(registry);
        this.tokens = Counter.builder(TOKENS).description("Tokens trained on (padding excluded)").register(registry);
        this.finished = Map.of(TrainingCompleted.class, finished("completed"), TrainingFailed.class,
                finished("failed"), TrainingCancelled.class, finished("cancelled"));
    }

    private Counter finished(String outcome) {
        return Counter.builder(FINISHED).description("Jobs that ended, by outcome").tag("outcome", outcome)
                .register(registry);
    }

    /** Registers the gauges that are read at each scrape (a bean is otherwise built on its first use). */
    void register(@Observes StartupEvent ignored) {
        Gauge.builder(RUNNING, running, Map::size).description("Jobs training on this instance")
                .register(registry);
        // The database is the queue, shared by all instances: each reports the same number.
        Gauge.builder(QUEUED, JobMeters::queued).description("Jobs waiting for a free slot on any instance")
                .register(registry);
    }

    private static double queued() {
        return QuarkusTransaction.requiringNew().call(() -> TrainingJob.count("status", JobStatus.QUEUED));
    }

    /** A job starts (or resumes) training here. */
    void started(String jobId) {
        running.computeIfAbsent(jobId, id -> new Running(registry, id));
    }

    /** An optimizer step of a running job. */
    void stepped(String jobId, Progress p) {
        step.record((long) (p.stepSeconds() * 1e9), TimeUnit.NANOSECONDS);
        tokens.increment(p.tokens());
        Running job = running.get(jobId);
        if (job == null) return;
        job.loss = p.trainLoss();
        job.tokensPerSecond = p.tokensPerSecond();
        if (!Double.isNaN(p.validationLoss())) job.validationLoss = p.validationLoss();
    }

    /** The job no longer trains here (finished, failed, or handed back to be resumed elsewhere). */
    void stopped(String jobId) {
        Running job = running.remove(jobId);
        if (job != null) job.gauges.forEach(registry::remove);
    }

    /** Counts a job's end by its final event ({@code TrainingCompleted}, {@code -Failed}, {@code -Cancelled}). */
    void published(EventData event) {
        Counter outcome = finished.get(event.getClass());
        if (outcome != null) outcome.increment();
    }

    /** The latest numbers of one running job and the gauges that read them. */
    private static final class Running {
        volatile double loss = Double.NaN;
        volatile double validationLoss = Double.NaN; // until its first validation
        volatile double tokensPerSecond = Double.NaN;
        final List<Meter> gauges;

        Running(MeterRegistry registry, String jobId) {
            gauges = List.of(
                    gauge(registry, LOSS, "Training loss of the job's latest step", jobId, r -> r.loss),
                    gauge(registry, VALIDATION_LOSS, "The job's latest validation loss", jobId,
                            r -> r.validationLoss),
                    gauge(registry, TOKENS_PER_SECOND, "Tokens per second of the job's latest step", jobId,
                            r -> r.tokensPerSecond));
        }

        private Gauge gauge(MeterRegistry registry, String name, String description, String jobId,
                            ToDoubleFunction<Running> value) {
            return Gauge.builder(name, this, value).description(description).tag("job_id", jobId)
                    .strongReference(true).register(registry);
        }
    }
}
