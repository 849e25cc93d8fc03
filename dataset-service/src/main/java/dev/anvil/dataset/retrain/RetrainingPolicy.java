package dev.anvil.dataset.retrain;

import dev.anvil.events.drift.DriftDetected;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a drift alert may start a retraining, as plain rules: the mode is not off, the drifting version's job is
 * known and names a route, and the route's guards pass (none in flight, the cool-down since the last training
 * requested over, fewer than the daily maximum requested this UTC day). The database's unique key on the in-flight
 * route makes the decision atomic: of two alerts at once, one wins and the other decides again, finding it.
 */
final class RetrainingPolicy {

    /** What the guards know of one route. */
    record RouteHistory(Optional<Retraining> inFlight, Optional<Instant> lastRequest, long requestsToday) {
    }

    private final RetrainingMode mode;
    private final Duration cooldown;
    private final int maxPerDay;

    RetrainingPolicy(RetrainingMode mode, Duration cooldown, int maxPerDay) {
        this.mode = mode;
        this.cooldown = cooldown;
        this.maxPerDay = maxPerDay;
    }

    static RetrainingPolicy of(RetrainingConfig config) {
        return new RetrainingPolicy(config.mode(), config.cooldown(), config.maxPerDay());
    }

    RetrainingMode mode() {
        return mode;
    }

    /** Midnight UTC of {@code now}'s day: where the daily count starts. */
    static Instant startOfDay(Instant now) {
        return now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    /**
     * Why {@code drift} starts no retraining, or empty when it does.
     *
     * @param job     the drifting version's training request, null when none was seen
     * @param history the history of a route, asked for only when the guards are reached
     */
    Optional<String> refusal(DriftDetected drift, KnownTrainingRequest job, Function<String, RouteHistory> history,
                             Instant now) {
        if (mode == RetrainingMode.OFF) {
            return Optional.of("retraining is off (anvil.dataset.retraining.mode=off)");
        }
        if (job == null) {
            return Optional.of("no TrainingRequested with jobId " + drift.modelVersion() + " was seen on "
                    + "training.requests, so its dataset version and settings are unknown");
        }
        if (job.route == null) {
            return Optional.of("job " + job.jobId + " named no route, so a retrained version would serve nothing");
        }
        return guards(job.route, history.apply(job.route), now);
    }

    private Optional<String> guards(String route, RouteHistory history, Instant now) {
        if (history.inFlight().isPresent()) {
            Retraining other = history.inFlight().get();
            return Optional.of("another retraining (" + other.id + ", " + other.status + ") is in flight on route "
                    + route);
        }
        return limits(route, history, now);
    }

    /**
     * Why the cool-down or the daily maximum holds {@code route} back now, or empty: the guards checked again when
     * a person approves (the waiting retraining is the route's one in flight, so that guard is not asked).
     */
    Optional<String> limits(String route, RouteHistory history, Instant now) {
        if (history.lastRequest().isPresent()) {
            Instant until = history.lastRequest().get().plus(cooldown);
            if (now.isBefore(until)) {
                return Optional.of("cool-down until " + until + " (anvil.dataset.retraining.cooldown=" + cooldown
                        + " after the last training requested on route " + route + ")");
            }
        }
        if (history.requestsToday() >= maxPerDay) {
            return Optional.of("max " + maxPerDay + " a day reached on route " + route + " until "
                    + startOfDay(now).plus(Duration.ofDays(1)) + " (UTC day of " + now
                    + ", anvil.dataset.retraining.max-per-day)");
        }
        return Optional.empty();
    }
}
