package dev.anvil.gateway.traffic;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.ServedExchange;
import dev.anvil.service.background.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes each answered request off the request's thread: the observer only offers it to a bounded queue (a full queue
 * drops it and counts the drop: a request never waits for the store), and a background writer seals and inserts what
 * waits every {@code flush-interval}, or as soon as the queue is half full, in batches of one transaction each.
 * Expired samples are deleted every 10 minutes. Without a key none of this runs.
 */
@ApplicationScoped
class TrafficRecorder {
    private static final Logger LOG = Logger.getLogger(TrafficRecorder.class);
    private static final int BATCH = 100;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
    private static final Duration DROP_REPORT_EVERY = Duration.ofMinutes(1);

    private final TrafficStore store;
    private final GatewayConfig.Traffic config;
    private final BlockingQueue<ServedExchange> queue;
    private final AtomicLong dropped = new AtomicLong();
    /** One wake-up waits at most: a busy queue must not pile runs up behind the writer. */
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private Instant lastDropReport = Instant.EPOCH;
    private volatile Periodic writer;
    private Periodic purges;

    TrafficRecorder(TrafficStore store, GatewayConfig config) {
        this.store = store;
        this.config = config.traffic();
        positive("queue-capacity", this.config.queueCapacity() > 0, this.config.queueCapacity());
        positive("max-per-version", this.config.maxPerVersion() > 0, this.config.maxPerVersion());
        positive("max-sample-chars", this.config.maxSampleChars() > 0, this.config.maxSampleChars());
        positive("flush-interval", this.config.flushInterval().toMillis() > 0, this.config.flushInterval());
        positive("retention", this.config.retention().toSeconds() > 0, this.config.retention());
        this.queue = new ArrayBlockingQueue<>(this.config.queueCapacity());
    }

    void start(@Observes StartupEvent event) {
        if (!store.keeps()) {
            LOG.infof("traffic not kept (prompts and answers are stored only encrypted): no %s (environment %s)",
                    TrafficKey.PROPERTY, TrafficKey.ENVIRONMENT);
            return;
        }
        writer = Periodic.every("traffic-writer", config.flushInterval(), this::writeWaiting);
        purges = Periodic.every("traffic-purge", PURGE_EVERY, Duration.ZERO, this::purge);
        LOG.infof("traffic kept encrypted under key %s: at most %d sample(s) per version, %d characters per sample, "
                + "for %s", store.keyId(), config.maxPerVersion(), config.maxSampleChars(), config.retention());
    }

    void stop(@Observes ShutdownEvent event) {
        if (writer == null) return;
        writer.close();
        purges.close();
        writeWaiting(); // what was answered before the stop is kept
    }

    /** On the request's thread: queue it or drop it, nothing more. */
    void keep(@Observes ServedExchange exchange) {
        Periodic w = writer;
        if (w == null) return;
        if (!queue.offer(exchange)) {
            dropped.incrementAndGet();
            return;
        }
        if (queue.size() >= config.queueCapacity() / 2 && wakePending.compareAndSet(false, true)) w.wake();
    }

    /**
     * Writes everything waiting, a batch per transaction. A failed batch is lost (counted in the log, never its
     * text) and the rest waits for the next run, so that a database outage costs the samples of its duration only.
     */
    void writeWaiting() {
        wakePending.set(false);
        reportDrops();
        List<ServedExchange> batch = new ArrayList<>(BATCH);
        while (queue.drainTo(batch, BATCH) > 0) {
            try {
                store.write(batch);
            } catch (RuntimeException e) {
                LOG.warnf("%d traffic sample(s) not stored: %s", batch.size(), e.toString());
                return;
            }
            batch.clear();
        }
    }

    /** At most one line a minute about dropped samples, from the writer rather than the request threads. */
    private void reportDrops() {
        Instant now = Instant.now();
        if (now.isBefore(lastDropReport.plus(DROP_REPORT_EVERY))) return;
        long n = dropped.getAndSet(0);
        if (n == 0) return;
        lastDropReport = now;
        LOG.warnf("%d answered request(s) not kept: the traffic queue was full (anvil.gateway.traffic.queue-capacity "
                + "%d)", n, config.queueCapacity());
    }

    private void purge() {
        long n = store.purgeExpired(Instant.now());
        if (n > 0) LOG.infof("deleted %d expired traffic sample(s)", n);
    }

    private static void positive(String name, boolean positive, Object value) {
        if (!positive) {
            throw new IllegalArgumentException("anvil.gateway.traffic." + name + " must be positive, got " + value);
        }
    }
}
