package dev.anvil.dataset.version;

import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Work folders of dead uploads go; those of live uploads (recently written) stay. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class TempFolderSweeperTest {

    @Inject
    VersionStore store;

    @Inject
    TempFolderSweeper sweeper;

    @Test
    void staleWorkFoldersAreRemovedAndLiveOnesKept() throws Exception {
        Path dead = store.newWorkDir();
        Path half = Files.writeString(dead.resolve("train.jsonl"), "{\"messages\":[]}\n");
        FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Files.setLastModifiedTime(half, longAgo);
        Files.setLastModifiedTime(dead, longAgo);

        Path live = store.newWorkDir();
        Files.writeString(live.resolve("train.jsonl"), "{\"messages\":[]}\n");

        sweeper.sweep();

        assertFalse(Files.exists(dead), "a folder untouched for longer than stale-temp-after is removed");
        assertTrue(Files.exists(live.resolve("train.jsonl")), "a folder being written is kept");
        VersionStore.deleteRecursively(live);
    }
}
