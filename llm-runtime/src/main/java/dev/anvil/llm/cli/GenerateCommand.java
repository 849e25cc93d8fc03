package dev.anvil.llm.cli;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.generate.TokenListener;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.Tokenizer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Generates from a prompt and streams the text to stdout; the finish reason and token counts go to stderr. */
final class GenerateCommand implements Command {
    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String usage() {
        return "--model DIR [--adapter DIR] --prompt TEXT [--chat] [--system TEXT] --max-tokens N --temperature T"
                + " [--top-k K] [--top-p P] [--repetition-penalty R] [--presence-penalty P] [--frequency-penalty F]"
                + " [--seed S] [--stop TEXT]";
    }

    @Override
    public void run(List<String> argv, CliPaths paths, PrintStream out, PrintStream err) {
        Args args = new Args(argv, Set.of("model", "adapter", "prompt", "system", "max-tokens", "temperature", "top-k",
                "top-p", "repetition-penalty", "presence-penalty", "frequency-penalty", "seed", "stop"),
                Set.of("chat"));
        String prompt = args.required("prompt");
        if (args.has("system") && !args.flag("chat")) throw new UsageException("--system needs --chat");
        SamplingParams params = samplingParams(args);
        ModelWithAdapter loaded = ModelWithAdapter.load(paths, args, true);
        try (Tokenizer tokenizer = Tokenizer.load(paths.modelDir("model", args.required("model"), true))) {
            TextGenerator generator = new TextGenerator(loaded.model(), tokenizer);
            int[] ids;
            if (args.flag("chat")) {
                List<ChatMessage> messages = new ArrayList<>();
                if (args.has("system")) messages.add(ChatMessage.system(args.required("system")));
                messages.add(ChatMessage.user(prompt));
                ids = generator.encodeChat(messages);
            } else {
                ids = generator.encode(prompt);
            }
            GenerationRequest request = new GenerationRequest(ids, params, loaded.adapterName());
            Generation g;
            try {
                g = generator.generate(List.of(request), new TokenListener() {
                    @Override
                    public void onText(int row, String delta) {
                        out.print(delta);
                        out.flush();
                    }
                }).get(0);
            } catch (IllegalArgumentException e) { // the request does not fit the model (context length)
                throw new UsageException(e.getMessage());
            }
            out.println();
            err.printf("[finish: %s, prompt tokens: %d, completion tokens: %d]%n", g.finishReason().wireName(),
                    g.usage().promptTokens(), g.usage().completionTokens());
        }
    }

    /** Invalid values are reported by {@link SamplingParams} with the field's name. */
    private static SamplingParams samplingParams(Args args) {
        try {
            SamplingParams p = SamplingParams.defaults()
                    .withMaxTokens(args.intValue("max-tokens", 1, SamplingParams.MAX_TOKENS_LIMIT, null))
                    .withTemperature(args.doubleValue("temperature", null))
                    .withTopK(args.intValue("top-k", 0, Integer.MAX_VALUE, 0))
                    .withTopP(args.doubleValue("top-p", 1.0))
                    .withRepetitionPenalty(args.doubleValue("repetition-penalty", 1.0))
                    .withPresencePenalty(args.doubleValue("presence-penalty", 0.0))
                    .withFrequencyPenalty(args.doubleValue("frequency-penalty", 0.0));
            if (args.has("seed")) p = p.withSeed(args.longValue("seed", 0));
            if (args.has("stop")) p = p.withStop(List.of(args.required("stop")));
            return p;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
