package dev.anvil.llm.bench;

import java.util.Arrays;

/**
 * Best and median wall time of a few runs after a warm-up. On a shared machine the best run is the one least
 * disturbed by other processes, so it is the number compared; the median shows how noisy the runs were.
 */
record BestOf(double bestSeconds, double medianSeconds) {

    static BestOf time(int warmups, int runs, Runnable body) {
        for (int i = 0; i < warmups; i++) body.run();
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return new BestOf(seconds[0], seconds[runs / 2]);
    }

    /** Items per second of the best and the median run. */
    String rate(long items) {
        return String.format("%.1f tok/s (median %.1f)", items / bestSeconds, items / medianSeconds);
    }
}
