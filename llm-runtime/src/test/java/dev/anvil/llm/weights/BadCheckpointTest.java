package dev.anvil.llm.weights;

import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.testing.Golden;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken checkpoints fail at open with a message naming the file part or tensor at fault. */
class BadCheckpointTest {

    static final Path AIDREAMS = Golden.model("aidreams260K");

    /** A safetensors file with the given header and {@code dataBytes} zero bytes of data. */
    static Path craft(Path file, String headerJson, int dataBytes) throws IOException {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Files.write(file, b.array());
        return file;
    }

    static String messageOf(Runnable r) {
        return assertThrows(RuntimeException.class, r::run).getMessage();
    }

    @Test
    void truncatedFileNamesTheFirstTensorPastTheEnd(@TempDir Path tmp) throws IOException {
        byte[] whole = Files.readAllBytes(AIDREAMS.resolve("model.safetensors"));
        Path cut = tmp.resolve("model.safetensors");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        String msg = messageOf(() -> SafetensorsFile.open(cut));
        assertTrue(msg.contains("tensor 'model.layers.") && msg.contains("past the end"), msg);
    }

    @Test
    void truncatedHeader(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x.safetensors");
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        Files.write(f, b.array());
        String msg = messageOf(() -> SafetensorsFile.open(f));
        assertTrue(msg.contains("truncated file") && msg.contains("1000"), msg);
        Files.write(f, new byte[3]);
        assertTrue(messageOf(() -> SafetensorsFile.open(f)).contains("truncated file"));
    }

    @Test
    void overlappingOffsetsNameBothTensors(@TempDir Path tmp) throws IOException {
        Path f = craft(tmp.resolve("o.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);
        String msg = messageOf(() -> SafetensorsFile.open(f));
        assertTrue(msg.contains("'b'") && msg.contains("overlaps") && msg.contains("'a'"), msg);
    }

    @Test
    void offsetsPastTheEndOrInconsistentWithShape(@TempDir Path tmp) throws IOException {
        Path past = craft(tmp.resolve("p.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,4],\"data_offsets\":[16,32]}}", 20);
        String msg = messageOf(() -> SafetensorsFile.open(past));
        assertTrue(msg.contains("tensor 'w'") && msg.contains("past the end"), msg);

        Path wrongSize = craft(tmp.resolve("s.safetensors"),
                "{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        msg = messageOf(() -> SafetensorsFile.open(wrongSize));
        assertTrue(msg.contains("tensor 'w'") && msg.contains("needs 6"), msg);

        Path badDtype = craft(tmp.resolve("d.safetensors"),
                "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
        msg = messageOf(() -> SafetensorsFile.open(badDtype));
        assertTrue(msg.contains("tensor 'w'") && msg.contains("unsupported dtype"), msg);
    }

    @Test
    void readsF16AndBf16Exactly(@TempDir Path tmp) throws IOException {
        // 1.5 is exact in both: F16 0x3E00, BF16 0x3FC0 (little-endian bytes).
        byte[] header = ("{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length).put(header).putShort((short) 0x3E00).putShort((short) 0x3FC0);
        Path f = tmp.resolve("h.safetensors");
        Files.write(f, buf.array());
        SafetensorsFile file = SafetensorsFile.open(f);
        assertEquals(1.5f, dev.anvil.llm.torch.Tensors.toFloats(file.tensor("h"))[0]);
        assertEquals(1.5f, dev.anvil.llm.torch.Tensors.toFloats(file.tensor("b"))[0]);
        assertTrue(messageOf(() -> file.tensor("nope")).contains("missing tensor 'nope'"));
    }

    @Test
    void missingTensorIsNamed(@TempDir Path tmp) throws IOException {
        Files.copy(AIDREAMS.resolve("config.json"), tmp.resolve("config.json"));
        SafetensorsFile original = SafetensorsFile.open(AIDREAMS.resolve("model.safetensors"));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String n : original.names()) if (!n.equals("model.layers.2.mlp.up_proj.weight")) tensors.put(n, original.tensor(n));
        SafetensorsWriter.write(tmp.resolve("model.safetensors"), tensors, Map.of());
        String msg = messageOf(() -> LlamaModel.load(tmp, LoadOptions.defaults()));
        assertTrue(msg.contains("missing tensor 'model.layers.2.mlp.up_proj.weight'"), msg);
    }

    @Test
    void shapeDisagreeingWithConfigIsNamed(@TempDir Path tmp) throws IOException {
        String config = Files.readString(AIDREAMS.resolve("config.json")).replace("\"intermediate_size\": 172", "\"intermediate_size\": 176");
        Files.writeString(tmp.resolve("config.json"), config);
        Files.copy(AIDREAMS.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        String msg = messageOf(() -> LlamaModel.load(tmp, LoadOptions.defaults()));
        assertTrue(msg.contains("'model.layers.0.mlp.gate_proj.weight' has shape [172, 64] but config.json implies [176, 64]"), msg);
    }

    @Test
    void shardOutsideTheDirectoryIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.writeString(dir.resolve(ShardedCheckpoint.INDEX_FILE),
                "{\"weight_map\":{\"model.embed_tokens.weight\":\"../evil.safetensors\"}}");
        String msg = messageOf(() -> Checkpoints.open(dir));
        assertTrue(msg.contains("outside the checkpoint directory"), msg);
    }
}
