package dev.anvil.dataset.retrain;

import dev.anvil.dataset.DatasetServiceConfig;
import dev.anvil.service.http.SafeText;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads a model version's kept traffic from the inference-gateway's admin API ({@code GET
 * /admin/versions/{id}/traffic?feedback=apply}, NDJSON in the upload format, corrections already applied), with the
 * service key of scope {@code traffic:read}, page by page as the gateway serves it (at most 1000 rows a page).
 * Never the gateway's database: the gateway owns its data.
 */
@ApplicationScoped
public class GatewayTraffic {

    static final String NDJSON = "application/x-ndjson";
    /** The NDJSON form's next page: the {@code before} to ask it with; absent on the last page. */
    static final String NEXT_BEFORE = "x-anvil-next-before";

    private final RetrainingConfig config;
    private final long maxBytes;
    private final HttpClient client;

    public GatewayTraffic(RetrainingConfig config, DatasetServiceConfig datasets) {
        this.config = config;
        this.maxBytes = datasets.maxBodyBytes();
        this.client = HttpClient.newBuilder().connectTimeout(config.gatewayTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Why the traffic could not be had; the message is the reason recorded on the retraining. */
    static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }
    }

    /**
     * Writes the version's newest traffic records, one a line, to {@code into} and answers how many there are: page
     * after page, each page's {@code before} the previous one's {@code x-anvil-next-before}, until
     * {@code traffic-limit} records are read or the gateway names no next page.
     *
     * @throws UnavailableException when the gateway cannot be reached, refuses, or answers something else, on any page
     */
    public int fetch(String version, Path into) throws UnavailableException, IOException {
        String key = config.gatewayKey().filter(k -> !k.isBlank()).orElseThrow(() -> new UnavailableException(
                "no gateway key configured (anvil.dataset.retraining.gateway-key)"));
        if (config.trafficPageSize() < 1 || config.trafficLimit() < 1) {
            throw new UnavailableException("anvil.dataset.retraining.traffic-limit (" + config.trafficLimit()
                    + ") and traffic-page-size (" + config.trafficPageSize() + ") must be at least 1");
        }
        try (Copy copy = new Copy(Files.newBufferedWriter(into, StandardCharsets.UTF_8))) {
            Instant before = null;
            do {
                int limit = Math.min(config.trafficPageSize(), config.trafficLimit() - copy.records);
                URI uri = trafficUri(version, limit, before);
                Instant next = page(uri, key, copy, limit);
                // The gateway's pages only go back in time; one that did not would be read forever.
                if (next != null && before != null && !next.isBefore(before)) {
                    throw new UnavailableException("the gateway's next page after GET " + uri + " starts at " + next
                            + ", not before " + before);
                }
                before = next;
            } while (before != null && copy.records < config.trafficLimit());
            return copy.records;
        }
    }

    /** Reads one page of at most {@code limit} records into {@code copy}; answers the next page's {@code before}. */
    private Instant page(URI uri, String key, Copy copy, int limit) throws UnavailableException, IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.gatewayTimeout())
                .header("Accept", NDJSON).header("Authorization", "Bearer " + key).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new UnavailableException("the gateway did not answer GET " + uri + " within "
                    + config.gatewayTimeout());
        } catch (IOException e) {
            throw new UnavailableException("the gateway is unreachable at " + uri + ": " + SafeText.of(e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading traffic from " + uri, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new UnavailableException("the gateway answered " + response.statusCode() + " to GET " + uri
                        + ": " + SafeText.of(new String(body.readNBytes(500), StandardCharsets.UTF_8)));
            }
            Instant next = nextBefore(response, uri);
            copy.lines(body, uri, limit);
            return next;
        } catch (HttpTimeoutException e) {
            throw new UnavailableException("the gateway's answer to GET " + uri + " did not end within "
                    + config.gatewayTimeout());
        }
    }

    private static Instant nextBefore(HttpResponse<?> response, URI uri) throws UnavailableException {
        String next = response.headers().firstValue(NEXT_BEFORE).orElse(null);
        if (next == null) return null;
        try {
            return Instant.parse(next.trim());
        } catch (DateTimeParseException e) {
            throw new UnavailableException("the gateway's " + NEXT_BEFORE + " '" + SafeText.of(next) + "' to GET "
                    + uri + " is not an ISO-8601 instant");
        }
    }

    URI trafficUri(String version, int limit, Instant before) {
        String base = config.gatewayUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/admin/versions/" + URLEncoder.encode(version, StandardCharsets.UTF_8)
                + "/traffic?feedback=apply&limit=" + limit + (before == null ? "" : "&before=" + before));
    }

    /**
     * The records of every page into one file, counted, and their bytes bounded together: the file becomes part of
     * one dataset version, so the upload limit applies to all of it.
     */
    private final class Copy implements AutoCloseable {
        private final BufferedWriter writer;
        private long bytes;
        private int records;

        Copy(BufferedWriter writer) {
            this.writer = writer;
        }

        /** Copies up to {@code max} non-blank lines (each ends with a newline, so files can be joined). */
        void lines(InputStream body, URI uri, int max) throws IOException, UnavailableException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            int copied = 0;
            for (String line = reader.readLine(); line != null && copied < max; line = reader.readLine()) {
                bytes += line.length() + 1L;
                if (bytes > maxBytes) {
                    throw new UnavailableException("the gateway's answers up to GET " + uri
                            + " are larger than anvil.dataset.max-body-bytes=" + maxBytes);
                }
                if (line.isBlank()) continue;
                writer.write(line);
                writer.write('\n');
                copied++;
                records++;
            }
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
