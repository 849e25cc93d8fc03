package dev.anvil.trainer.job;

import dev.anvil.events.training.TrainingRequested;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The record of one job, keyed by the request's job id. */
@Entity
@Table(name = "training_job")
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
        return job;
    }

    void moveTo(JobStatus next, String why) {
        status = next;
        reason = why == null || why.length() <= MAX_REASON ? why : why.substring(0, MAX_REASON);
        updatedAt = Instant.now();
    }
}
