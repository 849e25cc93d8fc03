package dev.anvil.trainer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.anvil.events.EventCodec;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.service.tracing.BackgroundSpans;
import dev.anvil.trainer.recipe.RecipeSpec;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs jobs in at most {@code anvil.trainer.max-concurrent-jobs} worker threads, taking them from the database:
 * the database is the queue, so a job waiting for a slot survives the death of the instance that accepted it, and
 * any instance with a free slot may take it. A slot is filled by claiming the oldest claimable job ({@link
 * JobLeases}): a new one, or one whose owner died, which then resumes from its last checkpoint. Slots are filled
 * when a request arrives, when a job ends, at start-up and every {@code anvil.trainer.orphan-scan-interval}; the
 * leases of held jobs are refreshed every {@code anvil.trainer.heartbeat-interval}.
 *
 * <p>Each run is a span of the trace its request came in ({@link BackgroundSpans}), so that its events continue it.
 *
 * <p>On shut-down the running jobs are handed back: they stop at their next step with a checkpoint, stay
 * unfinished, and their leases are released, so that another instance (or this one restarted) resumes them.
 */
@ApplicationScoped
public class JobDispatcher {
    private static final Logger LOG = Logger.getLogger(JobDispatcher.class);
    static final int MAX_SLOTS = 64;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);
    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("anvil.job.id");

    private final JobLeases leases;
    private final JobRunner runner;
    private final JobRequestValidator validator;
    private final TrainingEventPublisher events;
    private final BackgroundSpans spans;
    private final String self;
    private final int slots;
    private final Duration heartbeatInterval;
    private final Duration scanInterval;
    private final Map<String, RunningJob> held = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "trainer-leases"));
    private volatile boolean stopping;

    public JobDispatcher(JobLeases leases, JobRunner runner, JobRequestValidator validator,
                         TrainingEventPublisher events, BackgroundSpans spans, TrainerInstance instance,
                         @ConfigProperty(name = "anvil.trainer.max-concurrent-jobs", defaultValue = "1") int slots,
                         @ConfigProperty(name = "anvil.trainer.heartbeat-interval", defaultValue = "10s")
                         Duration heartbeatInterval,
                         @ConfigProperty(name = "anvil.trainer.orphan-scan-interval", defaultValue = "30s")
                         Duration scanInterval) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("anvil.trainer.max-concurrent-jobs must be in 1.." + MAX_SLOTS
                    + ", got " + slots);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                || heartbeatInterval.compareTo(leases.timeout().dividedBy(2)) > 0) {
            throw new IllegalArgumentException("anvil.trainer.heartbeat-interval (" + heartbeatInterval
                    + ") must be positive and at most half of anvil.trainer.lease-timeout (" + leases.timeout() + ")");
        }
        if (scanInterval.isNegative() || scanInterval.isZero()) {
            throw new IllegalArgumentException("anvil.trainer.orphan-scan-interval must be positive, got "
                    + scanInterval);
        }
        this.leases = leases;
        this.runner = runner;
        this.validator = validator;
        this.events = events;
        this.spans = spans;
        this.self = instance.id();
        this.slots = slots;
        this.heartbeatInterval = heartbeatInterval;
        this.scanInterval = scanInterval;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(slots, r -> new Thread(r, "trainer-worker-" + n.incrementAndGet()));
    }

    void start(@Observes StartupEvent ignored) {
        LOG.infof("trainer instance %s: %d job slot(s), lease %s", self, slots, leases.timeout());
        // At start-up, jobs under this instance's own (configured) id belong to its previous life: take them too.
        timer.execute(() -> quietly("start-up claim", () -> fill(self)));
        timer.scheduleWithFixedDelay(() -> quietly("orphan scan", () -> fill(null)),
                scanInterval.toMillis(), scanInterval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> quietly("heartbeat", this::heartbeat),
                heartbeatInterval.toMillis(), heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fills free slots with claimable jobs: new ones, and orphaned ones, which resume. */
    public void dispatch() {
        fill(null);
    }

    /** Whether this instance holds the job, in which case it is asked to stop as cancelled. */
    boolean cancelHeld(String jobId) {
        RunningJob job = held.get(jobId);
        if (job == null) return false;
        job.cancel();
        return true;
    }

    /**
     * Asks a held job to stop at its next step, checkpointed, and gives its lease up (what shut-down does to every
     * held job); without a shut-down it is claimed again at once, here or elsewhere, and resumes.
     */
    void handBack(String jobId) {
        RunningJob job = held.get(jobId);
        if (job != null) job.handBack();
    }

    /** The ids of the jobs this instance holds. */
    Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    private synchronized void fill(String orOwnedBy) {
        while (!stopping && held.size() < slots) {
            List<JobLeases.Candidate> candidates = leases.claimable(slots + held.size() + 8, orOwnedBy).stream()
                    .filter(c -> !held.containsKey(c.jobId())).toList();
            boolean claimedAny = false;
            for (JobLeases.Candidate c : candidates) {
                if (held.size() >= slots) break;
                if (!leases.claim(c, self)) continue; // another instance was faster
                claimedAny = true;
                if (c.owner() != null) {
                    LOG.infof("claimed job %s (%s) from %s, whose lease expired at %s", c.jobId(),
                            c.status().wireName(), c.owner(), c.heartbeatAt().plus(leases.timeout()));
                }
                RunningJob job = new RunningJob(c.jobId());
                held.put(c.jobId(), job);
                workers.execute(() -> work(job));
            }
            if (!claimedAny) return;
        }
    }

    /** Runs a claimed job from its stored request, validated again (the model or dataset may have gone). */
    private void work(RunningJob job) {
        try {
            if (job.handedBack()) return; // shutting down before it started
            Stored stored = stored(job);
            spans.run("training job", stored.traceparent(), Attributes.of(JOB_ID, job.jobId), () -> {
                TrainingRequested request = stored.request(job.jobId);
                RecipeSpec spec;
                try {
                    spec = validator.validate(request);
                } catch (InvalidJobException e) {
                    fail(job.jobId, e.getMessage());
                    return;
                }
                runner.run(request, spec, job);
            });
        } catch (LeaseLostException e) {
            LOG.warnf("job %s stopped: %s", job.jobId, e.getMessage());
        } catch (RuntimeException e) {
            // The record could not be written (database down): the lease lapses and the job is claimed again.
            LOG.errorf(e, "job %s stopped unfinished", job.jobId);
        } finally {
            held.remove(job.jobId);
            if (job.handedBack()) quietly("release of " + job.jobId, () -> leases.release(job.jobId, self));
            if (!stopping) quietly("dispatch", this::dispatch);
        }
    }

    /** A claimed job's row as the run needs it: the request, and the trace it came in. */
    private record Stored(String requestJson, String traceparent) {
        TrainingRequested request(String jobId) {
            try {
                return EventCodec.mapper().readValue(requestJson, TrainingRequested.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("job " + jobId + ": stored request unreadable: " + e.getMessage(), e);
            }
        }
    }

    private Stored stored(RunningJob job) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob row = TrainingJob.findById(job.jobId);
            if (row == null) throw new LeaseLostException(job.jobId, self, null);
            row.requireOwner(self);
            if (row.cancelRequested) job.cancel(); // asked while its previous owner held it
            return new Stored(row.requestJson, row.traceparent);
        });
    }

    private void fail(String jobId, String reason) {
        LOG.warnf("job %s failed: %s", jobId, reason);
        QuarkusTransaction.requiringNew().run(() -> {
            TrainingJob row = TrainingJob.findById(jobId);
            row.requireOwner(self);
            row.moveTo(JobStatus.FAILED, reason);
        });
        events.publish(new TrainingFailed(jobId, reason));
    }

    private void heartbeat() {
        JobLeases.Heartbeat beat = leases.heartbeat(self, Set.copyOf(held.keySet()));
        for (String id : beat.lost()) {
            RunningJob job = held.get(id);
            if (job != null) job.handBack();
        }
        for (String id : beat.cancelRequested()) {
            RunningJob job = held.get(id);
            if (job != null) job.cancel();
        }
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log and try at the next tick.
            LOG.errorf(e, "%s failed", what);
        }
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        stopping = true;
        held.keySet().forEach(this::handBack);
        workers.shutdown();
        if (!workers.awaitTermination(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("jobs %s did not stop within %s; their leases will expire", held.keySet(), SHUTDOWN_WAIT);
            workers.shutdownNow();
        }
        timer.shutdownNow();
    }
}
