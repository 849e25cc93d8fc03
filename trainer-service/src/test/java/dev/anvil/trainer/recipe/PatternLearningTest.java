package dev.anvil.trainer.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.quant.QuantizedBase;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.trainer.testing.ColorDataset;
import dev.anvil.trainer.testing.Logits;
import dev.anvil.trainer.testing.PatternDataset;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Does fine-tuning teach? QLoRA and LoRA on the real aidreams260K model and {@link PatternDataset} ("What color is
 * the red hat?" -> "The hat is red."), whose validation pairs are combinations training never shows: the held-out
 * validation loss must fall by at least 80% from the base model's, and the exported adapter, reloaded through
 * llm-runtime, must answer held-out prompts in the taught pattern.
 */
class PatternLearningTest {

    private static final int STEPS = 150;
    private static final double REQUIRED_DROP = 0.80;
    private static final Pattern TAUGHT_FORM = Pattern.compile("The (\\w+) is (\\w+)\\.");

    /**
     * r 8 on all seven projections, lr 1e-2 cosine, micro-batches of 4, 150 steps (20 epochs of 30 pairs); validation
     * only at the start and the end, so that the best step is the last and the exported adapter must equal the live
     * one. Measured on 2 cores: QLoRA 5.41 -> 0.11 (-98%), LoRA 5.52 -> 0.07 (-99%), 6-20 s each.
     */
    private static Hyperparameters hp() {
        return new Hyperparameters(1e-2, "cosine", 5, null, STEPS, 4, 1, 128, false, null, 8, 16.0, 0.0,
                null, 0.0, 1.0, 7L, STEPS, 0, 0.0, 1000, 1, null);
    }

    @ParameterizedTest
    @EnumSource(value = TrainingMethod.class, names = {"QLORA", "LORA"})
    void learnsThePatternAndAnswersUnseenCombinations(TrainingMethod method, @TempDir Path dir) {
        Path version = PatternDataset.write(dir.resolve("data"), "pattern");
        FineTuneRecipe recipe = new FineTuneRecipe(new RecipeSpec("job-1", ColorDataset.model(), version,
                dir.resolve("runs/job-1"), method, hp()));
        recipe.setUp();
        assertEquals(30, recipe.trainData().size());
        AtomicInteger reported = new AtomicInteger();
        AtomicReference<Progress> last = new AtomicReference<>();
        RunResult result = recipe.train(new ProgressListener() {
            @Override
            public void onStep(Progress p) {
                reported.incrementAndGet();
                assertTrue(p.tokensPerSecond() > 0 && p.etaSeconds() >= 0 && p.learningRate() > 0, p.toString());
                last.set(p);
            }
        }, () -> false);

        double drop = 1 - result.bestValidationLoss() / result.initialValidationLoss();
        System.out.printf("%s: held-out validation loss %.3f -> %.3f (-%.1f%%) in %d steps, last train loss %.3f%n",
                method.wireName(), result.initialValidationLoss(), result.bestValidationLoss(), 100 * drop,
                result.steps(), result.lastTrainLoss());
        assertEquals(RunResult.Status.COMPLETED, result.status());
        assertEquals(STEPS, result.bestStep(), "validation ran only at the end");
        assertEquals(STEPS, reported.get());
        assertEquals(STEPS, last.get().totalSteps());
        assertEquals(0.0, last.get().etaSeconds());
        assertEquals(STEPS, linesOf(dir.resolve("runs/job-1/metrics.jsonl")));
        assertTrue(drop >= REQUIRED_DROP, method.wireName() + ": validation loss fell by only " + drop);

        Path adapterDir = recipe.export(result);
        assertTrue(Files.isRegularFile(adapterDir.resolve("adapter_config.json")));
        assertTrue(Files.isRegularFile(adapterDir.resolve("adapter_model.safetensors")));
        assertTrue(readString(adapterDir.resolve("README.md")).contains(method.wireName()), "model card names the method");
        LlamaModel reloaded = reload(method, adapterDir);
        // The same float32 tensors through safetensors, on a base prepared the same way (NF4 is deterministic):
        // the same numbers; measured 0, 1e-6 is only a margin.
        String[] first = PatternDataset.heldOutPairs().get(0);
        int[] probe = recipe.tokenizer().encode(PatternDataset.question(first[0], first[1]) + " "
                + PatternDataset.answer(first[0], first[1]));
        double maxDiff = Logits.maxAbsDiff(Logits.of(reloaded, probe), Logits.of(recipe.model(), probe));
        System.out.printf("%s: exported adapter vs trained model: max |logit diff| %.2e%n", method.wireName(), maxDiff);
        assertTrue(maxDiff <= 1e-6, "the reloaded adapter's logits differ from the trained model's by " + maxDiff);

        List<String> wrong = new ArrayList<>();
        int exact = 0;
        TextGenerator generator = new TextGenerator(reloaded, recipe.tokenizer());
        for (String[] pair : PatternDataset.heldOutPairs()) {
            int[] prompt = generator.encodeChat(List.of(ChatMessage.user(PatternDataset.question(pair[0], pair[1]))));
            String answer = generator.generate(new GenerationRequest(prompt, SamplingParams.greedy(16), "exported"))
                    .text().strip();
            System.out.printf("  %-28s -> %s%n", PatternDataset.question(pair[0], pair[1]), answer);
            var m = TAUGHT_FORM.matcher(answer);
            assertTrue(m.matches() && PatternDataset.OBJECTS.contains(m.group(1))
                    && PatternDataset.COLORS.contains(m.group(2)), "not in the taught form: '" + answer + "'");
            if (answer.equals(PatternDataset.answer(pair[0], pair[1]))) exact++;
            else wrong.add(answer);
        }
        // Measured: 6 of 6 for both methods; one miss is allowed so that a different CPU's rounding cannot flip it.
        assertTrue(exact >= PatternDataset.heldOutPairs().size() - 1,
                exact + " held-out prompts answered exactly; wrong: " + wrong);
    }

    /** A fresh base prepared as the method does (NF4 projections for QLoRA) with the exported adapter attached. */
    private static LlamaModel reload(TrainingMethod method, Path adapterDir) {
        LlamaModel model = LlamaModel.load(ColorDataset.model(), LoadOptions.defaults());
        if (method == TrainingMethod.QLORA) QuantizedBase.quantize(model, QuantizedBase.ALL_PROJECTIONS);
        LoraAdapter.load(adapterDir, "exported").attachTo(model);
        return model;
    }



    private static long linesOf(Path file) {
        return readString(file).lines().count();
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
