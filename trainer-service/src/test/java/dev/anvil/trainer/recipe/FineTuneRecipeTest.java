package dev.anvil.trainer.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.RecordFormatException;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.data.EncodedDataset;
import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.score.Perplexity;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.trainer.checkpoint.CheckpointStore;
import dev.anvil.trainer.data.DatasetReader;
import dev.anvil.trainer.testing.ColorDataset;
import dev.anvil.trainer.testing.Logits;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipe's mechanics on the real aidreams260K model and the templated colour dataset: packing, resume, full
 * fine-tuning, epochs, bad data, early stopping. Whether training teaches is {@link PatternLearningTest}'s question.
 */
class FineTuneRecipeTest {

    /** The knobs the tests vary; everything else takes the defaults. */
    private static Hyperparameters hp(double lr, int maxSteps, double dropout, int evalInterval, int patience,
            double minDelta, int checkpointInterval) {
        return new Hyperparameters(lr, "cosine", 5, null, maxSteps, 4, 1, 128, false, null, 8, 16.0, dropout,
                null, 0.0, 1.0, 7L, evalInterval, patience, minDelta, checkpointInterval, 2, null);
    }

    private static FineTuneRecipe recipe(Path dir, TrainingMethod method, Hyperparameters hp) {
        Path version = Files.isDirectory(dir.resolve("data")) ? dir.resolve("data/datasets/colors/v1")
                : ColorDataset.write(dir.resolve("data"));
        return new FineTuneRecipe(new RecipeSpec("job-1", ColorDataset.model(), version, dir.resolve("runs/job-1"),
                method, hp));
    }

    /** QLoRA with packing on (several conversations per 128-token row, boundaries unlabelled). */
    @Test
    void qloraTrainsOverAnNf4BaseWithPacking(@TempDir Path dir) {
        Hyperparameters hp = new Hyperparameters(1e-2, "cosine", 5, null, 60, 2, 1, 128, true, null, 8, 16.0, 0.05,
                null, 0.0, 1.0, 7L, 30, 0, 0.0, 1000, 2, null);
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.QLORA, hp);
        recipe.setUp();
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        System.out.printf("QLoRA: validation loss %.3f -> %.3f in %d steps%n", result.initialValidationLoss(),
                result.bestValidationLoss(), result.steps());
        assertTrue(result.bestValidationLoss() < 0.8 * result.initialValidationLoss(), result.toString());
    }

    /**
     * 8 steps straight vs 4 steps, a checkpoint, a new recipe instance resuming from it, and 4 more: the same
     * adapter within 1e-6 (LoRA dropout on and 2 micro-batches accumulated, so seeding and data position matter).
     * Checkpoints every 3 steps; the step-4 one is written by the cancellation itself.
     */
    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun(@TempDir Path dir) {
        Hyperparameters hp = new Hyperparameters(5e-3, "linear", 2, null, 8, 3, 2, 128, false, null, 4, 8.0, 0.1,
                null, 0.01, 1.0, 11L, 3, 0, 0.0, 3, 1, null);
        Map<String, float[]> straight = adapterOf(run(dir.resolve("straight"), hp, Integer.MAX_VALUE));

        Path resumed = dir.resolve("resumed");
        FineTuneRecipe first = recipe(resumed, TrainingMethod.QLORA, hp);
        assertTrue(!first.setUp(), "nothing to resume yet");
        RunResult interrupted = first.train(ProgressListener.NONE, () -> first.position().step() >= 4);
        assertEquals(RunResult.Status.CANCELLED, interrupted.status());
        assertEquals(4, interrupted.steps());
        FineTuneRecipe second = recipe(resumed, TrainingMethod.QLORA, hp);
        assertTrue(Files.isDirectory(resumed.resolve("runs/job-1/checkpoints/step-000000004")));
        assertTrue(second.setUp(), "resumes from the step-4 checkpoint");
        assertEquals(4, second.position().step());
        RunResult finished = second.train(ProgressListener.NONE, () -> false);
        assertEquals(8, finished.steps());
        assertEquals(interrupted.initialValidationLoss(), finished.initialValidationLoss(),
                "the base model's validation loss survives the restart");

        Map<String, float[]> after = adapterOf(second);
        double max = 0;
        for (var e : straight.entrySet()) {
            float[] other = after.get(e.getKey());
            for (int i = 0; i < other.length; i++) max = Math.max(max, Math.abs(e.getValue()[i] - other[i]));
        }
        System.out.println("resume vs straight: max |diff| " + max);
        assertTrue(max <= 1e-6, "resumed adapter differs by " + max);
        List<Path> kept = new CheckpointStore(resumed.resolve("runs/job-1/checkpoints"), 1).list();
        assertEquals(1, kept.size(), "checkpointsToKeep 1: " + kept);
        assertTrue(kept.get(0).endsWith("step-000000008"));
    }

    private static FineTuneRecipe run(Path dir, Hyperparameters hp, int steps) {
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.QLORA, hp);
        recipe.setUp();
        recipe.train(ProgressListener.NONE, () -> recipe.position().step() >= steps);
        return recipe;
    }

    private static Map<String, float[]> adapterOf(FineTuneRecipe recipe) {
        Map<String, float[]> out = new TreeMap<>();
        recipe.trainableParameters().forEach((name, t) -> out.put(name, Tensors.toFloats(t)));
        return out;
    }

    /** Every weight trains; the export is a Hugging Face model folder that reloads to the same logits (1e-6). */
    @Test
    void fullFineTuningExportsAModelThatReloads(@TempDir Path dir) {
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.FULL, hp(1e-3, 10, 0.0, 1000, 0, 0.0, 5));
        recipe.setUp();
        assertTrue(recipe.trainableParameters().size() > 30, "every weight of the model trains");
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        System.out.printf("full: validation loss %.3f -> %.3f in %d steps%n", result.initialValidationLoss(),
                result.bestValidationLoss(), result.steps());
        assertTrue(result.bestValidationLoss() < result.initialValidationLoss(), result.toString());
        assertEquals(10, result.bestStep());
        Path exported = recipe.export(result);
        assertTrue(exported.endsWith("model") && Files.isRegularFile(exported.resolve("config.json")));
        assertLogitsWithin(LlamaModel.load(exported, LoadOptions.defaults()), recipe.model(), 1e-6);
    }

    /**
     * The merge option: the adapter folded into the float32 base gives the logits of base + attached adapter, within
     * 1e-4 (W + BA changes the order of the sums, nothing else).
     */
    @Test
    void aMergedExportHasTheAdapterLogits(@TempDir Path dir) {
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.LORA, hp(1e-2, 6, 0.0, 1000, 0, 0.0, 6));
        recipe.setUp();
        Path adapter = recipe.export(recipe.train(ProgressListener.NONE, () -> false));
        Path merged = recipe.exportMerged(adapter);
        assertTrue(merged.endsWith("merged") && Files.isRegularFile(merged.resolve("config.json")));
        assertTrue(Files.isRegularFile(merged.resolve("tokenizer.json")), "the tokenizer travels with the model");
        assertLogitsWithin(LlamaModel.load(merged, LoadOptions.defaults()), recipe.model(), 1e-4);
        double moved = maxLogitDifference(LlamaModel.load(ColorDataset.model(), LoadOptions.defaults()),
                recipe.model());
        assertTrue(moved > 1e-2, "training changed the logits by only " + moved);
    }

    /**
     * What evaluation measures equals what training measured: the exported PEFT adapter attached to a freshly loaded
     * base, the validation split encoded by the shared {@link ExampleEncoder} and scored by
     * {@link Scorer#scoreLabelled}, gives the recipe's best validation loss within 1e-5 (float32 sums in another
     * order; the batches are padded differently).
     */
    @Test
    void theExportedAdapterScoresTheValidationLossTrainingMeasured(@TempDir Path dir) {
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.LORA, hp(1e-2, 6, 0.0, 3, 0, 0.0, 1000));
        recipe.setUp();
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        Path adapter = recipe.export(result);

        LlamaModel base = LlamaModel.load(ColorDataset.model(), LoadOptions.defaults());
        LoraAdapter.load(adapter, "candidate").attachTo(base);
        Tokenizer tokenizer = Tokenizer.load(ColorDataset.model());
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer), LossOn.ASSISTANT,
                128);
        List<TokenizedExample> validation = EncodedDataset.encode(DatasetReader.validation(
                DatasetVersionFiles.in(dir.resolve("data/datasets/colors/v1"))), encoder).examples();
        Perplexity measured = Perplexity.of(new Scorer(base).withAdapter("candidate").scoreLabelled(validation), 0);
        assertEquals(result.bestValidationLoss(), measured.meanNll(), 1e-5);
        Perplexity untrained = Perplexity.of(new Scorer(base).scoreLabelled(validation), 0);
        assertEquals(result.initialValidationLoss(), untrained.meanNll(), 1e-5);
        assertTrue(measured.meanNll() < untrained.meanNll(), measured + " vs " + untrained);
    }

    private static void assertLogitsWithin(LlamaModel a, LlamaModel b, double tolerance) {
        double max = maxLogitDifference(a, b);
        assertTrue(max <= tolerance, "logits differ by " + max + " (tolerance " + tolerance + ")");
    }

    private static double maxLogitDifference(LlamaModel a, LlamaModel b) {
        return Logits.maxAbsDiff(a, b, new int[] {1, 45, 300, 72, 18, 99, 401, 7});
    }

    /** Without maxSteps, epochs decide: 2 epochs of 16 examples in micro-batches of 4, accumulated by 2, is 4 steps. */
    @Test
    void epochsDecideTheLengthWithoutMaxSteps(@TempDir Path dir) {
        Hyperparameters hp = new Hyperparameters(1e-3, "constant", 0, 2, null, 4, 2, 128, false, null, 4, 8.0, 0.0,
                List.of("q_proj", "v_proj"), 0.0, 1.0, 3L, 100, 0, 0.0, 100, 1, null);
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.LORA, hp);
        recipe.setUp();
        assertEquals(4, recipe.totalSteps());
        assertEquals(16, recipe.trainableParameters().size(), "A and B of q_proj and v_proj in 4 layers");
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        assertEquals(4, result.steps());
        assertEquals(2, recipe.position().epoch());
        assertEquals(0, recipe.position().batchIndex());
    }

    /** A broken line in the dataset version fails set-up with the file and line, before any training. */
    @Test
    void aBadDatasetLineFailsSetUpNamingIt(@TempDir Path dir) throws Exception {
        Path version = ColorDataset.write(dir.resolve("data"));
        Path train = version.resolve("train.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.set(6, "{\"messages\": \"not a list\"}");
        Files.write(train, lines);
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.LORA, hp(1e-3, 5, 0.0, 5, 0, 0.0, 5));
        RecordFormatException error = assertThrows(RecordFormatException.class, recipe::setUp);
        assertEquals(train + " line 7: expected an object with a non-empty 'messages' array", error.getMessage());
    }

    /** No improvement larger than minDelta (set far above any possible gain) for 2 evaluations: stops at step 3. */
    @Test
    void earlyStoppingStopsWhenValidationStopsImproving(@TempDir Path dir) {
        FineTuneRecipe recipe = recipe(dir, TrainingMethod.LORA, hp(1e-3, 50, 0.0, 1, 2, 100.0, 1000));
        recipe.setUp();
        RunResult result = recipe.train(ProgressListener.NONE, () -> false);
        assertEquals(RunResult.Status.EARLY_STOPPED, result.status());
        assertEquals(3, result.steps());
        assertEquals(1, result.bestStep());
        assertTrue(Files.isDirectory(dir.resolve("runs/job-1/checkpoints/step-000000003")),
                "an early-stopped run leaves a checkpoint of where it stopped");
    }
}
