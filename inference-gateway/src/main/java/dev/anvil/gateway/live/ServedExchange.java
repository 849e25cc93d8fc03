package dev.anvil.gateway.live;

import dev.anvil.llm.generate.Generation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One answered request, as the serving path hands it on (a CDI event, fired synchronously once the answer is
 * complete): drift monitoring measures it and the traffic store keeps it. Observers are on the request's thread, so
 * they only queue it and do their work elsewhere.
 *
 * @param responseId OpenAI's response id
 * @param model      the name the client asked for (a route)
 * @param versionId  the version that answered
 * @param prompt     what the client sent
 * @param choices    the answer's choices, complete
 */
public record ServedExchange(String responseId, String model, String versionId, Instant created, Prompt prompt,
                             List<Generation> choices) {

    /**
     * A request's prompt.
     *
     * @param text     what the caller wrote: the messages' contents one per line, or the completion prompt
     * @param messages a chat request's messages as the chat template read them; empty for a completion
     * @param tokenIds the prompt as the engine got it, chat template included
     */
    public record Prompt(String text, List<Map<String, Object>> messages, int[] tokenIds) {
        public Prompt {
            messages = List.copyOf(messages);
        }

        public static Prompt ofChat(List<Map<String, Object>> messages, int[] tokenIds) {
            StringBuilder text = new StringBuilder();
            for (Map<String, Object> message : messages) {
                if (!text.isEmpty()) text.append('\n');
                text.append(message.getOrDefault("content", ""));
            }
            return new Prompt(text.toString(), messages, tokenIds);
        }

        public static Prompt ofCompletion(String prompt, int[] tokenIds) {
            return new Prompt(prompt, List.of(), tokenIds);
        }
    }
}
