package dev.anvil.dataset.clean;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removed records as JSON lines {@code {"line":12,"reason":"duplicate","detail":"same as line 3"}}, in the order
 * they are found. The two passes each write such a log in line order; {@link #merge} interleaves them.
 */
final class RejectLog implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String LINE_PREFIX = "{\"line\":";

    private final BufferedWriter out;

    RejectLog(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    void add(Rejection rejection) throws IOException {
        out.write(toJson(rejection));
        out.write('\n');
    }

    static String toJson(Rejection rejection) throws IOException {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("line", rejection.line());
            json.writeStringField("reason", rejection.reason());
            json.writeStringField("detail", rejection.detail());
            json.writeEndObject();
        }
        return text.toString();
    }

    /** Appends the lines of two logs, each in line order, to {@code out} in line order. */
    static void merge(Path first, Path second, Writer out) throws IOException {
        try (BufferedReader a = Files.newBufferedReader(first, StandardCharsets.UTF_8);
             BufferedReader b = Files.newBufferedReader(second, StandardCharsets.UTF_8)) {
            String x = a.readLine();
            String y = b.readLine();
            while (x != null || y != null) {
                boolean takeFirst = y == null || (x != null && lineOf(x) <= lineOf(y));
                out.write(takeFirst ? x : y);
                out.write('\n');
                if (takeFirst) {
                    x = a.readLine();
                } else {
                    y = b.readLine();
                }
            }
        }
    }

    private static long lineOf(String json) {
        return Long.parseLong(json, LINE_PREFIX.length(), json.indexOf(',', LINE_PREFIX.length()), 10);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
