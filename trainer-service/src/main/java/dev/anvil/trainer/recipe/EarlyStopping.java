package dev.anvil.trainer.recipe;

/**
 * Stops when the validation loss has not improved by more than {@code minDelta} for {@code patience} evaluations
 * in a row; remembers the best loss and its step. Patience 0 disables stopping (the best step is still tracked).
 */
public final class EarlyStopping {

    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private int badEvaluations;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 0) throw new IllegalArgumentException("earlyStoppingPatience must be >= 0, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("earlyStoppingMinDelta must be >= 0, got " + minDelta);
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Restores the state of a checkpoint. */
    public void restore(double best, long bestStep, int badEvaluations) {
        this.best = best;
        this.bestStep = bestStep;
        this.badEvaluations = badEvaluations;
    }

    /** Records an evaluation; true when it is a new best. */
    public boolean record(long step, double validationLoss) {
        if (validationLoss < best - minDelta || bestStep < 0) {
            best = Math.min(best, validationLoss);
            bestStep = step;
            badEvaluations = 0;
            return true;
        }
        badEvaluations++;
        return false;
    }

    public boolean shouldStop() {
        return patience > 0 && badEvaluations >= patience;
    }

    public double best() {
        return best;
    }

    public long bestStep() {
        return bestStep;
    }

    public int badEvaluations() {
        return badEvaluations;
    }
}
