package dev.anvil.dataset.retrain;

import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.TrainingRequested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decision's rules and the reasons they give, without a database. */
class RetrainingPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final DriftDetected DRIFT = new DriftDetected("job-1", "negative_feedback", "count", 12, 10,
            new DriftDetected.Window(NOW.minusSeconds(3600), NOW, 40));
    private static final RetrainingPolicy.RouteHistory QUIET =
            new RetrainingPolicy.RouteHistory(Optional.empty(), Optional.empty(), 0);

    private final RetrainingPolicy automatic = new RetrainingPolicy(RetrainingMode.AUTOMATIC, Duration.ofHours(6), 3);

    @Test
    void offRecordsWhyNothingHappens() {
        var off = new RetrainingPolicy(RetrainingMode.OFF, Duration.ofHours(6), 3);
        assertEquals(Optional.of("retraining is off (anvil.dataset.retraining.mode=off)"),
                off.refusal(DRIFT, job("faq"), route -> QUIET, NOW));
    }

    @Test
    void aQuietRouteOfAKnownJobMayRetrain() {
        assertEquals(Optional.empty(), automatic.refusal(DRIFT, job("faq"), route -> QUIET, NOW));
    }

    @Test
    void anUnknownJobOrOneWithoutARouteIsRefused() {
        assertEquals("no TrainingRequested with jobId job-1 was seen on training.requests, so its dataset version "
                + "and settings are unknown", automatic.refusal(DRIFT, null, route -> QUIET, NOW).orElseThrow());
        assertEquals("job job-1 named no route, so a retrained version would serve nothing",
                automatic.refusal(DRIFT, job(null), route -> QUIET, NOW).orElseThrow());
    }

    @Test
    void theGuardsNameWhatHoldsTheRouteBack() {
        Retraining other = new Retraining();
        other.id = "r-1";
        other.status = RetrainingStatus.REQUESTED;
        assertEquals("another retraining (r-1, REQUESTED) is in flight on route faq", automatic.refusal(DRIFT,
                job("faq"), route -> new RetrainingPolicy.RouteHistory(Optional.of(other), Optional.empty(), 0),
                NOW).orElseThrow());
        assertEquals("cool-down until 2026-11-28T13:00:00Z (anvil.dataset.retraining.cooldown=PT6H after the last "
                + "training requested on route faq)", automatic.refusal(DRIFT, job("faq"),
                route -> new RetrainingPolicy.RouteHistory(Optional.empty(), Optional.of(NOW.minus(Duration
                        .ofHours(3))), 1), NOW).orElseThrow());
        assertEquals("max 3 a day reached on route faq until 2026-11-29T00:00:00Z (UTC day of "
                + "2026-11-28T10:00:00Z, anvil.dataset.retraining.max-per-day)", automatic.refusal(DRIFT, job("faq"),
                route -> new RetrainingPolicy.RouteHistory(Optional.empty(), Optional.of(NOW.minus(Duration
                        .ofHours(7))), 3), NOW).orElseThrow());
    }

    @Test
    void atApprovalTheLimitsAreAskedButNotTheRowHoldingTheRoute() {
        Retraining waiting = new Retraining();
        waiting.id = "r-1";
        waiting.status = RetrainingStatus.PENDING_APPROVAL;
        assertEquals(Optional.empty(), automatic.limits("faq", new RetrainingPolicy.RouteHistory(Optional.of(waiting),
                Optional.of(NOW.minus(Duration.ofHours(7))), 2), NOW));
        assertEquals("cool-down until 2026-11-28T11:00:00Z (anvil.dataset.retraining.cooldown=PT6H after the last "
                + "training requested on route faq)", automatic.limits("faq", new RetrainingPolicy.RouteHistory(
                Optional.of(waiting), Optional.of(NOW.minus(Duration.ofHours(5))), 1), NOW).orElseThrow());
        assertEquals("max 3 a day reached on route faq until 2026-11-29T00:00:00Z (UTC day of "
                + "2026-11-28T10:00:00Z, anvil.dataset.retraining.max-per-day)", automatic.limits("faq",
                new RetrainingPolicy.RouteHistory(Optional.of(waiting), Optional.of(NOW.minus(Duration.ofHours(7))),
                        3), NOW).orElseThrow());
    }

    @Test
    void theDayIsTheUtcDay() {
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), RetrainingPolicy.startOfDay(NOW));
    }

    private static KnownTrainingRequest job(String route) {
        return KnownTrainingRequest.of("e-1", new TrainingRequested("job-1", "aidreams260K",
                new DatasetRef("faq", "v1"), null, null, false, route), NOW);
    }
}
