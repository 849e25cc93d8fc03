package dev.anvil.gateway.testing;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.Tokenizer;

import java.util.List;

/**
 * The engine called directly, without the gateway: the test model loaded once more in the test's own JVM, the
 * reference for what the gateway must answer.
 */
public final class DirectEngine {
    private static TextGenerator generator;

    private DirectEngine() {
    }

    public static synchronized TextGenerator generator() {
        if (generator == null) {
            generator = new TextGenerator(LlamaModel.load(GatewayDataDir.sharedModel(), LoadOptions.defaults()),
                    Tokenizer.load(GatewayDataDir.sharedModel()));
        }
        return generator;
    }

    /** One user message, rendered by the chat template, generated with {@code params}. */
    public static Generation chat(String user, SamplingParams params) {
        TextGenerator g = generator();
        return g.generate(new GenerationRequest(g.encodeChat(List.of(ChatMessage.user(user))), params));
    }
}
