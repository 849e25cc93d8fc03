package dev.anvil.dataset.version;

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
 * The dataset folders under the data directory: {@code datasets/<name>/<version>/} holds a version's files,
 * {@code tmp/} the work folders of uploads in progress. A version folder appears by one atomic rename of a
 * complete work folder, so no reader ever sees half a version. Every path handed out stays inside the data dir.
 */
@ApplicationScoped
public class VersionStore {

    public static final String TRAIN = "train.jsonl";
    public static final String VALIDATION = "validation.jsonl";
    public static final String REJECTS = "rejects.jsonl";
    public static final String MANIFEST = "manifest.json";
    /** Name prefix of the work folders under {@code tmp/}. */
    public static final String WORK_DIR_PREFIX = "upload-";

    private final Path dataDir;

    public VersionStore(@ConfigProperty(name = "anvil.data-dir") Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path tmpDir() {
        return dataDir.resolve("tmp");
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
        return "datasets/" + DatasetNames.requireValidName(dataset) + "/" + requireVersionId(version);
    }

    public Path versionDir(String dataset, String version) {
        return confined(dataDir.resolve(location(dataset, version)));
    }

    /** A file of a stored version, by one of the fixed names. */
    public Path versionFile(String dataset, String version, String fileName) {
        return confined(versionDir(dataset, version).resolve(fileName));
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

    private Path confined(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(dataDir)) {
            throw new IllegalArgumentException("path escapes the data directory: " + path);
        }
        return normalized;
    }

    private static String requireVersionId(String version) {
        if (!DatasetNames.isVersionId(version)) {
            throw new IllegalArgumentException("not a version id: " + version);
        }
        return version;
    }
}
