package dev.anvil.dataset.pii;

import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;
import dev.anvil.service.pii.PiiAnonymizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the personal data in every message of a conversation by placeholders, with the shared detectors
 * (service-kit's {@link PiiAnonymizer}). The dataset pipeline anonymises before deduplication, so records that differ
 * only in personal data collapse into one.
 */
public final class ConversationAnonymizer {
    private final PiiAnonymizer anonymizer = new PiiAnonymizer();

    /** A conversation with its personal data replaced and how many spans were replaced. */
    public record AnonymizedConversation(Conversation conversation, int redactions) {
    }

    public AnonymizedConversation anonymize(Conversation conversation) {
        List<Message> messages = null;
        int redactions = 0;
        List<Message> original = conversation.messages();
        for (int i = 0; i < original.size(); i++) {
            Message message = original.get(i);
            PiiAnonymizer.Result result = anonymizer.anonymize(message.content());
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
}
