package dev.anvil.dataset.retrain;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.anvil.dataset.JsonColumns;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A TrainingRequested seen on {@code training.requests}: what a model version (its job id) was trained on and how,
 * so that its retraining takes the same settings without asking the trainer.
 */
@Entity
@Table(name = "training_request")
public class KnownTrainingRequest extends PanacheEntityBase {

    @Id
    @Column(name = "job_id", length = TrainingRequested.MAX_JOB_ID)
    public String jobId;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "base_model", nullable = false, length = TrainingRequested.MAX_BASE_MODEL)
    public String baseModel;

    @Column(name = "dataset_name", nullable = false, length = DatasetRef.MAX_LENGTH)
    public String datasetName;

    @Column(name = "dataset_version", nullable = false, length = DatasetRef.MAX_LENGTH)
    public String datasetVersion;

    @Enumerated(EnumType.STRING)
    @Column(name = "method", nullable = false, length = 16)
    public TrainingMethod method;

    @Column(name = "hyperparameters_json", nullable = false)
    public String hyperparametersJson;

    @Column(name = "merge_model", nullable = false)
    public boolean merge;

    @Column(name = "route", length = 128)
    public String route;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    static KnownTrainingRequest of(String eventId, TrainingRequested request, Instant now) {
        KnownTrainingRequest row = new KnownTrainingRequest();
        row.jobId = request.jobId();
        row.eventId = eventId;
        row.baseModel = request.baseModel();
        row.datasetName = request.dataset().name();
        row.datasetVersion = request.dataset().version();
        row.method = request.method();
        row.hyperparametersJson = JsonColumns.write(request.hyperparameters(), "the hyperparameters of job "
                + request.jobId());
        row.merge = Boolean.TRUE.equals(request.merge());
        row.route = request.route();
        row.recordedAt = now;
        return row;
    }

    /** The request for the next job: same base model, method, hyper-parameters, merge and route, new data. */
    TrainingRequested successor(String jobId, DatasetRef dataset) {
        return new TrainingRequested(jobId, baseModel, dataset, method, JsonColumns.read(hyperparametersJson,
                new TypeReference<Hyperparameters>() {
                }, "the hyperparameters of job " + this.jobId), merge, route);
    }
}
