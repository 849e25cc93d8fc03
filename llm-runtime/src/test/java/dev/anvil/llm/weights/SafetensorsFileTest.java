package dev.anvil.llm.weights;

import dev.anvil.llm.testing.Golden;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsFileTest {

    @Test
    void tensorsAreViewsOverTheMappingNotCopies() {
        SafetensorsFile file = SafetensorsFile.open(Golden.model("aidreams260K").resolve("model.safetensors"));
        Tensor a = file.tensor("model.embed_tokens.weight");
        Tensor b = file.tensor("model.embed_tokens.weight");
        assertEquals(a.data_ptr().address(), b.data_ptr().address(), "one mapping, no second copy");
        assertNotEquals(a.data_ptr().address(), a.clone().data_ptr().address());
        assertArrayEquals(new long[]{512, 64}, Tensors.shape(a));
        assertEquals(4 * 9 + 2, file.names().size(), "4 layers x 9 tensors + embedding + final norm (tied head)");
    }

    /** A released mapping is unmapped; asking for the tensor again maps the file afresh, with the same values. */
    @Test
    void aReleasedTensorIsMappedAfreshWhenAskedForAgain() {
        SafetensorsFile file = SafetensorsFile.open(Golden.model("aidreams260K").resolve("model.safetensors"));
        String name = "model.layers.0.mlp.down_proj.weight";
        float[] values = Tensors.toFloats(file.tensor(name).clone());
        file.release(name);
        file.release(name); // twice: nothing left to release
        assertArrayEquals(values, Tensors.toFloats(file.tensor(name)));
        file.release("model.norm.weight"); // never mapped: nothing to do
    }

    @Test
    void writerRoundTripsEveryDtypeWithMetadataAndAlignment(@TempDir Path tmp) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Tensor base = Tensors.floats(new float[]{1.5f, -2.25f, 3f, 0.125f, 1e-3f, 7f}, 2, 3);
        tensors.put("f32", base);
        tensors.put("bf16", base.to(torch.ScalarType.BFloat16));
        tensors.put("f16", base.to(torch.ScalarType.Half));
        tensors.put("ids", Tensors.longs(new long[]{1, 2, 3}, 3));
        Path f = tmp.resolve("t.safetensors");
        SafetensorsWriter.write(f, tensors, Map.of("format", "pt"));

        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, head.getLong() % 8, "data section starts 8-byte aligned");
        SafetensorsFile file = SafetensorsFile.open(f);
        assertEquals(Map.of("format", "pt"), file.metadata());
        assertEquals(SafetensorsDType.BF16, file.info("bf16").dtype());
        for (String n : new String[]{"f32", "bf16", "f16"}) {
            float[] expected = Tensors.toFloats(tensors.get(n));
            assertArrayEquals(expected, Tensors.toFloats(file.tensor(n)), n);
        }
        assertArrayEquals(new long[]{1, 2, 3}, Tensors.toLongs(file.tensor("ids")));
        try (var files = Files.list(tmp)) {
            assertTrue(files.allMatch(p -> p.equals(f)), "no temporary file left behind");
        }
    }
}
