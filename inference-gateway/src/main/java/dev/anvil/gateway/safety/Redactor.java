package dev.anvil.gateway.safety;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Masks what its rules find in a whole text: the findings of all rules, overlaps resolved (the earliest start wins,
 * then the longest, then the rule listed first), each replaced by its mask, the text cut at a filter's finding.
 * Stateless, shared by every request.
 */
final class Redactor {
    private static final Comparator<Finding> TEXT_ORDER = Comparator.comparingInt(Finding::start)
            .thenComparing(Comparator.comparingInt(Finding::end).reversed());

    private final List<TextRule> rules;

    Redactor(List<TextRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** No rules: every text stays as it is (and a stream needs no hold-back). */
    boolean isEmpty() {
        return rules.isEmpty();
    }

    Redaction redact(String text) {
        MaskedText out = new MaskedText();
        out.append(text, 0, text.length(), find(text));
        return out.result();
    }

    /** What the rules find in {@code text}, without overlaps, in text order. */
    List<Finding> find(String text) {
        return find(text, 0);
    }

    /** What the rules find from {@code from} on, the text before it read only as context. */
    List<Finding> find(String text, int from) {
        List<Finding> all = new ArrayList<>(0);
        for (TextRule rule : rules) rule.find(text, from, all);
        if (all.size() < 2) return all;
        all.sort(TEXT_ORDER); // stable: of two equal spans, the earlier rule's stays first
        List<Finding> kept = new ArrayList<>(all.size());
        int end = 0;
        for (Finding f : all) {
            if (f.start() < end) continue;
            kept.add(f);
            end = f.end();
        }
        return kept;
    }
}
