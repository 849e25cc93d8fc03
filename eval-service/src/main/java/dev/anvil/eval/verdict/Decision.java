package dev.anvil.eval.verdict;

import dev.anvil.events.evaluation.Verdict;

import java.util.List;
import java.util.Objects;

/**
 * The promotion verdict and the outcome of every enabled rule, in the {@link Judge}'s rule order.
 *
 * @param verdict {@link Verdict#PASS} exactly when at least one rule is enabled and every one passed
 * @param rules   the enabled rules' outcomes
 */
public record Decision(Verdict verdict, List<RuleOutcome> rules) {

    /** The reason of a decision without rules. */
    public static final String NO_RULE_ENABLED = "no rule is enabled";

    /** @throws IllegalArgumentException when the verdict does not follow from the outcomes */
    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        rules = List.copyOf(rules);
        if (verdict != verdictOf(rules)) {
            throw new IllegalArgumentException("verdict " + verdict + " does not follow from the rules' outcomes");
        }
    }

    /** The decision these outcomes make. */
    public static Decision of(List<RuleOutcome> rules) {
        return new Decision(verdictOf(rules), rules);
    }

    /** One line per rule ({@link RuleOutcome#reason}), or {@value #NO_RULE_ENABLED}: why the verdict is what it is. */
    public List<String> reasons() {
        if (rules.isEmpty()) return List.of(NO_RULE_ENABLED);
        return rules.stream().map(RuleOutcome::reason).toList();
    }

    private static Verdict verdictOf(List<RuleOutcome> rules) {
        boolean pass = !rules.isEmpty() && rules.stream().allMatch(RuleOutcome::passed);
        return pass ? Verdict.PASS : Verdict.FAIL;
    }
}
