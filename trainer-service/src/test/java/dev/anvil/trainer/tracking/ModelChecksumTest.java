package dev.anvil.trainer.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

class ModelChecksumTest {

    /** A sharded model folder with files that are not weights (tokenizer, a subfolder). */
    private static Path model(Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"a\":1}\n");
        Files.writeString(dir.resolve("model-00001-of-00002.safetensors"), "abc");
        Files.writeString(dir.resolve("model-00002-of-00002.safetensors"), "def");
        Files.writeString(dir.resolve("pytorch_model.bin"), "weights");
        Files.writeString(dir.resolve("tokenizer.json"), "tok");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/x.bin"), "x");
        return dir;
    }

    @Test
    void isTheSha256sumOfTheWeightFilesListing(@TempDir Path dir) throws Exception {
        // Expected value from coreutils, on the same files:
        //   sha256sum $(LC_ALL=C ls config.json *.safetensors *.bin) | sha256sum
        assertEquals("fa4ac9e392a459803ce003c9df5292ea0495e9e88db68a6ebe1cacd0e9a19ab3",
                new ModelChecksum().of(model(dir)));
    }

    @Test
    void filesOtherThanConfigAndWeightsDoNotCount(@TempDir Path dir) throws Exception {
        ModelChecksum checksum = new ModelChecksum();
        String before = checksum.of(model(dir));
        Files.writeString(dir.resolve("tokenizer.json"), "another tokenizer");
        Files.writeString(dir.resolve("sub/x.bin"), "y");
        assertEquals(before, checksum.of(dir));
    }

    @Test
    void aFileIsRehashedOnlyWhenItsSizeOrModificationTimeChanges(@TempDir Path dir) throws Exception {
        ModelChecksum checksum = new ModelChecksum();
        String before = checksum.of(model(dir));
        Path shard = dir.resolve("model-00001-of-00002.safetensors");
        FileTime modified = Files.getLastModifiedTime(shard);

        // Same size, same time: the remembered digest is used, so the new bytes are not seen (proof of the cache).
        Files.writeString(shard, "xyz");
        Files.setLastModifiedTime(shard, modified);
        assertEquals(before, checksum.of(dir));
        assertNotEquals(before, new ModelChecksum().of(dir), "a fresh instance reads the new bytes");

        // A new modification time: read again.
        Files.setLastModifiedTime(shard, FileTime.fromMillis(modified.toMillis() + 5_000));
        assertNotEquals(before, checksum.of(dir));
    }

    @Test
    void aFolderWithoutConfigIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model.safetensors"), "abc");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new ModelChecksum().of(dir));
        assertTrue(e.getMessage().contains("no config.json"), e.getMessage());
    }
}
