package dev.anvil.trainer.recipe;

/**
 * One optimizer step as the service reports it (TrainingProgress): {@code validationLoss} is NaN on steps without
 * an evaluation; {@code etaSeconds} extrapolates this run's mean step time.
 */
public record Progress(long step, long totalSteps, int epoch, double trainLoss, double validationLoss,
                       double learningRate, double tokensPerSecond, double etaSeconds) {
}
