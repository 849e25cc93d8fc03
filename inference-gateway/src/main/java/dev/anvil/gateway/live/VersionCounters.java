package dev.anvil.gateway.live;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One version's counts on this replica since the last flush. Adding never blocks (request threads record here);
 * draining takes each count and resets it, so a request recorded during a drain lands wholly or partly in the next
 * window: no count is lost or counted twice, and sums over consecutive windows stay exact.
 */
final class VersionCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private final LongAdder positive = new LongAdder();
    private final LongAdder negative = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(LatencyHistogram.BUCKETS);

    void request(Outcome outcome, long nanos, boolean refused) {
        requests.increment();
        if (outcome == Outcome.FAILED) errors.increment();
        if (refused) refusals.increment();
        if (outcome != Outcome.CLIENT_GONE) latency.incrementAndGet(LatencyHistogram.bucketOf(nanos));
    }

    void feedback(long positiveDelta, long negativeDelta) {
        positive.add(positiveDelta);
        negative.add(negativeDelta);
    }

    Window drain(String versionId, Instant from, Instant to) {
        long[] buckets = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < buckets.length; i++) buckets[i] = latency.getAndSet(i, 0);
        return new Window(versionId, from, to, requests.sumThenReset(), errors.sumThenReset(),
                refusals.sumThenReset(), buckets, positive.sumThenReset(), negative.sumThenReset());
    }

    /** Puts a drained window's counts back: its flush failed, the next one carries them. */
    void restore(Window w) {
        requests.add(w.requests());
        errors.add(w.errors());
        refusals.add(w.refusals());
        positive.add(w.positiveFeedback());
        negative.add(w.negativeFeedback());
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) latency.addAndGet(i, w.latencyBuckets()[i]);
    }
}
