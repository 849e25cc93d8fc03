package dev.anvil.eval.evaluation;

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
 * The record of one evaluation: the two sides, the data, the lease of the replica running it ({@code owner},
 * {@code heartbeatAt}; see {@link EvaluationLeases}) and the outcome. Updates write only the columns that changed,
 * so that a heartbeat and the runner's writes do not overwrite each other.
 */
@Entity
@Table(name = "evaluation")
@DynamicUpdate
public class Evaluation extends PanacheEntityBase {
    static final int MAX_ERROR = 2_000;

    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public EvaluationStatus status;
    /** The training job whose result this evaluates (an evaluation triggered by its TrainingCompleted), or null. */
    @Column(name = "model_version")
    public String modelVersion;
    /** The route its TrainingCompleted (or the API request) named, for the gateway; null when none was named. */
    public String route;
    @Column(name = "candidate_base")
    public String candidateBase;
    @Column(name = "candidate_adapter")
    public String candidateAdapter;
    @Column(name = "candidate_model")
    public String candidateModel;
    @Column(name = "baseline_base")
    public String baselineBase;
    @Column(name = "baseline_adapter")
    public String baselineAdapter;
    @Column(name = "baseline_model")
    public String baselineModel;
    @Column(name = "dataset_name")
    public String datasetName;
    @Column(name = "dataset_version")
    public String datasetVersion;
    @Column(name = "max_examples")
    public int maxExamples;
    @Column(name = "generation_json")
    public String generationJson;
    @Column(name = "policy_json")
    public String policyJson;
    @Column(name = "metrics_json")
    public String metricsJson;
    @Column(name = "base_metrics_json")
    public String baseMetricsJson;
    public String verdict;
    @Column(name = "reasons_json")
    public String reasonsJson;
    public String error;
    /** The replica that holds the evaluation, or null while it waits for one. */
    @Column(name = "lease_owner")
    public String owner;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    /** Where a running evaluation is: its phase, and the examples done of the phase's total. */
    public String phase;
    @Column(name = "progress_done")
    public Integer progressDone;
    @Column(name = "progress_total")
    public Integer progressTotal;
    /** How many times a replica started it (more than one: it was taken over after its holder stopped). */
    public int attempts;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    /** When its EvaluationCompleted was acknowledged by the broker; null until then (see EvaluationPublisher). */
    @Column(name = "published_at")
    public Instant publishedAt;
    /** The W3C traceparent it was submitted in, which its EvaluationCompleted continues; null outside any trace. */
    @Column(length = Traceparent.MAX_LENGTH)
    public String traceparent;

    ModelUnderTest candidate() {
        return new ModelUnderTest(candidateBase, candidateAdapter, candidateModel);
    }

    ModelUnderTest baseline() {
        return new ModelUnderTest(baselineBase, baselineAdapter, baselineModel);
    }

    void fail(String why) {
        status = EvaluationStatus.FAILED;
        error = why == null || why.length() <= MAX_ERROR ? why : why.substring(0, MAX_ERROR);
        finishedAt = Instant.now();
    }
}
