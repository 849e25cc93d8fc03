package dev.anvil.gateway.rollout;

import java.time.Instant;
import java.util.List;

/** A rollout as the admin API shows it, with its latest checks, newest first. */
public record RolloutView(String version, String route, String stable, String evaluationId, RolloutState state,
                          int weight, int passedChecks, int failedChecks, String reason, Instant startedAt,
                          Instant nextCheckAt, Instant finishedAt, List<Check> checks) {

    /** One check: the canary's share during it, its outcome and each rule's line. */
    public record Check(Instant at, int weight, CanaryCheck.Outcome outcome, List<String> reasons) {
    }

    static RolloutView of(Rollout r, List<RolloutCheck> checks) {
        return new RolloutView(r.version, r.route, r.stable, r.evaluationId, r.state, r.weight, r.passedChecks,
                r.failedChecks, r.reason, r.startedAt, r.nextCheckAt, r.finishedAt, checks.stream()
                .map(c -> new Check(c.checkedAt, c.weight, c.outcome, List.of(c.reasons.split("\n")))).toList());
    }
}
