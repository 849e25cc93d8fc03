package dev.anvil.dataset;

import dev.anvil.dataset.clean.ConflictPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code anvil.dataset.*} keys; docs/configuration.md lists them with their env var names. The data directory
 * is the shared {@code anvil.data-dir} (see {@code VersionStore}), the relay's keys are {@code anvil.outbox.*}.
 */
@ConfigMapping(prefix = "anvil.dataset")
public interface DatasetServiceConfig {

    /** Largest accepted upload (each file of a multipart upload), in bytes; a larger one is answered 413. */
    @WithDefault("536870912")
    long maxBodyBytes();

    /** Longest accepted line of an upload, in bytes; a longer one refuses the upload with a 400. */
    @WithDefault("1048576")
    long maxLineBytes();

    /** Records with more characters than this are removed as {@code too_long}. */
    @WithDefault("32768")
    int maxRecordChars();

    /** What to do with prompts seen before with another answer. */
    @WithDefault("keep-first")
    ConflictPolicy conflictPolicy();

    /** A blocklist file replacing the built-in one of the unsafe-content filter. */
    Optional<Path> blocklist();

    /** Temp folders under {@code <data-dir>/tmp} untouched for this long belong to a dead upload and go. */
    @WithDefault("PT15M")
    Duration staleTempAfter();

    Synthetic synthetic();

    interface Synthetic {
        /** Largest number of records one synthetic request may expand to; more is answered 400. */
        @WithDefault("100000")
        long maxRecords();
    }
}
