package dev.anvil.gateway.live;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.background.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Flushes the live counts every {@code anvil.gateway.live.flush-interval} and once more at shutdown (a stopping
 * pod keeps its last window), and deletes what is older than {@code anvil.gateway.live.retention} hourly. Every
 * replica purges: the deletes are idempotent, and no replica is special.
 */
@ApplicationScoped
class LiveSchedule {
    private static final Logger LOG = Logger.getLogger(LiveSchedule.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final LiveMetrics metrics;
    private final ServedResponses served;
    private final GatewayConfig.Live config;
    private Periodic flushes;
    private Periodic purges;

    LiveSchedule(LiveMetrics metrics, ServedResponses served, GatewayConfig config) {
        this.metrics = metrics;
        this.served = served;
        this.config = config.live();
    }

    void start(@Observes StartupEvent event) {
        flushes = Periodic.every("live-metrics-flush", config.flushInterval(), this::flush);
        purges = Periodic.every("live-metrics-purge", PURGE_EVERY, Duration.ZERO, this::purge);
        LOG.infof("live metrics of instance %s flushed every %s, kept %s", metrics.instanceId(),
                config.flushInterval(), config.retention());
    }

    void stop(@Observes ShutdownEvent event) {
        if (flushes == null) return;
        flushes.close();
        purges.close();
        flush();
    }

    private void flush() {
        try {
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warn("live metrics flush failed", e); // a failure must not end the schedule
        }
    }

    private void purge() {
        try {
            Instant cutoff = Instant.now().minus(config.retention());
            long windows = metrics.purgeBefore(cutoff);
            long responses = served.purgeBefore(cutoff);
            if (windows + responses > 0) {
                LOG.infof("purged %d live metric window(s) and %d served response id(s) before %s", windows,
                        responses, cutoff);
            }
        } catch (RuntimeException e) {
            LOG.warn("live metrics purge failed", e);
        }
    }
}
