package dev.anvil.trainer.checkpoint;

/**
 * Where a run stands after optimizer step {@code step - 1}: the next step to run (also the scheduler's position),
 * the data position (the next micro-batch to read: {@code epoch}, {@code batchIndex}), the seed that every random
 * stream (shuffling, dropout) derives from together with the step, and the early-stopping state.
 */
public record TrainingState(long step, int epoch, int batchIndex, long seed, double bestValidationLoss,
                            long bestStep, int badEvaluations) {
}
