package dev.anvil.llm.weights;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.RandomCheckpoint;
import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.DType;
import dev.anvil.llm.torch.NativeScope;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model saved in Hugging Face layout loads back bit-identical, single-file and sharded. */
class HfExportRoundTripTest {

    static final long[] IDS = {1, 72, 300, 45, 18, 99, 7};

    static float[] logits(LlamaModel model) {
        try (NativeScope s = new NativeScope(); NoGradGuard g = new NoGradGuard()) {
            return Tensors.toFloats(model.forward(Golden.batchOf(IDS), null));
        }
    }

    @Test
    void singleFileExportReloadsIdentically(@TempDir Path tmp) {
        LlamaModel model = LlamaModel.load(Golden.model("aidreams260K"), LoadOptions.defaults());
        model.save(tmp);
        assertTrue(Files.isRegularFile(tmp.resolve("model.safetensors")));
        assertTrue(Files.isRegularFile(tmp.resolve("tokenizer.json")), "tokenizer files travel with the model");
        assertFalse(SafetensorsFile.open(tmp.resolve("model.safetensors")).contains("lm_head.weight"), "tied head not duplicated");

        LlamaModel reloaded = LlamaModel.load(tmp, LoadOptions.defaults());
        assertEquals(model.config(), reloaded.config());
        assertArrayEquals(logits(model), logits(reloaded));
        assertSameTensors(model.namedParameters(), reloaded.namedParameters());
    }

    @Test
    void shardedExportReloadsIdentically(@TempDir Path tmp) throws java.io.IOException {
        LlamaModel model = LlamaModel.load(Golden.golden("llama3-tiny"), LoadOptions.defaults());
        model.save(tmp, 100_000);
        assertTrue(Files.isRegularFile(tmp.resolve(ShardedCheckpoint.INDEX_FILE)));
        assertFalse(Files.exists(tmp.resolve("model.safetensors")));
        try (var files = Files.list(tmp)) {
            assertTrue(files.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count() > 1);
        }

        LlamaModel reloaded = LlamaModel.load(tmp, LoadOptions.defaults());
        assertEquals(model.config(), reloaded.config(), "rope_parameters block read back through top-level fields");
        assertArrayEquals(logits(model), logits(reloaded));
        assertSameTensors(model.namedParameters(), reloaded.namedParameters());
    }

    @Test
    void randomCheckpointOfAnyShapeLoads(@TempDir Path tmp) {
        ModelConfig qwen = LlamaModel.load(Golden.golden("qwen2-tiny"), LoadOptions.defaults()).config();
        RandomCheckpoint.write(tmp, qwen, DType.BFLOAT16, 42);
        LlamaModel model = LlamaModel.load(tmp, LoadOptions.defaults().withDtype(DType.BFLOAT16));
        assertEquals(qwen.withDtype("bfloat16"), model.config());
        Map<String, Tensor> again = RandomCheckpoint.tensors(qwen, DType.BFLOAT16, 42);
        assertSameTensors(again, model.namedParameters());
        float[] l = logits(model);
        assertEquals(IDS.length * qwen.vocabSize(), l.length);
        for (float v : l) assertTrue(Float.isFinite(v));
    }

    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> assertArrayEquals(Tensors.toFloats(t), Tensors.toFloats(actual.get(name)), name));
    }
}
