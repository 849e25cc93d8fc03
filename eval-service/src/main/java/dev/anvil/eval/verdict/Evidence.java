package dev.anvil.eval.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The two metric maps a decision reads, and whether a metric in them is fit to judge by. */
record Evidence(Map<String, Double> candidate, Map<String, Double> baseline) {

    Evidence {
        Objects.requireNonNull(candidate, "candidate metrics");
        Objects.requireNonNull(baseline, "baseline metrics");
    }

    /**
     * What keeps a metric from being judged by: absent from a side's map (e.g. generation was off) or not a finite
     * number. Empty when the candidate's value, and the baseline's when {@code withBaseline}, are finite numbers.
     */
    Optional<String> problem(String metric, boolean withBaseline) {
        List<String> unmeasured = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        check(metric, "candidate", candidate.get(metric), unmeasured, problems);
        if (withBaseline) check(metric, "baseline", baseline.get(metric), unmeasured, problems);
        if (!unmeasured.isEmpty()) {
            problems.add(0, metric + " was not measured for the " + String.join(" and the ", unmeasured));
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The candidate's value of a metric without a {@link #problem}. */
    double candidate(String metric) {
        return candidate.get(metric);
    }

    /** The baseline's value of a metric without a {@link #problem}. */
    double baseline(String metric) {
        return baseline.get(metric);
    }

    private static void check(String metric, String side, Double value, List<String> unmeasured,
                              List<String> problems) {
        if (value == null) {
            unmeasured.add(side);
        } else if (!Double.isFinite(value)) {
            problems.add(metric + " of the " + side + " is " + value);
        }
    }
}
