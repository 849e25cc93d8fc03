package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.UploadFormat;
import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.records.ContractVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The writing half of the dataset contract: this service's own cleaning pipeline, given the contract's upload and
 * fixed validation file, writes exactly the bytes of the contract version kept in events' test-jar. The trainer's
 * {@code DatasetContractTest} reads those same bytes with the trainer's reader and checks the records; since a
 * service never depends on another, the shared file is what joins the two halves: a version this service writes is
 * read by the trainer with the same records.
 */
class VersionContractTest {

    @Test
    void theCleanedVersionIsTheContractVersion(@TempDir Path workDir) throws IOException {
        new CleaningPipeline(new CleaningSettings(0, 0, false, 0.8, 10_000, ConflictPolicy.KEEP_FIRST),
                BlocklistFilter.defaults(), 1 << 16)
                .run(bytes(ContractVersion.UPLOAD), UploadFormat.JSON, bytes(ContractVersion.FIXED_VALIDATION),
                        UploadFormat.JSON, workDir);

        DatasetVersionFiles written = DatasetVersionFiles.in(workDir);
        assertArrayEquals(ContractVersion.bytes(DatasetVersionFiles.TRAIN), Files.readAllBytes(written.train()));
        assertArrayEquals(ContractVersion.bytes(DatasetVersionFiles.VALIDATION),
                Files.readAllBytes(written.validation()));
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
