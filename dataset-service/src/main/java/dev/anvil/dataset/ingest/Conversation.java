package dev.anvil.dataset.ingest;

import java.util.List;

/** The canonical chat form every accepted record is stored in, whatever its source format. */
public record Conversation(List<Message> messages, SourceFormat format) {
    public Conversation {
        messages = List.copyOf(messages);
    }
}
