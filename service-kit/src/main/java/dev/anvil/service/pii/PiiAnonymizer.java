package dev.anvil.service.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces personal data in place by placeholders ({@code [EMAIL]}, {@code [PHONE]}, {@code [CREDIT_CARD]},
 * {@code [IBAN]}, {@code [IP_ADDRESS]}). Detectors run from the most to the least specific (e-mail, IBAN, card, IP,
 * phone); a later detector's span that overlaps an earlier one's is dropped, so a card number is never half-taken for
 * a phone number. Plain Java without state, safe to share between threads: the dataset-service anonymises its
 * records with it, the gateway redacts answers.
 */
public final class PiiAnonymizer {
    /** Each kind's detector (stateless), from the most to the least specific. */
    private static final List<Map.Entry<PiiType, PiiDetector>> DETECTORS = List.of(
            Map.entry(PiiType.EMAIL, new EmailDetector()), Map.entry(PiiType.IBAN, new IbanDetector()),
            Map.entry(PiiType.CREDIT_CARD, new CreditCardDetector()),
            Map.entry(PiiType.IP_ADDRESS, new IpAddressDetector()), Map.entry(PiiType.PHONE, new PhoneDetector()));

    private final List<PiiDetector> detectors;

    /** Every kind of personal data. */
    public PiiAnonymizer() {
        this(EnumSet.allOf(PiiType.class));
    }

    /** Only the kinds in {@code types}; the others are left in the text. */
    public PiiAnonymizer(Set<PiiType> types) {
        this.detectors = DETECTORS.stream().filter(d -> types.contains(d.getKey())).map(Map.Entry::getValue).toList();
    }

    /** A text with its personal data replaced and how many spans were replaced. */
    public record Result(String text, int redactions) {
    }

    public Result anonymize(String text) {
        List<PiiSpan> spans = find(text);
        if (spans.isEmpty()) {
            return new Result(text, 0);
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (PiiSpan span : spans) {
            out.append(text, at, span.start()).append(span.type().placeholder());
            at = span.end();
        }
        out.append(text, at, text.length());
        return new Result(out.toString(), spans.size());
    }

    /** The non-overlapping spans of personal data in {@code text}, in text order. */
    public List<PiiSpan> find(String text) {
        return find(text, 0);
    }

    /**
     * The spans of {@link #find(String)} that start at {@code from} or later, the text before it read only as their
     * context: how a stream searches the text it has not sent yet.
     */
    public List<PiiSpan> find(String text, int from) {
        TextProfile profile = TextProfile.of(text);
        List<PiiSpan> accepted = new ArrayList<>(0);
        List<PiiSpan> candidates = new ArrayList<>();
        for (PiiDetector detector : detectors) {
            if (!detector.mayMatch(profile)) {
                continue;
            }
            candidates.clear();
            detector.find(text, from, candidates);
            for (PiiSpan candidate : candidates) {
                if (accepted.stream().noneMatch(candidate::overlaps)) {
                    accepted.add(candidate);
                }
            }
        }
        accepted.sort(Comparator.comparingInt(PiiSpan::start));
        return accepted;
    }
}
