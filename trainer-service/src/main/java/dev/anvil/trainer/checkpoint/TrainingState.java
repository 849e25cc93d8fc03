package dev.anvil.trainer.checkpoint;

/**
 * Where a run stands after optimizer step {@code step - 1}: the next step to run (also the scheduler's position),
 * the data position (the next micro-batch to read: {@code epoch}, {@code batchIndex}), the seed that every random
 * stream (shuffling, dropout) derives from together with the step, the validation loss before training (NaN
 * without a validation split) and the early-stopping state (best loss, infinite before the first evaluation).
 */
public record TrainingState(long step, int epoch, int batchIndex, long seed, double initialValidationLoss,
                            double bestValidationLoss, long bestStep, int badEvaluations) {

    /** The start of a run. */
    public static TrainingState start(long seed, double initialValidationLoss) {
        return new TrainingState(0, 0, 0, seed, initialValidationLoss, Double.POSITIVE_INFINITY, -1, 0);
    }
}
