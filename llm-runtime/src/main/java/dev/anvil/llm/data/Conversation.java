package dev.anvil.llm.data;

import java.util.List;

import dev.anvil.llm.text.ChatMessage;

/** One training record: its messages and the line of the dataset file it came from (for error messages). */
public record Conversation(List<ChatMessage> messages, long line) {
    public Conversation {
        messages = List.copyOf(messages);
    }
}
