package dev.anvil.dataset.version;

import dev.anvil.dataset.DatasetServiceConfig;
import dev.anvil.service.background.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes the work folders of uploads that died (a crash, a killed pod) at start-up and then periodically.
 * Replicas share the data dir, so a folder goes only when nothing in it changed for {@code stale-temp-after}:
 * a live upload keeps writing its files.
 */
@ApplicationScoped
public class TempFolderSweeper {

    private static final Logger LOG = Logger.getLogger(TempFolderSweeper.class);

    private final VersionStore store;
    private final Duration staleAfter;
    private Periodic sweeps;

    public TempFolderSweeper(VersionStore store, DatasetServiceConfig config) {
        this.store = store;
        this.staleAfter = config.staleTempAfter();
    }

    void onStart(@Observes StartupEvent event) {
        sweep();
        Duration period = staleAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : staleAfter;
        sweeps = Periodic.every("temp-folder-sweeper", period, this::sweep);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sweeps != null) {
            sweeps.close();
        }
    }

    /** Deletes the stale folders of {@code <data-dir>/tmp}; answers how many went. */
    public int sweep() {
        Path tmp = store.tmpDir();
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(staleAfter);
        int removed = 0;
        try (Stream<Path> entries = Files.list(tmp)) {
            for (Path entry : entries.toList()) {
                // Only the work folders this service makes; tmp/ also holds the HTTP server's multipart spool.
                if (entry.getFileName().toString().startsWith(VersionStore.WORK_DIR_PREFIX)
                        && lastChange(entry).isBefore(cutoff)) {
                    VersionStore.deleteRecursively(entry);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "could not sweep %s", tmp);
        }
        if (removed > 0) {
            LOG.infof("removed %d stale temp folder(s) from %s", removed, tmp);
        }
        return removed;
    }

    private static Instant lastChange(Path entry) throws IOException {
        try (Stream<Path> tree = Files.walk(entry)) {
            List<Path> paths = tree.toList();
            FileTime newest = FileTime.fromMillis(0);
            for (Path path : paths) {
                FileTime modified = Files.getLastModifiedTime(path);
                if (modified.compareTo(newest) > 0) {
                    newest = modified;
                }
            }
            return newest.toInstant();
        }
    }
}
