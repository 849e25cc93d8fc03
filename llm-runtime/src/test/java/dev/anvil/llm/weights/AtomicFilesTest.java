package dev.anvil.llm.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    /** Weights written here are read by other services' users: the file gets the umask's mode, not 0600. */
    @Test
    void aWrittenFileIsReadableByOthersAndNoTemporaryRemains(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("adapter_config.json");
        AtomicFiles.writeString(target, "{\"r\": 8}");
        AtomicFiles.writeString(target, "{\"r\": 16}");
        assertEquals("{\"r\": 16}", Files.readString(target));
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target);
        Path reference = Files.createFile(dir.resolve("reference"));
        assertEquals(Files.getPosixFilePermissions(reference), mode, "the same mode as any new file");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the target and the reference file");
        }
    }
}
