package dev.anvil.trainer.tracking;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The identity of a base model's weights: SHA-256 over {@code config.json} and the weight files
 * ({@code *.safetensors}, {@code *.bin}) of its folder, in the form {@code sha256sum} prints, so that it can be
 * checked by hand:
 * <pre>cd model && sha256sum $(LC_ALL=C ls config.json *.safetensors *.bin 2>/dev/null) | sha256sum</pre>
 * i.e. the SHA-256 of the lines {@code <file sha256>  <file name>\n} in file-name order. Files are streamed, and
 * each file's digest is remembered by real path, size and modification time, so repeated jobs on the same model do
 * not read gigabytes again.
 */
@ApplicationScoped
public class ModelChecksum {
    /** Far more files than any model has; a bound all the same, as jobs may name many model folders over time. */
    private static final int MAX_CACHED_FILES = 4_096;

    private record FileDigest(long size, long modifiedMillis, String sha256) {
    }

    private final Map<Path, FileDigest> cache = new ConcurrentHashMap<>();

    /** The checksum of {@code modelDir}'s weights; an {@link UncheckedIOException} when they cannot be read. */
    public String of(Path modelDir) {
        List<Path> files = weightFiles(modelDir);
        if (files.stream().noneMatch(f -> f.getFileName().toString().equals("config.json"))) {
            throw new UncheckedIOException(new IOException("no config.json in " + modelDir));
        }
        StringBuilder listing = new StringBuilder();
        for (Path file : files) {
            listing.append(digestOf(file)).append("  ").append(file.getFileName()).append('\n');
        }
        return hex(sha256().digest(listing.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Path> weightFiles(Path modelDir) {
        try (Stream<Path> entries = Files.list(modelDir)) {
            return entries.filter(ModelChecksum::isWeightFile)
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + modelDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isWeightFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file)
                && (name.equals("config.json") || name.endsWith(".safetensors") || name.endsWith(".bin"));
    }

    private String digestOf(Path file) {
        try {
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            long size = attributes.size();
            long modified = attributes.lastModifiedTime().toMillis();
            FileDigest known = cache.get(real);
            if (known != null && known.size() == size && known.modifiedMillis() == modified) return known.sha256();
            String sha256 = stream(real);
            if (cache.size() >= MAX_CACHED_FILES) cache.clear();
            cache.put(real, new FileDigest(size, modified, sha256));
            return sha256;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    private static String stream(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        }
        return hex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
