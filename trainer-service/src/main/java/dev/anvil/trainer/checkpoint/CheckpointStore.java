package dev.anvil.trainer.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The checkpoints of one run, {@code runs/<jobId>/checkpoints/step-<n>/}: each written complete into a temporary
 * folder and renamed into place, so a crash leaves either the whole checkpoint or none; only the newest
 * {@code keep} are kept. What goes in besides {@code state.json} (adapter or weights, optimizer state) is written
 * by the caller into the folder it is handed.
 */
public final class CheckpointStore {

    private static final Pattern NAME = Pattern.compile("step-(\\d{9})");
    private static final String STATE = "state.json";
    private static final String RETIRED = ".old-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final int keep;

    public CheckpointStore(Path root, int keep) {
        if (keep < 1) throw new IllegalArgumentException("checkpointsToKeep must be >= 1, got " + keep);
        this.root = root;
        this.keep = keep;
    }

    /** Writes checkpoint {@code state.step()}: {@code contents} fills the folder, then the state is added. */
    public Path save(TrainingState state, Consumer<Path> contents) {
        Path target = root.resolve(String.format("step-%09d", state.step()));
        writeAtomically(target, dir -> {
            contents.accept(dir);
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(STATE).toFile(), state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune old checkpoints in " + root + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public TrainingState state(Path checkpoint) {
        try {
            return JSON.readValue(checkpoint.resolve(STATE).toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + checkpoint.resolve(STATE) + ": " + e.getMessage(), e);
        }
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> list() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException(p + " is not a checkpoint folder");
        return Long.parseLong(m.group(1));
    }

    /**
     * Deletes all but the newest {@code keep}. Each is first renamed out of the {@code step-<n>} namespace, so a
     * crash during the deletion leaves a {@code .old-} folder (swept on the next prune), never a partial checkpoint
     * under a checkpoint's name.
     */
    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            Path old = all.get(i);
            Path retired = old.resolveSibling(RETIRED + old.getFileName());
            deleteTree(retired);
            Files.move(old, retired, StandardCopyOption.ATOMIC_MOVE);
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(RETIRED)).toList()) deleteTree(p);
        }
    }

    /** Deletes a folder and what it holds; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Replaces {@code target} by a folder that {@code contents} fills, via a temporary sibling and a rename. */
    public static void writeAtomically(Path target, Consumer<Path> contents) {
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName());
        try {
            Files.createDirectories(target.getParent());
            deleteTree(tmp);
            Files.createDirectories(tmp);
            contents.accept(tmp);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
