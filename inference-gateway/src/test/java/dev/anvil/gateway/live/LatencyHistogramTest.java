package dev.anvil.gateway.live;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fixed-bucket latency histogram: bucketing, merging across replicas, the p99 read from it, the stored form. */
class LatencyHistogramTest {
    private static final long MS = 1_000_000;

    @Test
    void aLatencyFallsInTheFirstBucketWhoseBoundHoldsIt() {
        assertEquals(0, LatencyHistogram.bucketOf(0));
        assertEquals(0, LatencyHistogram.bucketOf(10 * MS), "a bound is inclusive");
        assertEquals(1, LatencyHistogram.bucketOf(10 * MS + 1), "just above 10 ms: the 25 ms bucket");
        assertEquals(6, LatencyHistogram.bucketOf(999 * MS), "999 ms: the 1 s bucket");
        assertEquals(13, LatencyHistogram.bucketOf(300_000 * MS), "5 min: the last bound");
        assertEquals(14, LatencyHistogram.bucketOf(300_001 * MS), "past the last bound: the overflow bucket");
        assertEquals(15, LatencyHistogram.BUCKETS);
    }

    @Test
    void p99IsTheUpperBoundOfTheBucketHoldingThe99thPercentile() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[2] = 98; // 98 requests <= 50 ms
        counts[6] = 1; // 1 <= 1 s
        counts[9] = 1; // 1 <= 10 s
        // The 99th of 100 requests is the one in the 1 s bucket.
        assertEquals(Duration.ofSeconds(1), LatencyHistogram.quantile(counts, 0.99));
        assertEquals(Duration.ofMillis(50), LatencyHistogram.quantile(counts, 0.5));
        assertEquals(Duration.ofSeconds(10), LatencyHistogram.quantile(counts, 1.0));
        assertEquals(Duration.ZERO, LatencyHistogram.quantile(new long[LatencyHistogram.BUCKETS], 0.99), "no requests");
        long[] slow = new long[LatencyHistogram.BUCKETS];
        slow[14] = 1;
        assertEquals(LatencyHistogram.BEYOND_LAST_BOUND, LatencyHistogram.quantile(slow, 0.99));
    }

    @Test
    void histogramsOfTwoReplicasMergeBucketByBucketIntoTheP99OfAllTheirRequests() {
        long[] fast = new long[LatencyHistogram.BUCKETS];
        fast[3] = 150; // replica a: 150 requests <= 100 ms, its own p99 100 ms
        long[] slow = new long[LatencyHistogram.BUCKETS];
        slow[3] = 48;
        slow[8] = 2; // replica b: 2 of 50 requests <= 5 s, its own p99 5 s
        long[] merged = LatencyHistogram.merged(fast, slow);
        assertEquals(198, merged[3]);
        assertEquals(2, merged[8]);
        // Together 200 requests: the 198th is the last fast one, the 99th percentile (rank 198) too.
        assertEquals(Duration.ofMillis(100), LatencyHistogram.quantile(merged, 0.99));
        slow[8] = 3; // one more slow request: rank ceil(0.99 * 201) = 199 lies in the 5 s bucket
        assertEquals(Duration.ofSeconds(5), LatencyHistogram.quantile(LatencyHistogram.merged(fast, slow), 0.99));
    }

    @Test
    void countsAreStoredAsCommaSeparatedTextAndReadBack() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[0] = 3;
        counts[14] = 7;
        String stored = LatencyHistogram.encode(counts);
        assertEquals("3,0,0,0,0,0,0,0,0,0,0,0,0,0,7", stored);
        assertArrayEquals(counts, LatencyHistogram.decode(stored));
        long[] shorter = LatencyHistogram.decode("1,2");
        assertEquals(LatencyHistogram.BUCKETS, shorter.length, "a shorter row reads as zeros beyond what it has");
        assertEquals(2, shorter[1]);
    }

    @Test
    void aWindowsRatesAreShareOfRequestsAndOfRatings() {
        Instant t = Instant.EPOCH;
        Window w = new Window("v", t, t, 200, 5, 10, null, 3, 1);
        assertEquals(0.025, w.errorRate());
        assertEquals(0.05, w.refusalRate());
        assertEquals(0.25, w.negativeFeedbackRate(), "1 negative of 4 ratings");
        assertEquals(Duration.ZERO, w.p99(), "no latencies counted");
        Window none = Window.empty("v", t, t);
        assertEquals(0.0, none.errorRate());
        assertEquals(0.0, none.negativeFeedbackRate());
    }
}
