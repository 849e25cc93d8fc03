package dev.anvil.trainer.job;

import dev.anvil.events.EventCodec;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.trainer.recipe.RecipeSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Accepts training requests, idempotently by job id, and runs them one at a time on a single worker thread (one
 * model in memory, all cores for it).
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final JobRequestValidator validator;
    private final JobRunner runner;
    private final TrainingEventPublisher events;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-worker"));
    private final Map<String, AtomicBoolean> cancelFlags = new ConcurrentHashMap<>();

    public JobService(JobRequestValidator validator, JobRunner runner, TrainingEventPublisher events) {
        this.validator = validator;
        this.runner = runner;
        this.events = events;
    }

    /**
     * Records the request and queues it, or fails it with the reason when it is invalid. A request whose job id is
     * already known changes nothing.
     *
     * @return whether the request was new
     */
    public boolean accept(TrainingRequested request) {
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            if (TrainingJob.findById(request.jobId()) != null) return false;
            TrainingJob.queued(request, EventCodec.mapper().writeValueAsString(request)).persist();
            return true;
        });
        if (!recorded) {
            LOG.infof("job %s is already known; request ignored", request.jobId());
            return false;
        }
        RecipeSpec spec;
        try {
            spec = validator.validate(request);
        } catch (InvalidJobException e) {
            fail(request.jobId(), e.getMessage());
            return true;
        }
        AtomicBoolean cancelled = new AtomicBoolean();
        cancelFlags.put(request.jobId(), cancelled);
        worker.execute(() -> {
            try {
                runner.run(request, spec, cancelled);
            } finally {
                cancelFlags.remove(request.jobId());
            }
        });
        return true;
    }

    /** Asks a queued or running job to stop; answers the job, or empty when unknown. */
    public Optional<JobView> cancel(String jobId) {
        AtomicBoolean flag = cancelFlags.get(jobId);
        if (flag != null) flag.set(true);
        boolean cancelledWhileQueued = QuarkusTransaction.requiringNew().call(() -> {
            TrainingJob job = TrainingJob.findById(jobId);
            if (job == null || job.status != JobStatus.QUEUED) return false;
            job.moveTo(JobStatus.CANCELLED, "cancelled before it started");
            return true;
        });
        if (cancelledWhileQueued) events.publish(new TrainingCancelled(jobId, 0));
        return find(jobId);
    }

    public Optional<JobView> find(String jobId) {
        return QuarkusTransaction.requiringNew().call(() ->
                Optional.ofNullable(TrainingJob.<TrainingJob>findById(jobId)).map(JobView::of));
    }

    public List<JobView> list() {
        return QuarkusTransaction.requiringNew().call(() ->
                TrainingJob.<TrainingJob>listAll(io.quarkus.panache.common.Sort.descending("createdAt")).stream()
                        .map(JobView::of).toList());
    }

    void fail(String jobId, String reason) {
        LOG.warnf("job %s failed: %s", jobId, reason);
        QuarkusTransaction.requiringNew().run(() ->
                TrainingJob.<TrainingJob>findByIdOptional(jobId).ifPresent(j -> j.moveTo(JobStatus.FAILED, reason)));
        events.publish(new TrainingFailed(jobId, reason));
    }

    @PreDestroy
    void stop() {
        cancelFlags.values().forEach(f -> f.set(true));
        worker.shutdownNow();
    }
}
