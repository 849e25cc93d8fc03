package dev.anvil.llm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.llm.torch.Tensors;
import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only fixtures in the shared folder (system property anvil.shared.dir, else ../shared). */
public final class Golden {

    private Golden() {}

    public static Path sharedDir() {
        String prop = System.getProperty("anvil.shared.dir");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(p)) p = Path.of("..", "..", "shared");
        return p.toAbsolutePath().normalize();
    }

    public static Path model(String name) {
        return sharedDir().resolve("models").resolve(name);
    }

    public static Path golden(String relative) {
        return sharedDir().resolve("golden").resolve(relative);
    }

    public static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long[] ids(JsonNode array) {
        long[] ids = new long[array.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = array.get(i).asLong();
        return ids;
    }

    /** A [rows, cols] float matrix from a JSON array of arrays. */
    public static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            JsonNode row = rows.get(r);
            m[r] = new float[row.size()];
            for (int c = 0; c < m[r].length; c++) m[r][c] = (float) row.get(c).asDouble();
        }
        return m;
    }

    public static Tensor batchOf(long[] ids) {
        return Tensors.longs(ids, 1, ids.length);
    }

    /** Largest |actual - expected| over a [T, V] logits tensor (batch row 0 of [1, T, V] also accepted). */
    public static double maxAbsDiff(Tensor actual, float[][] expected) {
        float[] a = Tensors.toFloats(actual);
        int v = expected[0].length;
        if (a.length != expected.length * v) {
            throw new AssertionError("logits have " + a.length + " values, expected " + expected.length + " x " + v);
        }
        double max = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int j = 0; j < v; j++) max = Math.max(max, Math.abs(a[t * v + j] - expected[t][j]));
        }
        return max;
    }
}
