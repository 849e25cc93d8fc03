package dev.anvil.gateway.live;

import java.time.Duration;
import java.util.Arrays;

/**
 * Latency counted into fixed buckets, roughly exponential from 10 ms to 5 min (the default request timeout), plus
 * one bucket for anything longer. Fixed bounds make histograms of different replicas and windows mergeable by
 * adding counts bucket by bucket, which a percentile of samples is not.
 */
public final class LatencyHistogram {
    /** Upper bounds (inclusive) in milliseconds; bucket {@code BOUNDS_MS.length} holds everything longer. */
    static final long[] BOUNDS_MS = {10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 60_000, 120_000,
            300_000};
    public static final int BUCKETS = BOUNDS_MS.length + 1;
    /** What a percentile in the overflow bucket reports: longer than every bound, so past any latency threshold. */
    public static final Duration BEYOND_LAST_BOUND = Duration.ofMillis(Long.MAX_VALUE);

    private LatencyHistogram() {
    }

    public static int bucketOf(long nanos) {
        long millis = Math.max(0, nanos) / 1_000_000;
        // A remainder below a millisecond still counts as that millisecond begun: 10.4 ms is above the 10 ms bound.
        if (Math.max(0, nanos) % 1_000_000 != 0) millis++;
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            if (millis <= BOUNDS_MS[i]) return i;
        }
        return BOUNDS_MS.length;
    }

    /**
     * The upper bound of the bucket that holds the {@code q}-quantile ({@code 0 < q <= 1}): the smallest bound
     * below or at which at least {@code q} of the counts lie. Zero when there are no counts.
     */
    static Duration quantile(long[] counts, double q) {
        long total = Arrays.stream(counts).sum();
        if (total <= 0) return Duration.ZERO;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return i < BOUNDS_MS.length ? Duration.ofMillis(BOUNDS_MS[i]) : BEYOND_LAST_BOUND;
        }
        return BEYOND_LAST_BOUND;
    }

    /**
     * The lower bound of the bucket whose upper bound {@link #quantile} reported: the least the quantile can be.
     * Zero for the first bucket (and for zero); the last bound for the overflow bucket.
     */
    public static Duration lowerBoundOf(Duration quantile) {
        if (quantile.equals(BEYOND_LAST_BOUND)) return Duration.ofMillis(BOUNDS_MS[BOUNDS_MS.length - 1]);
        long millis = quantile.toMillis();
        long lower = 0;
        for (long bound : BOUNDS_MS) {
            if (bound >= millis) return Duration.ofMillis(lower);
            lower = bound;
        }
        return Duration.ofMillis(lower);
    }

    static long[] merged(long[] a, long[] b) {
        long[] sum = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) sum[i] = at(a, i) + at(b, i);
        return sum;
    }

    /** Counts as stored: comma separated, one per bucket in bound order. */
    static String encode(long[] counts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            if (i > 0) s.append(',');
            s.append(at(counts, i));
        }
        return s.toString();
    }

    /**
     * Stored counts back as an array of {@link #BUCKETS}; a row written with fewer buckets (an older bound list)
     * reads as zeros beyond what it has, so that changing the bounds never breaks reading old rows.
     */
    static long[] decode(String stored) {
        long[] counts = new long[BUCKETS];
        if (stored == null || stored.isBlank()) return counts;
        String[] parts = stored.split(",");
        for (int i = 0; i < Math.min(parts.length, BUCKETS); i++) counts[i] = Long.parseLong(parts[i].trim());
        return counts;
    }

    private static long at(long[] counts, int i) {
        return counts != null && i < counts.length ? counts[i] : 0;
    }
}
