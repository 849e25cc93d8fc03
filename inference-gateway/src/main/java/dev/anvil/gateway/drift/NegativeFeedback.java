package dev.anvil.gateway.drift;

import dev.anvil.events.drift.DriftDetected;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.live.Feedback;
import dev.anvil.gateway.live.Rated;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Negative feedback as a retraining trigger: when the clients' ratings of a version over the window
 * ({@code anvil.gateway.drift.negative-feedback.*}) are at least {@code min-ratings} and at least {@code share} of them
 * are down, it raises {@code DriftDetected} with feature {@code negative_feedback}, statistic {@code share}, through
 * {@link DriftAlerts}: the same row and cool-down as drift, so it fires once per cool-down and version across
 * replicas and shows in {@code /admin/drift/{version}}. Ratings are counted in the shared {@code feedback} table, so
 * every replica's count the same. Checked as each rating is stored, on the rating's request thread: two counts on an
 * index, and the alert's row only when the share is reached.
 */
@ApplicationScoped
public class NegativeFeedback {
    private static final Logger LOG = Logger.getLogger(NegativeFeedback.class);
    public static final String FEATURE = "negative_feedback";
    public static final String STATISTIC = "share";

    private final GatewayConfig.Drift.NegativeFeedback settings;
    private final DriftAlerts alerts;

    public NegativeFeedback(GatewayConfig config, DriftAlerts alerts) {
        this.settings = config.drift().negativeFeedback();
        this.alerts = alerts;
    }

    void onRated(@Observes Rated rated) {
        if (!settings.enabled()) return;
        try {
            check(rated.versionId());
        } catch (RuntimeException e) {
            // The rating is stored and answered; the next one checks again.
            LOG.warnf(e, "negative feedback of version %s not checked", rated.versionId());
        }
    }

    /** The alert raised for {@code versionId}'s ratings now, if they reach the share and no alert is cooling down. */
    Optional<DriftDetected> check(String versionId) {
        Instant end = Instant.now();
        Instant start = end.minus(settings.window());
        long[] counts = QuarkusTransaction.requiringNew().call(() -> new long[]{
                Feedback.count("versionId = ?1 and createdAt >= ?2", versionId, start),
                Feedback.count("versionId = ?1 and createdAt >= ?2 and rating < 0", versionId, start)});
        long ratings = counts[0];
        if (ratings == 0 || ratings < settings.minRatings()) return Optional.empty();
        double share = (double) counts[1] / ratings;
        if (share < settings.share()) return Optional.empty();
        DriftDetected alert = new DriftDetected(versionId, FEATURE, STATISTIC, share, settings.share(),
                new DriftDetected.Window(start, end, ratings));
        return alerts.raise(alert) ? Optional.of(alert) : Optional.empty();
    }
}
