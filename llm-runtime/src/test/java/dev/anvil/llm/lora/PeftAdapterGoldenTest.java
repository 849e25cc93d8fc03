package dev.anvil.llm.lora;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anvil.llm.model.TokenGenerator;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.weights.PeftAdapterFiles;
import dev.anvil.llm.weights.SafetensorsFile;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A LoRA adapter trained with PEFT on aidreams260K (r=8, alpha=16, all seven projections). */
class PeftAdapterGoldenTest {

    /** Stated tolerance for logits with the adapter, against PEFT (float32). */
    static final double TOLERANCE = 1e-4;
    static final Path ADAPTER = Golden.golden("peft-lora-aidreams260K");

    static JsonNode golden;
    static long[] ids;
    static float[][] expected;

    @BeforeAll
    static void read() {
        golden = Golden.json(ADAPTER.resolve("golden.json"));
        ids = Golden.ids(golden.get("input_ids"));
        expected = Golden.matrix(golden.get("logits_with_adapter"));
    }

    static LlamaModel base() {
        return LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
    }

    static double diffToGolden(LlamaModel model) {
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor logits = model.forward(Golden.batchOf(ids), null);
            return Golden.maxAbsDiff(logits, expected);
        }
    }

    @Test
    void attachedAdapterReproducesPeftLogits() {
        LlamaModel model = base();
        LoraAdapter adapter = LoraAdapter.load(ADAPTER, "dreams");
        assertEquals(8, adapter.config().r());
        assertEquals(2.0, adapter.config().scaling());
        adapter.attachTo(model);
        double diff = diffToGolden(model);
        assertTrue(diff < TOLERANCE, "max |logit diff| with adapter = " + diff);

        adapter.detachFrom(model);
        assertTrue(diffToGolden(model) > 0.01, "detaching restores the base model, whose logits differ");
    }

    @Test
    void mergedModelGivesSameLogitsAndGreedyContinuation() {
        LlamaModel model = base();
        LoraAdapter.load(ADAPTER, "dreams").mergeInto(model);
        double diff = diffToGolden(model);
        assertTrue(diff < TOLERANCE, "max |logit diff| merged = " + diff);

        long[] expectedIds = Golden.ids(golden.get("greedy_merged"));
        long[] generated = new TokenGenerator(model).greedy(ids, expectedIds.length - ids.length);
        assertArrayEquals(Arrays.copyOfRange(expectedIds, ids.length, expectedIds.length), generated);
    }

    @Test
    void savedAdapterHasPeftLayoutAndReloadsToSameLogits(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("adapter");
        LoraAdapter.load(ADAPTER, "dreams").save(out);

        assertEquals(fileNames(ADAPTER).stream().filter(f -> !f.equals("golden.json")).collect(Collectors.toSet()),
                fileNames(out));
        assertEquals(new TreeSet<>(SafetensorsFile.open(ADAPTER.resolve(PeftAdapterFiles.WEIGHTS_FILE)).names()),
                new TreeSet<>(SafetensorsFile.open(out.resolve(PeftAdapterFiles.WEIGHTS_FILE)).names()));
        JsonNode config = Golden.json(out.resolve(PeftAdapterFiles.CONFIG_FILE));
        JsonNode original = Golden.json(ADAPTER.resolve(PeftAdapterFiles.CONFIG_FILE));
        for (String field : new String[]{"peft_type", "r", "lora_alpha", "lora_dropout", "bias", "task_type",
                "use_dora", "use_rslora", "fan_in_fan_out"}) {
            assertEquals(original.get(field), config.get(field), field);
        }
        Set<String> targets = new TreeSet<>();
        config.get("target_modules").forEach(n -> targets.add(n.asText()));
        Set<String> originalTargets = new TreeSet<>();
        original.get("target_modules").forEach(n -> originalTargets.add(n.asText()));
        assertEquals(originalTargets, targets);

        LlamaModel model = base();
        LoraAdapter.load(out, "reloaded").attachTo(model);
        double diff = diffToGolden(model);
        assertTrue(diff < TOLERANCE, "max |logit diff| after save + reload = " + diff);
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
