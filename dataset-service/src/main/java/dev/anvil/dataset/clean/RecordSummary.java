package dev.anvil.dataset.clean;

import dev.anvil.dataset.dedup.TextFingerprints;
import dev.anvil.dataset.ingest.Conversation;
import dev.anvil.dataset.ingest.Message;

/** The numbers of one kept record that the report's statistics are made of. */
record RecordSummary(int turns, int promptChars, int answerChars, boolean hasSystem, boolean hasTool) {
    static RecordSummary of(Conversation conversation) {
        int last = TextFingerprints.lastAssistant(conversation);
        int promptChars = 0;
        boolean system = false;
        boolean tool = false;
        for (int i = 0; i < conversation.messages().size(); i++) {
            Message message = conversation.messages().get(i);
            system |= message.role().equals(Message.SYSTEM);
            tool |= message.role().equals(Message.TOOL);
            if (i < last) {
                promptChars += message.content().length();
            }
        }
        int answerChars = last < 0 ? 0 : conversation.messages().get(last).content().length();
        return new RecordSummary(conversation.messages().size(), promptChars, answerChars, system, tool);
    }
}
