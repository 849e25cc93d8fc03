package dev.anvil.gateway.safety;

/**
 * A piece of a text that a rule found, {@code text.substring(start, end)}: masked, or, when a filter found it, where
 * the text is cut.
 *
 * @param kind what found it, as the metrics name it: a PII type in lower case, {@code term} or {@code pattern}
 * @param rule the rule in words fit for a refusal's message: the term as the text has it, or which pattern of which
 *             key (never the pattern itself, which may describe a secret)
 * @param mask what replaces it; null for a filter's finding, which cuts the text instead
 */
record Finding(int start, int end, String kind, String rule, String mask) {

    boolean cuts() {
        return mask == null;
    }

    /** The same finding from {@code from} on: its part that a stream has not sent yet. */
    Finding from(int from) {
        return new Finding(Math.max(start, from), end, kind, rule, mask);
    }
}
