package dev.anvil.trainer.recipe;

/**
 * One optimizer step as the service reports it (TrainingProgress): {@code validationLoss} is NaN on steps without
 * an evaluation; {@code tokens} are the step's real (unpadded) tokens and {@code stepSeconds} its wall time, the
 * validation of a step that validates included, so that {@code tokensPerSecond} is their ratio; {@code etaSeconds}
 * extrapolates this run's mean step time.
 */
public record Progress(long step, long totalSteps, int epoch, double trainLoss, double validationLoss,
                       double learningRate, long tokens, double stepSeconds, double tokensPerSecond,
                       double etaSeconds) {
}
