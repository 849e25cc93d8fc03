package dev.anvil.trainer.recipe;

import java.util.Locale;

/**
 * The learning rate at each optimizer step: linear warm-up from 0 over {@code warmupSteps}, then constant, linear
 * decay to 0 or cosine decay to 0 at {@code totalSteps} (transformers' schedules of the same names).
 */
public record LrSchedule(String kind, double peak, int warmupSteps, long totalSteps) {

    public LrSchedule {
        kind = kind(kind);
        if (!(peak > 0)) throw new IllegalArgumentException("learningRate must be > 0, got " + peak);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        if (totalSteps < 1) throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    }

    /** {@code name} as a schedule kind (any case), or an IllegalArgumentException naming the kinds. */
    public static String kind(String name) {
        String kind = name.toLowerCase(Locale.ROOT);
        if (!kind.equals("constant") && !kind.equals("linear") && !kind.equals("cosine")) {
            throw new IllegalArgumentException("scheduler '" + name + "' is not one of constant, linear, cosine");
        }
        return kind;
    }

    /** The rate for optimizer step {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) return peak * (step + 1) / (warmupSteps + 1);
        if (kind.equals("constant")) return peak;
        double progress = Math.min(1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return kind.equals("linear") ? peak * (1 - progress) : peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
