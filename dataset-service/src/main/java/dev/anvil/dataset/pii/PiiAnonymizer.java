package dev.anvil.dataset.pii;

import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces personal data in place by placeholders ({@code [EMAIL]}, {@code [PHONE]}, {@code [CREDIT_CARD]},
 * {@code [IBAN]}, {@code [IP_ADDRESS]}). Detectors run from the most to the least specific (e-mail, IBAN, card, IP,
 * phone); a later detector's span that overlaps an earlier one's is dropped, so a card number is never half-taken for
 * a phone number. The dataset pipeline anonymises before deduplication, so records that differ only in personal data
 * collapse into one.
 */
public final class PiiAnonymizer {
    private final List<PiiDetector> detectors = List.of(new EmailDetector(), new IbanDetector(),
            new CreditCardDetector(), new IpAddressDetector(), new PhoneDetector());

    /** A text with its personal data replaced and how many spans were replaced. */
    public record Result(String text, int redactions) {
    }

    /** A conversation with its personal data replaced and how many spans were replaced. */
    public record AnonymizedConversation(Conversation conversation, int redactions) {
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

    public AnonymizedConversation anonymize(Conversation conversation) {
        List<Message> messages = null;
        int redactions = 0;
        List<Message> original = conversation.messages();
        for (int i = 0; i < original.size(); i++) {
            Message message = original.get(i);
            Result result = anonymize(message.content());
            if (result.redactions() > 0) {
                if (messages == null) {
                    messages = new ArrayList<>(original);
                }
                messages.set(i, new Message(message.role(), result.text(), message.name(), message.toolCallId()));
                redactions += result.redactions();
            }
        }
        return new AnonymizedConversation(
                messages == null ? conversation : new Conversation(messages, conversation.format()), redactions);
    }

    /** The non-overlapping spans of personal data in {@code text}, in text order. */
    public List<PiiSpan> find(String text) {
        TextProfile profile = TextProfile.of(text);
        List<PiiSpan> accepted = new ArrayList<>(0);
        List<PiiSpan> candidates = new ArrayList<>();
        for (PiiDetector detector : detectors) {
            if (!detector.mayMatch(profile)) {
                continue;
            }
            candidates.clear();
            detector.find(text, candidates);
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
