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
 * Raises {@code DriftDetected} for the features that drifted in a window: once per window and feature, and not again
 * for the same version and feature within the cool-down. The cool-down is kept in {@code drift_alert}, so it holds
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
        return report.drifted().stream().filter(check -> raise(report, check))
                .map(check -> eventOf(report, check)).toList();
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

    private boolean raise(WindowReport report, FeatureCheck check) {
        Instant now = Instant.now();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                DriftAlert alert = DriftAlert.findById(DriftAlert.Key.of(report.version(), check.feature()),
                        LockModeType.PESSIMISTIC_WRITE);
                if (alert != null && alert.raisedAt.isAfter(now.minus(cooldown))) return false;
                if (alert == null) alert = DriftAlert.of(report.version(), check.feature());
                FeatureCheck.Statistic lead = check.lead();
                alert.statistic = lead.name();
                alert.value = lead.value();
                alert.threshold = lead.threshold();
                alert.windowStart = report.start();
                alert.windowEnd = report.end();
                alert.samples = report.samples();
                alert.raisedAt = now;
                alert.persistAndFlush();
                events.record(eventOf(report, check));
                return true;
            });
        } catch (PersistenceException raisedElsewhere) {
            // Another replica inserted the first alert of this version and feature at the same moment.
            LOG.debugf("drift of %s on %s already raised by another replica", report.version(), check.feature());
            return false;
        }
    }

    private static DriftDetected eventOf(WindowReport report, FeatureCheck check) {
        FeatureCheck.Statistic lead = check.lead();
        return new DriftDetected(report.version(), check.feature(), lead.name(), lead.value(), lead.threshold(),
                new DriftDetected.Window(report.start(), report.end(), report.samples()));
    }
}
