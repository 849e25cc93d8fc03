package dev.anvil.llm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Validates the paths a command reads and writes. Inputs must exist with the files they need; outputs must be new
 * (or empty) directories whose parent exists. When a root is configured ({@code -Danvil.llm.root} or the
 * environment variable {@code ANVIL_LLM_ROOT}), every path must resolve inside it, symbolic links followed.
 */
final class CliPaths {
    private final Path root;

    private CliPaths(Path root) {
        this.root = root;
    }

    static CliPaths fromEnvironment() {
        String configured = System.getProperty("anvil.llm.root", System.getenv("ANVIL_LLM_ROOT"));
        if (configured == null || configured.isBlank()) return new CliPaths(null);
        Path root = Path.of(configured);
        if (!Files.isDirectory(root)) throw new UsageException("anvil.llm.root '" + configured + "' is not a directory");
        return new CliPaths(real(root));
    }

    /** A model directory: config.json and weights (and a tokenizer when {@code needsTokenizer}). */
    Path modelDir(String option, String value, boolean needsTokenizer) {
        Path dir = existingDir(option, value);
        requireFile(option, dir, "config.json");
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))
                && !Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
            throw new UsageException("--" + option + " " + value + ": no model.safetensors or model.safetensors.index.json");
        }
        if (needsTokenizer) requireFile(option, dir, "tokenizer.json");
        return dir;
    }

    /** A PEFT adapter directory. */
    Path adapterDir(String option, String value) {
        Path dir = existingDir(option, value);
        requireFile(option, dir, "adapter_config.json");
        requireFile(option, dir, "adapter_model.safetensors");
        return dir;
    }

    Path existingFile(String option, String value) {
        Path p = parse(option, value);
        if (!Files.isRegularFile(p)) throw new UsageException("--" + option + " " + value + ": no such file");
        return confined(option, real(p));
    }

    /** A directory to create: absent or empty, with an existing parent. */
    Path newDir(String option, String value) {
        Path p = parse(option, value).toAbsolutePath().normalize();
        Path parent = p.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("--" + option + " " + value + ": parent directory does not exist");
        }
        Path target = real(parent).resolve(p.getFileName());
        if (Files.exists(target) && !isEmptyDir(target)) {
            throw new UsageException("--" + option + " " + value + ": exists and is not an empty directory");
        }
        return confined(option, target);
    }

    private Path existingDir(String option, String value) {
        Path p = parse(option, value);
        if (!Files.isDirectory(p)) throw new UsageException("--" + option + " " + value + ": no such directory");
        return confined(option, real(p));
    }

    private static void requireFile(String option, Path dir, String name) {
        if (!Files.isRegularFile(dir.resolve(name))) {
            throw new UsageException("--" + option + " " + dir + ": missing " + name);
        }
    }

    private Path confined(String option, Path p) {
        if (root != null && !p.startsWith(root)) {
            throw new UsageException("--" + option + " " + p + ": outside the allowed root " + root);
        }
        return p;
    }

    private static Path parse(String option, String value) {
        try {
            if (value.isBlank()) throw new UsageException("--" + option + " is empty");
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("--" + option + ": invalid path (" + e.getReason() + ")");
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + p + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> entries = Files.list(p)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
