package dev.anvil.eval.testing;

import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.score.Perplexity;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The perplexity and greedy answers of the test model and of the golden adapter on the validation split, computed
 * by calling llm-runtime directly (the encoder training uses, the scorer, the generator): what the service must
 * report.
 */
public final class DirectScores {
    public final Perplexity base;
    public final Perplexity adapter;
    /** Each side's greedy answer (up to {@code maxNewTokens}) to each prompt: the question before the reply. */
    public final List<String> baseAnswers;
    public final List<String> adapterAnswers;

    public DirectScores(int examples) {
        this(examples, 16);
    }

    public DirectScores(int examples, int maxNewTokens) {
        Tokenizer tokenizer = Tokenizer.load(EvalDataDir.sharedModel());
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer), LossOn.ASSISTANT,
                512);
        List<Conversation> conversations = EvalDataDir.validationRecords().subList(0, examples).stream()
                .map(r -> new Conversation(r.messages().stream().map(m -> new ChatMessage(m.role(), m.content()))
                        .toList(), 0)).toList();
        List<TokenizedExample> encoded = conversations.stream().map(encoder::encode).toList();
        long bytes = conversations.stream().flatMap(c -> c.messages().stream())
                .filter(m -> m.role().equals("assistant"))
                .mapToLong(m -> m.content().getBytes(StandardCharsets.UTF_8).length).sum();
        LlamaModel model = LlamaModel.load(EvalDataDir.sharedModel(), LoadOptions.defaults());
        base = Perplexity.of(new Scorer(model).scoreLabelled(encoded), bytes);
        LoraAdapter.load(EvalDataDir.goldenAdapter(), "golden").attachTo(model);
        adapter = Perplexity.of(new Scorer(model).withAdapter("golden").scoreLabelled(encoded), bytes);
        TextGenerator generator = new TextGenerator(model, tokenizer);
        baseAnswers = answers(generator, conversations, null, maxNewTokens);
        adapterAnswers = answers(generator, conversations, "golden", maxNewTokens);
    }

    /** One at a time, unbatched: the service's batches must not change a greedy answer. */
    private static List<String> answers(TextGenerator generator, List<Conversation> conversations, String adapter,
                                        int maxNewTokens) {
        return conversations.stream().map(c -> generator.generate(new GenerationRequest(
                generator.encodeChat(c.messages().subList(0, 1)), SamplingParams.greedy(maxNewTokens), adapter))
                .text().strip()).toList();
    }
}
