package dev.anvil.gateway.drift;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.ServedExchange;
import dev.anvil.llm.generate.Generation;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures every answered request for drift, off the request's thread: the serving path hands each
 * {@link ServedExchange} over through a bounded queue (full, the request is left out and counted), and one thread
 * extracts its features (the prompt's embedding costs a few ms), adds them to its version's {@link VersionDrift} and
 * raises alerts for the windows that close. Each replica measures the requests it served.
 */
@ApplicationScoped
public class DriftMonitor {
    private static final Logger LOG = Logger.getLogger(DriftMonitor.class);
    /** How often windows past their maximum age are looked at when no request comes. */
    private static final long IDLE_POLL_MILLIS = 1000;

    private final GatewayConfig.Drift config;
    private final DriftSettings settings;
    private final DriftAlerts alerts;
    private final BlockingQueue<ServedExchange> queue;
    private final Map<String, VersionDrift> versions = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong measured = new AtomicLong();
    private volatile boolean running;
    private Thread worker;

    public DriftMonitor(GatewayConfig config, DriftAlerts alerts) {
        this.config = config.drift();
        this.settings = this.config.settings();
        this.alerts = alerts;
        this.queue = new ArrayBlockingQueue<>(this.config.queueCapacity());
    }

    void start(@Observes StartupEvent ignored) {
        if (!config.enabled()) {
            LOG.info("drift monitoring is off (anvil.gateway.drift.enabled=false)");
            return;
        }
        FeatureExtractor extractor = new FeatureExtractor(config.embeddings() ? new PromptEmbeddings() : null);
        running = true;
        worker = new Thread(() -> work(extractor), "anvil-drift");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        if (worker != null) worker.interrupt();
    }

    /** On the request's thread: only queues. */
    void onServed(@Observes ServedExchange exchange) {
        if (running && !queue.offer(exchange)) dropped.incrementAndGet();
    }

    /** What each version's drift looks like on this replica, versions by id. */
    public Snapshot snapshot() {
        List<VersionDrift.View> views = versions.values().stream().map(VersionDrift::view)
                .sorted(Comparator.comparing(VersionDrift.View::version)).toList();
        return new Snapshot(config.enabled(), measured.get(), dropped.get(), queue.size(), views);
    }

    public Optional<VersionDrift.View> of(String version) {
        return Optional.ofNullable(versions.get(version)).map(VersionDrift::view);
    }

    /**
     * One feature of {@code candidate}'s latest requests against {@code baseline}'s as the reference, both as this
     * replica served them; empty while either has fewer than {@code min-samples}.
     */
    public Optional<FeatureCheck> compareRecent(String candidate, String baseline, String feature) {
        VersionDrift c = versions.get(candidate);
        VersionDrift b = versions.get(baseline);
        if (c == null || b == null) return Optional.empty();
        List<RequestFeatures> live = c.recent();
        List<RequestFeatures> reference = b.recent();
        if (live.size() < settings.minSamples() || reference.size() < settings.minSamples()) return Optional.empty();
        return Reference.of(reference, settings.rareTop()).compare(live, settings.thresholds()).stream()
                .filter(check -> check.feature().equals(feature)).findFirst();
    }

    /**
     * @param measured requests measured since this replica started
     * @param dropped  requests left out because the queue was full
     * @param queued   requests waiting to be measured
     */
    public record Snapshot(boolean enabled, long measured, long dropped, int queued, List<VersionDrift.View> versions) {
    }

    private void work(FeatureExtractor extractor) {
        long nextSweep = 0;
        while (running) {
            try {
                ServedExchange exchange = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (exchange != null) measure(extractor, exchange);
                // Windows age in minutes: looking at every version once a poll interval is often enough, rather
                // than after each request.
                if (System.nanoTime() - nextSweep >= 0) {
                    nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS);
                    Instant now = Instant.now();
                    for (VersionDrift drift : versions.values()) drift.closeIfDue(now).ifPresent(alerts::raise);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // One request that cannot be measured (or a database away while raising) must not stop the rest.
                LOG.warnf(e, "drift monitoring: %s", e.getMessage());
            }
        }
    }

    private void measure(FeatureExtractor extractor, ServedExchange exchange) {
        Generation first = exchange.choices().get(0);
        boolean embed = measured.incrementAndGet() % config.embedEvery() == 0;
        RequestFeatures features = extractor.extract(exchange.prompt().text(), exchange.prompt().tokenIds(),
                first.text(), first.tokenIds().length, embed);
        versions.computeIfAbsent(exchange.versionId(), v -> new VersionDrift(v, settings))
                .add(features, Instant.now()).ifPresent(alerts::raise);
    }
}
