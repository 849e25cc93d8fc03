package dev.anvil.gateway.drift;

import dev.anvil.events.drift.DriftDetected;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.events.GatewayEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Raises {@code DriftDetected} for the features that drifted in a window (and for negative feedback): once per window
 * and feature, and not again for the same version and feature within the cool-down. The cool-down is kept in {@code drift_alert}, so it holds
 * across replicas (each replica measures its own share of the traffic and may see the same drift).
 */
@ApplicationScoped
public class DriftAlerts {
    private static final Logger LOG = Logger.getLogger(DriftAlerts.class);

    private final GatewayEvents events;
    private final Duration cooldown;

    public DriftAlerts(GatewayEvents events, GatewayConfig config) {
        this.events = events;
        this.cooldown = config.drift().cooldown();
    }

    /** The alerts raised for {@code report}'s drifted features (those in their cool-down are not). */
    public List<DriftDetected> raise(WindowReport report) {
        return report.drifted().stream().map(check -> eventOf(report, check)).filter(this::raise).toList();
    }

    /** The latest alert per feature of {@code version}. */
    public List<Alert> of(String version) {
        return DriftAlert.<DriftAlert>list("version = ?1 order by feature", version).stream()
                .map(a -> new Alert(a.feature, a.statistic, a.value, a.threshold, a.windowStart, a.windowEnd,
                        a.samples, a.raisedAt)).toList();
    }

    /** An alert as the admin API shows it. */
    public record Alert(String feature, String statistic, double value, double threshold, Instant windowStart,
                        Instant windowEnd, long samples, Instant raisedAt) {
    }

    /**
     * Publishes {@code alert} unless its version and feature raised one within the cool-down; whether it did. The
     * alert's row and the event's outbox row are written in one transaction.
     */
    public boolean raise(DriftDetected alert) {
        Instant now = Instant.now();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                DriftAlert row = DriftAlert.findById(DriftAlert.Key.of(alert.modelVersion(), alert.feature()),
                        LockModeType.PESSIMISTIC_WRITE);
                if (row != null && row.raisedAt.isAfter(now.minus(cooldown))) return false;
                if (row == null) row = DriftAlert.of(alert.modelVersion(), alert.feature());
                row.statistic = alert.statistic();
                row.value = alert.value();
                row.threshold = alert.threshold();
                row.windowStart = alert.window().start();
                row.windowEnd = alert.window().end();
                row.samples = alert.window().samples();
                row.raisedAt = now;
                row.persistAndFlush();
                events.record(alert);
                return true;
            });
        } catch (PersistenceException raisedElsewhere) {
            // Another replica inserted the first alert of this version and feature at the same moment.
            LOG.debugf("drift of %s on %s already raised by another replica", alert.modelVersion(), alert.feature());
            return false;
        }
    }

    private static DriftDetected eventOf(WindowReport report, FeatureCheck check) {
        FeatureCheck.Statistic lead = check.lead();
        return new DriftDetected(report.version(), check.feature(), lead.name(), lead.value(), lead.threshold(),
                new DriftDetected.Window(report.start(), report.end(), report.samples()));
    }
}
