package dev.anvil.gateway.rollout;

import dev.anvil.gateway.GatewayConfig;
import dev.anvil.gateway.drift.FeatureCheck;
import dev.anvil.gateway.live.LatencyHistogram;
import dev.anvil.gateway.live.Window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One check of a canary's live metrics against the stable version's over the same interval: error rate, p99 latency,
 * refusal rate and negative feedback, each within a bound relative to the stable version (so that a bad hour for
 * both is no reason to roll back); and the drift score of its answers' length against the stable version's on the
 * same route (PSI and Kolmogorov-Smirnov, the drift monitor's thresholds), which catches a version that answers with
 * nothing, or rambles, before users rate it. The drift is reported in every check and fails one only with
 * {@code drift-check}: answer lengths also follow the prompts and the clients' {@code max_tokens}, which differ
 * between the two versions' users on small samples. Too little canary traffic gives no verdict at all.
 */
public final class CanaryCheck {

    public enum Outcome { PASSED, FAILED, SKIPPED }

    /** The outcome and one line per rule. */
    public record Result(Outcome outcome, List<String> reasons) {
        /** The lines of the rules that failed, for a rollback's reason. */
        String failures() {
            return String.join("; ", reasons.stream().filter(r -> r.startsWith(FAIL)).toList());
        }
    }

    static final String FAIL = "FAIL ";
    static final String PASS = "pass ";

    private CanaryCheck() {
    }

    /**
     * @param responseDrift the canary's response lengths against the stable version's; empty when either served
     *                      too few answers on this replica (or the drift check is off)
     */
    public static Result of(Window canary, Window stable, Optional<FeatureCheck> responseDrift,
                            GatewayConfig.Rollout bounds) {
        if (canary.requests() < bounds.minRequests()) {
            return new Result(Outcome.SKIPPED, List.of("skipped: the canary served " + canary.requests()
                    + " requests, fewer than min-requests " + bounds.minRequests()));
        }
        List<String> reasons = new ArrayList<>();
        rate(reasons, "error rate", canary.errorRate(), stable.errorRate(), bounds.maxErrorRateIncrease());
        latency(reasons, canary, stable, bounds);
        rate(reasons, "refusal rate", canary.refusalRate(), stable.refusalRate(), bounds.maxRefusalRateIncrease());
        long ratings = canary.positiveFeedback() + canary.negativeFeedback();
        if (ratings >= bounds.minFeedback()) {
            rate(reasons, "negative feedback", canary.negativeFeedbackRate(), stable.negativeFeedbackRate(),
                    bounds.maxNegativeFeedbackIncrease());
        } else {
            reasons.add(PASS + "negative feedback: " + ratings + " ratings, fewer than min-feedback "
                    + bounds.minFeedback());
        }
        reasons.add(responseDrift.map(check -> drift(check, bounds.driftCheck())).orElse(PASS
                + "response length drift: too few answers of both versions on this replica to compare"));
        boolean failed = reasons.stream().anyMatch(r -> r.startsWith(FAIL));
        return new Result(failed ? Outcome.FAILED : Outcome.PASSED, List.copyOf(reasons));
    }

    private static void rate(List<String> reasons, String name, double canary, double stable, double increase) {
        double bound = stable + increase;
        boolean ok = canary <= bound + 1e-12;
        reasons.add((ok ? PASS : FAIL) + name + " " + percent(canary) + (ok ? " <= " : " > ") + percent(bound)
                + " (stable " + percent(stable) + " + " + percent(increase) + ")");
    }

    /** {@code enforced}: whether a drift fails the check, or is only reported. */
    private static String drift(FeatureCheck check, boolean enforced) {
        StringBuilder line = new StringBuilder(check.drifted() && enforced ? FAIL : PASS)
                .append("response length drift from the stable version")
                .append(check.drifted() && !enforced ? " (reported only, drift-check is off):" : ":");
        for (FeatureCheck.Statistic s : check.statistics()) {
            line.append(' ').append(s.name()).append(' ').append(String.format(Locale.ROOT, "%.3g", s.value()))
                    .append(s.breached() ? " past " : " within ")
                    .append(String.format(Locale.ROOT, "%.3g", s.threshold()));
        }
        return line.toString();
    }

    private static void latency(List<String> reasons, Window canary, Window stable, GatewayConfig.Rollout bounds) {
        if (stable.requests() == 0 || stable.p99().equals(LatencyHistogram.BEYOND_LAST_BOUND)) {
            reasons.add(PASS + "p99 latency: nothing of the stable version's to compare");
            return;
        }
        Duration scaled = Duration.ofNanos((long) (stable.p99().toNanos() * bounds.maxLatencyRatio()));
        Duration slack = stable.p99().plus(bounds.latencySlack());
        Duration bound = scaled.compareTo(slack) >= 0 ? scaled : slack;
        // The histogram tells a p99 only to its bucket: fail only when even the bucket's lower end is past the bound,
        // so that a canary as fast as its stable version is never failed for the buckets' width (2-2.5x).
        Duration least = LatencyHistogram.lowerBoundOf(canary.p99());
        boolean ok = least.compareTo(bound) <= 0;
        reasons.add((ok ? PASS : FAIL) + "p99 latency " + range(least, canary.p99()) + (ok ? " within " : " > ")
                + millis(bound) + " (stable " + millis(stable.p99()) + ")");
    }

    private static String range(Duration least, Duration most) {
        return most.equals(LatencyHistogram.BEYOND_LAST_BOUND) ? "> " + millis(least)
                : least.toMillis() + "-" + millis(most);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
