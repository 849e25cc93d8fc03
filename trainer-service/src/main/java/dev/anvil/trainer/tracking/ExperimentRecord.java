package dev.anvil.trainer.tracking;

import dev.anvil.trainer.recipe.Progress;
import dev.anvil.trainer.recipe.RunResult;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The experiment record of one job (same id as its {@code training_job} row). Losses and rates that are not
 * finite, or not known yet, are null. Paths are data-dir relative.
 */
@Entity
@Table(name = "experiment_record")
public class ExperimentRecord extends PanacheEntityBase {
    @Id
    @Column(name = "job_id")
    public String jobId;
    @Column(name = "config_json")
    public String configJson;
    @Column(name = "base_model_sha256")
    public String baseModelSha256;
    @Column(name = "metrics_path")
    public String metricsPath;
    @Column(name = "adapter_path")
    public String adapterPath;
    @Column(name = "model_path")
    public String modelPath;
    @Column(name = "best_path")
    public String bestPath;
    @Column(name = "queued_at")
    public Instant queuedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "training_seconds")
    public double trainingSeconds;
    @Column(name = "measured_steps")
    public long measuredSteps;
    @Column(name = "tokens_per_second_mean")
    public Double tokensPerSecondMean;
    @Column(name = "latest_step")
    public Long latestStep;
    @Column(name = "latest_train_loss")
    public Double latestTrainLoss;
    @Column(name = "latest_validation_loss")
    public Double latestValidationLoss;
    @Column(name = "latest_learning_rate")
    public Double latestLearningRate;
    @Column(name = "latest_tokens_per_second")
    public Double latestTokensPerSecond;
    public Long steps;
    @Column(name = "initial_validation_loss")
    public Double initialValidationLoss;
    @Column(name = "best_validation_loss")
    public Double bestValidationLoss;
    @Column(name = "best_step")
    public Long bestStep;
    @Column(name = "last_train_loss")
    public Double lastTrainLoss;

    /** One optimizer step: the latest metrics, and the running mean of tokens/s over every step measured. */
    void stepped(Progress p) {
        latestStep = p.step();
        latestTrainLoss = finite(p.trainLoss());
        if (Double.isFinite(p.validationLoss())) latestValidationLoss = p.validationLoss();
        latestLearningRate = finite(p.learningRate());
        latestTokensPerSecond = finite(p.tokensPerSecond());
        if (latestTokensPerSecond != null) {
            measuredSteps++;
            double mean = tokensPerSecondMean == null ? 0 : tokensPerSecondMean;
            tokensPerSecondMean = mean + (latestTokensPerSecond - mean) / measuredSteps;
        }
    }

    /** The end of a run (of this attempt, when a job is resumed later); {@code result} is null when it failed. */
    void finished(RunResult result, double seconds, Instant at) {
        trainingSeconds += seconds;
        finishedAt = at;
        if (result == null) return;
        steps = result.steps();
        initialValidationLoss = finite(result.initialValidationLoss());
        bestValidationLoss = finite(result.bestValidationLoss());
        bestStep = result.bestStep() >= 0 ? result.bestStep() : null;
        lastTrainLoss = finite(result.lastTrainLoss());
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
