package dev.anvil.gateway.safety;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Matches of one regular expression: a configured pattern, or all of a list's terms in one alternation. */
final class RegexRule implements TextRule {
    /** Letters, digits and the underscore in any script: a term must not touch one on either side. */
    private static final String WORD_CHAR = "[\\p{L}\\p{N}_]";

    private final Pattern pattern;
    private final String kind;
    /** Names the rule in a refusal; null for terms, which are named by what matched. */
    private final String name;
    private final String mask;

    private RegexRule(Pattern pattern, String kind, String name, String mask) {
        this.pattern = pattern;
        this.kind = kind;
        this.name = name;
        this.mask = mask;
    }

    /**
     * The terms as whole words, case-insensitively in any script ("Secret" finds "SECRET" but not "secretly");
     * longer terms tried first, so that of "top secret" and "secret" the longer is found. {@code mask} null: a filter.
     */
    static RegexRule terms(List<String> terms, String mask) {
        String alternatives = terms.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        Pattern pattern = Pattern.compile("(?<!" + WORD_CHAR + ")(?:" + alternatives + ")(?!" + WORD_CHAR + ")",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new RegexRule(pattern, "term", null, mask);
    }

    /** One configured pattern, named in refusals as {@code name}. {@code mask} null: a filter. */
    static RegexRule pattern(Pattern pattern, String name, String mask) {
        return new RegexRule(pattern, "pattern", name, mask);
    }

    @Override
    public void find(String text, int from, List<Finding> found) {
        Matcher m = pattern.matcher(text).region(from, text.length()).useTransparentBounds(true)
                .useAnchoringBounds(false);
        while (m.find()) {
            if (m.end() == m.start()) continue; // an empty match has nothing to mask
            String rule = name != null ? name : "term '" + m.group() + "'";
            found.add(new Finding(m.start(), m.end(), kind, rule, mask));
        }
    }
}
