package dev.anvil.events.datadir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataDirectoryTest {

    @TempDir
    Path root;

    @Test
    void theLayoutSpellsEveryPathOnce() {
        DataDirectory data = new DataDirectory(root);
        DatasetVersionFiles version = data.datasetVersion("faq", "v1");
        assertEquals(root.resolve("datasets/faq/v1/train.jsonl"), version.train());
        assertEquals(root.resolve("datasets/faq/v1/validation.jsonl"), version.validation());
        assertEquals(root.resolve("datasets/faq/v1/manifest.json"), version.manifest());
        assertEquals("datasets/faq/v1", data.relative(version.dir()));
        RunFiles run = data.run("job-1");
        assertEquals(root.resolve("runs/job-1/adapter"), run.adapter());
        assertEquals(root.resolve("runs/job-1/merged"), run.merged());
        assertEquals(root.resolve("runs/job-1/model"), run.model());
        assertEquals(root.resolve("runs/job-1/checkpoints"), run.checkpoints());
        assertEquals(root.resolve("runs/job-1/metrics.jsonl"), run.metrics());
        assertEquals(root.resolve("models/aidreams260K"), data.model("aidreams260K"));
    }

    /** Every name either service made before the rule was shared still fits it. */
    @Test
    void theOneRuleTakesTheNamesOfBothServices() {
        for (String name : new String[]{"faq", "support-chat.v2_x", "a".repeat(64), "A".repeat(128),
                "local-20261128-183303", "0".repeat(64), "Mixed.Case", "a..b"}) {
            assertTrue(DataNames.isValid(name), name);
        }
    }

    @Test
    void namesThatCouldLeaveTheFolderOrHideAreRefused() {
        for (String bad : new String[]{null, "", ".", "..", ".hidden", "a/b", "a\\b", "/etc", "C:x", "../x",
                "a\u0000b", "a\nb", "-dash", "_under", "sp ace", "é", "a".repeat(129)}) {
            assertFalse(DataNames.isValid(bad), String.valueOf(bad));
        }
    }

    @Test
    void aRefusalNamesTheFieldAndEscapesTheValue() {
        DataDirectory data = new DataDirectory(root);
        assertEquals("dataset.name '..' must match " + DataNames.PATTERN + " (" + DataNames.RULE + ")",
                assertThrows(InvalidDataNameException.class, () -> data.datasetVersion("..", "v1")).getMessage());
        assertTrue(assertThrows(InvalidDataNameException.class, () -> data.datasetVersion("faq", "a/b"))
                .getMessage().startsWith("dataset.version 'a/b' must match"));
        assertTrue(assertThrows(InvalidDataNameException.class, () -> data.run("a\u0000b"))
                .getMessage().startsWith("jobId 'a\\u0000b' must match"));
        String longName = "x".repeat(129);
        String message = assertThrows(InvalidDataNameException.class, () -> data.model(longName)).getMessage();
        assertTrue(message.startsWith("model '" + "x".repeat(80) + "...' must match"), message);
    }

    @Test
    void pathsOutsideTheRootAreRefused() {
        DataDirectory data = new DataDirectory(root);
        assertEquals(root.resolve("runs/x"), data.confined(Path.of("runs/../runs/x"), "path"));
        assertEquals("path leads outside the data directory",
                assertThrows(InvalidDataNameException.class, () -> data.confined(Path.of("../x"), "path"))
                        .getMessage());
        assertThrows(InvalidDataNameException.class, () -> data.confined(Path.of("/etc/passwd"), "path"));
        assertThrows(InvalidDataNameException.class, () -> data.relative(root.resolve("runs/../../x")));
    }
}
