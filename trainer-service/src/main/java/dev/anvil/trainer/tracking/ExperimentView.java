package dev.anvil.trainer.tracking;

import java.time.Instant;
import java.util.Map;

/**
 * An experiment record as the REST API shows it. A job that never started has only its {@code config} (resolved
 * from its request); the other parts are null.
 *
 * @param latest    the most recent step's metrics ({@code validationLoss}: the most recent evaluation's)
 * @param artifacts data-dir relative paths: {@code adapter} (PEFT layout; null for full fine-tuning), {@code model}
 *                  (Hugging Face layout: the full fine-tune, or the adapter merged when asked for), {@code best}
 *                  (the best validation step's weights), {@code metrics} (the per-step log)
 */
public record ExperimentView(String baseModelSha256, Map<String, Object> config, Latest latest,
                             Artifacts artifacts, Timings timings, Result result) {

    public record Latest(Long step, Double trainLoss, Double validationLoss, Double learningRate,
                         Double tokensPerSecond) {
    }

    public record Artifacts(String adapter, String model, String best, String metrics) {
    }

    /** {@code trainingSeconds}: time in the training loop, summed over resumed attempts. */
    public record Timings(Instant queuedAt, Instant startedAt, Instant finishedAt, double trainingSeconds,
                          Double tokensPerSecondMean) {
    }

    public record Result(Long steps, Double initialValidationLoss, Double bestValidationLoss, Long bestStep,
                         Double lastTrainLoss) {
    }

    public static ExperimentView of(ExperimentRecord r) {
        return new ExperimentView(r.baseModelSha256, ExperimentConfig.fromJson(r.configJson),
                r.latestStep == null ? null : new Latest(r.latestStep, r.latestTrainLoss, r.latestValidationLoss,
                        r.latestLearningRate, r.latestTokensPerSecond),
                new Artifacts(r.adapterPath, r.modelPath, r.bestPath, r.metricsPath),
                new Timings(r.queuedAt, r.startedAt, r.finishedAt, r.trainingSeconds, r.tokensPerSecondMean),
                r.steps == null ? null : new Result(r.steps, r.initialValidationLoss, r.bestValidationLoss,
                        r.bestStep, r.lastTrainLoss));
    }

    /** A job without a record yet (queued, or refused before it started). */
    public static ExperimentView notStarted(Map<String, Object> config) {
        return new ExperimentView(null, config, null, null, null, null);
    }
}
