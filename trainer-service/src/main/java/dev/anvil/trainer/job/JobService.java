package dev.anvil.trainer.job;

import dev.anvil.events.EventCodec;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Accepts training requests, idempotently by job id, into the database, from which {@link JobDispatcher} runs
 * them. A request for a known job starts nothing new: a finished job stays as it is, a job held by a live instance
 * is left to it, and an orphaned one (its owner died) is claimed and resumed when a slot is free.
 */
@ApplicationScoped
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class);

    private final JobRequestValidator validator;
    private final JobDispatcher dispatcher;
    private final JobLeases leases;
    private final TrainingEventPublisher events;

    public JobService(JobRequestValidator validator, JobDispatcher dispatcher, JobLeases leases,
                      TrainingEventPublisher events) {
        this.validator = validator;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.events = events;
    }

    /**
     * Records the request as queued, or as failed with the reason when it is invalid, and fills free slots.
     *
     * @return whether the request was new
     */
    public boolean accept(TrainingRequested request) {
        Optional<TrainingJob> known = QuarkusTransaction.requiringNew().call(() ->
                TrainingJob.<TrainingJob>findByIdOptional(request.jobId()));
        if (known.isPresent()) {
            redelivered(known.get());
            return false;
        }
        String invalid = null;
        try {
            validator.validate(request);
        } catch (InvalidJobException e) {
            invalid = e.getMessage();
            LOG.warnf("job %s failed: %s", request.jobId(), invalid);
            // Announced before it is recorded: a crash in between announces it again rather than never.
            events.publish(new TrainingFailed(request.jobId(), invalid));
        }
        String reason = invalid;
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            if (TrainingJob.findById(request.jobId()) != null) return false;
            TrainingJob job = TrainingJob.queued(request, EventCodec.mapper().writeValueAsString(request));
            if (reason != null) job.moveTo(JobStatus.FAILED, reason);
            job.persist();
            return true;
        });
        if (recorded && reason == null) dispatcher.dispatch();
        return recorded;
    }

    private void redelivered(TrainingJob job) {
        if (job.status.isFinal()) {
            LOG.infof("job %s is already %s; request ignored", job.id, job.status.wireName());
        } else if (leases.isLive(job.owner, job.heartbeatAt)) {
            LOG.infof("job %s is %s on %s; request ignored", job.id, job.status.wireName(), job.owner);
        } else if (job.owner == null) {
            LOG.infof("job %s is %s, waiting for a free slot", job.id, job.status.wireName());
            dispatcher.dispatch();
        } else {
            LOG.infof("job %s is %s without a live owner (last: %s); claiming it", job.id, job.status.wireName(),
                    job.owner);
            dispatcher.dispatch();
        }
    }

    /**
     * Asks an unfinished job to stop: held here, it stops at its next step; held by no live instance, it is
     * cancelled at once; held by another live instance, that one sees the request at its next heartbeat.
     *
     * @return the job, or empty when unknown
     */
    public Optional<JobView> cancel(String jobId) {
        if (!dispatcher.cancelHeld(jobId)) {
            OptionalLong step = leases.cancelUnheld(jobId);
            if (step.isPresent()) {
                events.publish(new TrainingCancelled(jobId, step.getAsLong()));
            } else {
                leases.requestCancel(jobId);
            }
        }
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
}
