package dev.anvil.dataset.version;

import dev.anvil.events.datadir.DatasetVersionFiles;

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
        DatasetVersionFiles version = DatasetVersionFiles.in(workDir);
        FileChecksum train = FileChecksum.of(version.train());
        FileChecksum validation = FileChecksum.of(version.validation());
        FileChecksum rejects = FileChecksum.of(version.rejects());
        String id = FileChecksum.sha256Hex(DatasetVersionFiles.TRAIN + " " + train.sha256() + "\n"
                + DatasetVersionFiles.VALIDATION + " " + validation.sha256() + "\n");
        Map<String, FileChecksum> files = new LinkedHashMap<>();
        files.put(DatasetVersionFiles.TRAIN, train);
        files.put(DatasetVersionFiles.VALIDATION, validation);
        files.put(DatasetVersionFiles.REJECTS, rejects);
        return new ContentAddress(id, files);
    }
}
