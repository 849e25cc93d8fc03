package dev.anvil.trainer.recipe;

/**
 * How a run ended: {@code steps} optimizer steps done, the best validation loss and its step (NaN / -1 without a
 * validation split), the validation loss of the untrained starting point, and the last step's training loss.
 */
public record RunResult(Status status, long steps, double initialValidationLoss, double bestValidationLoss,
                        long bestStep, double lastTrainLoss) {

    public enum Status { COMPLETED, EARLY_STOPPED, CANCELLED }
}
