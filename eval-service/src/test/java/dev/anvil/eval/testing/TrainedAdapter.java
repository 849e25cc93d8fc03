package dev.anvil.eval.testing;

import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.data.ExampleBatches;
import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.lora.LoraConfig;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.train.AdamWOptimizer;
import dev.anvil.llm.train.TrainBatch;
import dev.anvil.llm.train.TrainStep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A LoRA adapter trained on the real aidreams260K with llm-runtime's training step (the trainer-service's recipe in
 * a few lines: assistant-only labels, one batch of every question, AdamW), saved in PEFT's layout as a run's result.
 * The questions are the colour questions; {@code answer} decides what the adapter learns to reply.
 */
public final class TrainedAdapter {
    /** Questions not in the validation split, so that what is learnt must generalise: {thing, colour}. */
    public static final String[][] TRAIN = {
            {"a banana", "yellow"}, {"a frog", "green"}, {"milk", "white"}, {"a crow", "black"}, {"blood", "red"},
            {"the sea", "blue"}, {"a lemon", "yellow"}, {"a leaf", "green"}, {"the sun", "yellow"},
            {"an orange", "orange"}, {"a plum", "purple"}, {"a cherry", "red"}, {"coal", "black"},
            {"snow", "white"}, {"grass", "green"}, {"the sky", "blue"}};

    private TrainedAdapter() {
    }

    /** The reply the validation split holds: what a helpful adapter learns. */
    public static String rightAnswer(String thing, String colour) {
        return "The color of " + thing + " is " + colour + ".";
    }

    /** A reply that says nothing about the question: what an adapter trained on wrong answers learns. */
    public static String wrongAnswer(String thing, String colour) {
        return "No idea, ask someone else.";
    }

    /** Trains for {@code steps} steps and saves the adapter to {@code dir}. */
    public static void train(Path dir, BiFunction<String, String, String> answer, int steps) {
        LlamaModel model = LlamaModel.load(EvalDataDir.sharedModel(), LoadOptions.defaults());
        Tokenizer tokenizer = Tokenizer.load(EvalDataDir.sharedModel());
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer), LossOn.ASSISTANT,
                128);
        List<TokenizedExample> examples = new ArrayList<>();
        for (String[] p : TRAIN) {
            examples.add(encoder.encode(new Conversation(List.of(ChatMessage.user("What is the color of " + p[0] + "?"),
                    ChatMessage.assistant(answer.apply(p[0], p[1]))), 0)));
        }
        TrainBatch batch = ExampleBatches.padRight(examples, tokenizer.padId().orElse(tokenizer.eosId().orElse(0)));
        LoraAdapter adapter = LoraAdapter.create("trained", model.config(),
                LoraConfig.of(8, 16, 0.0, LoraConfig.allProjections()), 7);
        adapter.attachTo(model);
        adapter.setTraining(true);
        TrainStep step = new TrainStep(model, new AdamWOptimizer(adapter.parameters(),
                AdamWOptimizer.Settings.defaults().withWeightDecay(0.0)), 11);
        for (int i = 0; i < steps; i++) step.run(batch, 1e-2);
        adapter.save(dir);
    }
}
