package dev.anvil.events.training;

import dev.anvil.events.Require;

import java.util.List;

/**
 * The knobs of a fine-tuning job. Every field is optional on the wire: a null means "the trainer's default",
 * which {@link #withDefaults()} fills in, so that requests stay short and the defaults live in one place.
 */
public record Hyperparameters(
        Double learningRate,
        String scheduler,
        Integer warmupSteps,
        Integer epochs,
        Integer maxSteps,
        Integer microBatchSize,
        Integer gradientAccumulation,
        Integer maxSeqLength,
        Boolean packing,
        String lossOn,
        Integer loraRank,
        Double loraAlpha,
        Double loraDropout,
        List<String> targetModules,
        Double weightDecay,
        Double maxGradNorm,
        Long seed,
        Integer evalInterval,
        Integer earlyStoppingPatience,
        Double earlyStoppingMinDelta,
        Integer checkpointInterval,
        Integer checkpointsToKeep,
        String computeDtype) {

    public Hyperparameters {
        Require.printable(scheduler, "hyperparameters.scheduler");
        Require.printable(lossOn, "hyperparameters.lossOn");
        Require.printable(computeDtype, "hyperparameters.computeDtype");
        if (targetModules != null) {
            for (int i = 0; i < targetModules.size(); i++) {
                Require.name(targetModules.get(i), "hyperparameters.targetModules[" + i + "]");
            }
        }
    }

    public static final List<String> ALL_PROJECTIONS =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public static final Hyperparameters DEFAULTS = new Hyperparameters(
            2e-4, "cosine", 10, 1, null, 4, 1, 512, false, "assistant",
            8, 16.0, 0.05, ALL_PROJECTIONS, 0.0, 1.0, 0L, 50, 3, 0.0, 100, 2, "float32");

    /** An empty set: every field takes its default. */
    public static Hyperparameters none() {
        return new Hyperparameters(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    /** This set with every missing field taken from {@link #DEFAULTS}. */
    public Hyperparameters withDefaults() {
        Hyperparameters d = DEFAULTS;
        return new Hyperparameters(
                or(learningRate, d.learningRate), or(scheduler, d.scheduler), or(warmupSteps, d.warmupSteps),
                or(epochs, d.epochs), or(maxSteps, d.maxSteps), or(microBatchSize, d.microBatchSize),
                or(gradientAccumulation, d.gradientAccumulation), or(maxSeqLength, d.maxSeqLength),
                or(packing, d.packing), or(lossOn, d.lossOn), or(loraRank, d.loraRank), or(loraAlpha, d.loraAlpha),
                or(loraDropout, d.loraDropout), or(targetModules, d.targetModules), or(weightDecay, d.weightDecay),
                or(maxGradNorm, d.maxGradNorm), or(seed, d.seed), or(evalInterval, d.evalInterval),
                or(earlyStoppingPatience, d.earlyStoppingPatience),
                or(earlyStoppingMinDelta, d.earlyStoppingMinDelta), or(checkpointInterval, d.checkpointInterval),
                or(checkpointsToKeep, d.checkpointsToKeep), or(computeDtype, d.computeDtype));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
