package dev.anvil.trainer.job;

import static dev.anvil.trainer.job.ServiceFixtures.awaitEvent;
import static dev.anvil.trainer.job.ServiceFixtures.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.Topics;
import dev.anvil.events.training.CheckpointSaved;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingProgress;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.training.TrainingStarted;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import dev.anvil.llm.weights.SafetensorsFile;
import dev.anvil.trainer.recipe.FineTuneRecipe;
import dev.anvil.trainer.recipe.ProgressListener;
import dev.anvil.trainer.recipe.RecipeSpec;
import dev.anvil.trainer.recipe.RunResult;
import dev.anvil.trainer.testing.ColorDataset;
import dev.anvil.trainer.testing.Logits;
import dev.anvil.trainer.testing.PatternDataset;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.LongStream;

/**
 * LoRA and full fine-tuning requested on Kafka, end to end on the in-process broker and the real aidreams260K model:
 * the events come in order, and the exported artifact (a PEFT adapter, or a Hugging Face model folder), reloaded
 * through llm-runtime, computes the same logits as the trained weights. Those are obtained independently of the
 * service's files: the test replays the same recipe in memory (CPU float32 training is deterministic for the same
 * seed and data). The artifact must also differ from the base, and a LoRA adapter must have the file and tensor
 * layout of the adapter Hugging Face PEFT wrote for this model (../shared/golden/peft-lora-aidreams260K).
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class FineTuneMethodsThroughKafkaTest {

    private static final int STEPS = 6;
    /** Same float32 tensors, same operations: the numbers must agree to the bit; 1e-6 is a margin for nothing. */
    private static final double SAME_LOGITS = 1e-6;
    /** Six steps at these learning rates move some logit far more than this (measured: LoRA 8.7, full 7.8). */
    private static final double CHANGED_LOGITS = 1e-2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "anvil.data-dir")
    Path dataDir;

    @BeforeEach
    void dataDirectory() {
        ColorDataset.linkModelInto(dataDir);
        if (!Files.isDirectory(dataDir.resolve("datasets/pattern/v1"))) PatternDataset.write(dataDir, "pattern");
    }

    /** Validation only at the last step (so the best step, which is exported, is the last); one checkpoint. */
    private static Hyperparameters hp(TrainingMethod method) {
        double lr = method == TrainingMethod.FULL ? 1e-3 : 1e-2;
        return new Hyperparameters(lr, "cosine", 1, null, STEPS, 4, 1, 128, false, null, 8, 16.0, 0.0, null, 0.0,
                1.0, 7L, STEPS, 0, 0.0, STEPS, 1, null);
    }

    @ParameterizedTest
    @EnumSource(value = TrainingMethod.class, names = {"LORA", "FULL"})
    void aRequestOnKafkaEndsInAnArtifactThatReloadsToTheTrainedWeights(TrainingMethod method, @TempDir Path replay)
            throws Exception {
        String jobId = method.wireName() + "-" + UUID.randomUUID();
        // The LoRA job also asks for its adapter merged into the base (the merge option).
        TrainingRequested request = new TrainingRequested(jobId, "aidreams260K", new DatasetRef("pattern", "v1"),
                method, hp(method), method == TrainingMethod.LORA);
        List<Envelope> seen = new ArrayList<>();
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> events = InProcessKafka.consumer(Topics.TRAINING_EVENTS)) {
            send(producer, request);
            awaitEvent(events, jobId, seen, e -> e.data() instanceof TrainingCompleted
                    || e.type().equals("TrainingFailed"), Duration.ofSeconds(120));
        }

        List<String> types = seen.stream().map(Envelope::type).filter(t -> !t.equals("CheckpointSaved")).toList();
        List<String> expected = new ArrayList<>(List.of("TrainingStarted"));
        for (int i = 0; i < STEPS; i++) expected.add("TrainingProgress");
        expected.add("TrainingCompleted");
        assertEquals(expected, types, seen.toString());
        TrainingStarted started = seen.get(0).dataAs(TrainingStarted.class);
        assertEquals(0, started.resumedFromStep());
        assertEquals(STEPS, started.totalSteps());
        assertEquals(LongStream.rangeClosed(1, STEPS).boxed().toList(), seen.stream()
                .filter(e -> e.data() instanceof TrainingProgress).map(e -> e.dataAs(TrainingProgress.class).step())
                .toList());
        assertTrue(seen.stream().filter(e -> e.data() instanceof CheckpointSaved)
                .anyMatch(e -> e.dataAs(CheckpointSaved.class).step() == STEPS), "a checkpoint of the last step");
        TrainingCompleted completed = seen.get(seen.size() - 1).dataAs(TrainingCompleted.class);
        assertEquals(method, completed.method());
        assertEquals(STEPS, completed.bestStep());
        assertTrue(completed.metrics().get("validationLoss") < completed.metrics().get("initialValidationLoss"),
                completed.metrics().toString());

        RecipeSpec same = new RecipeSpec(jobId, dataDir.resolve("models/aidreams260K"),
                dataDir.resolve("datasets/pattern/v1"), replay.resolve("run"), method, hp(method));
        FineTuneRecipe inMemory = new FineTuneRecipe(same);
        inMemory.setUp();
        RunResult result = inMemory.train(ProgressListener.NONE, () -> false);
        assertEquals(completed.metrics().get("validationLoss").doubleValue(), result.bestValidationLoss(),
                "the replay measures the service's validation loss");

        LlamaModel base = LlamaModel.load(ColorDataset.model(), LoadOptions.defaults());
        LlamaModel reloaded;
        LlamaModel merged = null;
        if (method == TrainingMethod.FULL) {
            assertEquals(null, completed.adapterPath(), "full fine-tuning has no adapter");
            String modelPath = completed.mergedModelPath();
            assertEquals("runs/" + jobId + "/model", modelPath);
            Path model = dataDir.resolve(modelPath);
            for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
                assertTrue(Files.isRegularFile(model.resolve(f)), model + " has no " + f);
            }
            assertEquals(SafetensorsFile.open(ColorDataset.model().resolve("model.safetensors")).names(),
                    SafetensorsFile.open(model.resolve("model.safetensors")).names(), "Hugging Face tensor names");
            reloaded = LlamaModel.load(model, LoadOptions.defaults());
        } else {
            assertEquals("runs/" + jobId + "/adapter", completed.adapterPath());
            Path adapter = dataDir.resolve(completed.adapterPath());
            assertPeftLayout(adapter);
            assertSameTensors(inMemory.trainableParameters(), adapter.resolve("adapter_model.safetensors"));
            reloaded = LlamaModel.load(ColorDataset.model(), LoadOptions.defaults());
            LoraAdapter.load(adapter, "exported").attachTo(reloaded);
            assertEquals("runs/" + jobId + "/merged", completed.mergedModelPath());
            merged = LlamaModel.load(dataDir.resolve(completed.mergedModelPath()), LoadOptions.defaults());
        }

        String[] pair = PatternDataset.heldOutPairs().get(0);
        int[] probe = inMemory.tokenizer().encode(PatternDataset.question(pair[0], pair[1]) + " "
                + PatternDataset.answer(pair[0], pair[1]));
        float[] exported = Logits.of(reloaded, probe);
        double vsTrained = Logits.maxAbsDiff(exported, Logits.of(inMemory.model(), probe));
        double vsBase = Logits.maxAbsDiff(exported, Logits.of(base, probe));
        System.out.printf("%s through Kafka: exported vs trained max |logit diff| %.2e, vs base %.3f%n",
                method.wireName(), vsTrained, vsBase);
        assertTrue(vsTrained <= SAME_LOGITS, "exported artifact's logits differ from the trained weights' by " + vsTrained);
        assertTrue(vsBase > CHANGED_LOGITS, "the artifact is (nearly) the base model: logits moved by " + vsBase);
        if (merged != null) {
            // Folding BA into W reorders the sums: 1e-4, not the attached adapter's exactness.
            double vsMerged = Logits.maxAbsDiff(exported, Logits.of(merged, probe));
            assertTrue(vsMerged <= 1e-4, "the merged model's logits differ from the adapter's by " + vsMerged);
        }
    }

    /**
     * PEFT's files, PEFT's tensor names and shapes (r 8 on all seven projections, as the golden adapter), and the
     * adapter_config.json fields PEFT reads to rebuild the adapter.
     */
    private static void assertPeftLayout(Path adapter) throws IOException {
        Path golden = goldenAdapter();
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
            assertTrue(Files.isRegularFile(golden.resolve(f)), "golden has " + f);
            assertTrue(Files.isRegularFile(adapter.resolve(f)), adapter + " has no " + f);
        }
        assertEquals(shapes(golden.resolve("adapter_model.safetensors")),
                shapes(adapter.resolve("adapter_model.safetensors")), "tensor names and shapes as PEFT writes them");
        JsonNode want = JSON.readTree(golden.resolve("adapter_config.json").toFile());
        JsonNode got = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
        for (String field : List.of("peft_type", "task_type", "r", "lora_alpha", "bias", "fan_in_fan_out")) {
            assertEquals(want.get(field).asText(), got.path(field).asText(), "adapter_config.json " + field);
        }
        assertEquals(strings(want.get("target_modules")), strings(got.get("target_modules")), "target_modules");
    }

    private static Path goldenAdapter() {
        return ColorDataset.model().getParent().getParent().resolve("golden/peft-lora-aidreams260K");
    }

    private static Map<String, List<Long>> shapes(Path safetensors) {
        SafetensorsFile file = SafetensorsFile.open(safetensors);
        Map<String, List<Long>> out = new TreeMap<>();
        for (String name : file.names()) out.put(name, Arrays.stream(file.info(name).shape()).boxed().toList());
        return out;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        if (array != null) array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The adapter file holds exactly the trained tensors, by name, bit for bit. */
    private static void assertSameTensors(Map<String, Tensor> trained, Path safetensors) {
        SafetensorsFile file = SafetensorsFile.open(safetensors);
        assertEquals(new TreeSet<>(trained.keySet()), new TreeSet<>(file.names()));
        for (var e : trained.entrySet()) {
            double diff = Logits.maxAbsDiff(Tensors.toFloats(e.getValue()), Tensors.toFloats(file.tensor(e.getKey())));
            assertTrue(diff == 0, e.getKey() + " differs from the trained tensor by " + diff);
        }
    }


}
