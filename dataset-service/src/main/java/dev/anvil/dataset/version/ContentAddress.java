package dev.anvil.dataset.version;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The id of a version is a hash of what a trainer reads: SHA-256 over the checksums of the canonical
 * {@code train.jsonl} and {@code validation.jsonl}. The same cleaned files give the same id whatever the upload
 * looked like; the rejects and the report do not take part.
 *
 * @param versionId the content hash identifying the version
 * @param files     checksums of every file of the version folder but the manifest, by file name
 */
public record ContentAddress(String versionId, Map<String, FileChecksum> files) {

    public static ContentAddress of(Path workDir) throws IOException {
        FileChecksum train = FileChecksum.of(workDir.resolve(VersionStore.TRAIN));
        FileChecksum validation = FileChecksum.of(workDir.resolve(VersionStore.VALIDATION));
        FileChecksum rejects = FileChecksum.of(workDir.resolve(VersionStore.REJECTS));
        String id = FileChecksum.sha256Hex(VersionStore.TRAIN + " " + train.sha256() + "\n"
                + VersionStore.VALIDATION + " " + validation.sha256() + "\n");
        Map<String, FileChecksum> files = new LinkedHashMap<>();
        files.put(VersionStore.TRAIN, train);
        files.put(VersionStore.VALIDATION, validation);
        files.put(VersionStore.REJECTS, rejects);
        return new ContentAddress(id, files);
    }
}
