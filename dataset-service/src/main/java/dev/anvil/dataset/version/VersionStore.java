package dev.anvil.dataset.version;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DatasetVersionFiles;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * The dataset folders under the data directory, in its shared layout ({@link DataDirectory}):
 * {@code datasets/<name>/<version>/} holds a version's files, {@code tmp/} the work folders of uploads in progress.
 * A version folder appears by one atomic rename of a complete work folder, so no reader ever sees half a version.
 * Every path handed out stays inside the data dir.
 */
@ApplicationScoped
public class VersionStore {

    /** Name prefix of the work folders under {@code tmp/}. */
    public static final String WORK_DIR_PREFIX = "upload-";

    private final DataDirectory dataDir;

    public VersionStore(@ConfigProperty(name = "anvil.data-dir") Path dataDir) {
        this.dataDir = new DataDirectory(dataDir);
    }

    public Path dataDir() {
        return dataDir.root();
    }

    public Path tmpDir() {
        return dataDir.tmp();
    }

    /** A fresh, empty work folder for one upload. */
    public Path newWorkDir() {
        Path dir = tmpDir().resolve(WORK_DIR_PREFIX + UUID.randomUUID());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create work folder " + dir, e);
        }
    }

    /** Where a version lives, relative to the data dir (the {@code location} of events and manifests). */
    public String location(String dataset, String version) {
        return dataDir.relative(versionDir(dataset, version));
    }

    public Path versionDir(String dataset, String version) {
        return versionFiles(dataset, version).dir();
    }

    /** The files of a stored version. */
    public DatasetVersionFiles versionFiles(String dataset, String version) {
        DatasetNames.requireValidName(dataset);
        return dataDir.datasetVersion(dataset, requireVersionId(version));
    }

    /** A file of a stored version, by one of the fixed names of {@link DatasetVersionFiles}. */
    public Path versionFile(String dataset, String version, String fileName) {
        return dataDir.confined(versionDir(dataset, version).resolve(fileName), "file");
    }

    /**
     * Renames the complete {@code workDir} into place as the version's folder. A folder already there without a
     * database row is the remains of a crash between rename and commit (the caller holds the row): it is replaced.
     */
    public void moveIntoPlace(Path workDir, String dataset, String version) {
        Path target = versionDir(dataset, version);
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(workDir, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException orphan) {
                deleteRecursively(target);
                Files.move(workDir, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + workDir + " into place as " + target, e);
        }
    }

    /** Deletes a folder and everything in it; a folder that is already gone is fine. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String requireVersionId(String version) {
        if (!DatasetNames.isVersionId(version)) {
            throw new IllegalArgumentException("not a version id: " + version);
        }
        return version;
    }
}
