package dev.anvil.trainer.job;

import dev.anvil.events.training.TrainingRequested;
import dev.anvil.service.tracing.Traceparent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.time.Instant;

/**
 * The record of one job, keyed by the request's job id. Its lease ({@code owner}, {@code heartbeatAt}) says which
 * instance runs it; see {@link JobLeases}. Updates write only the columns that changed, so that the runner's
 * progress updates and the lease's heartbeat or a cancel request do not overwrite each other.
 */
@Entity
@Table(name = "training_job")
@DynamicUpdate
public class TrainingJob extends PanacheEntityBase {
    private static final int MAX_REASON = 2_000;

    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    @Column(name = "base_model")
    public String baseModel;
    @Column(name = "dataset_name")
    public String datasetName;
    @Column(name = "dataset_version")
    public String datasetVersion;
    public String method;
    @Column(name = "request_json")
    public String requestJson;
    public long step;
    @Column(name = "total_steps")
    public long totalSteps;
    public String reason;
    @Column(name = "adapter_path")
    public String adapterPath;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The instance that holds the job, or null while it waits for one. */
    @Column(name = "lease_owner")
    public String owner;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    /** The W3C traceparent the request was accepted in, which the run continues; null outside any trace. */
    @Column(length = Traceparent.MAX_LENGTH)
    public String traceparent;

    static TrainingJob queued(TrainingRequested request, String requestJson) {
        TrainingJob job = new TrainingJob();
        job.id = request.jobId();
        job.status = JobStatus.QUEUED;
        job.baseModel = request.baseModel();
        job.datasetName = request.dataset().name();
        job.datasetVersion = request.dataset().version();
        job.method = request.method().wireName();
        job.requestJson = requestJson;
        job.createdAt = Instant.now();
        job.updatedAt = job.createdAt;
        job.traceparent = Traceparent.current();
        return job;
    }

    /** Throws {@link LeaseLostException} unless {@code instance} holds this job. */
    void requireOwner(String instance) {
        if (!instance.equals(owner)) throw new LeaseLostException(id, instance, owner);
    }

    void moveTo(JobStatus next, String why) {
        status = next;
        reason = why == null || why.length() <= MAX_REASON ? why : why.substring(0, MAX_REASON);
        updatedAt = Instant.now();
    }
}
