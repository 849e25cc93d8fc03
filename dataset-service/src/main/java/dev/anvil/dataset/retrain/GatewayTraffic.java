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

/**
 * Reads a model version's kept traffic from the inference-gateway's admin API ({@code GET
 * /admin/versions/{id}/traffic?feedback=apply}, NDJSON in the upload format, corrections already applied), with the
 * service key of scope {@code traffic:read}. Never the gateway's database: the gateway owns its data.
 */
@ApplicationScoped
public class GatewayTraffic {

    static final String NDJSON = "application/x-ndjson";

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
     * Writes the version's traffic records, one a line, to {@code into} and answers how many there are.
     *
     * @throws UnavailableException when the gateway cannot be reached, refuses, or answers something else
     */
    public int fetch(String version, Path into) throws UnavailableException, IOException {
        String key = config.gatewayKey().filter(k -> !k.isBlank()).orElseThrow(() -> new UnavailableException(
                "no gateway key configured (anvil.dataset.retraining.gateway-key)"));
        URI uri = trafficUri(version);
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
            return copyLines(body, into, uri);
        } catch (HttpTimeoutException e) {
            throw new UnavailableException("the gateway's answer to GET " + uri + " did not end within "
                    + config.gatewayTimeout());
        }
    }

    URI trafficUri(String version) {
        String base = config.gatewayUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/admin/versions/" + URLEncoder.encode(version, StandardCharsets.UTF_8)
                + "/traffic?feedback=apply&limit=" + config.trafficLimit());
    }

    /** Copies the non-blank lines (each ends with a newline, so files can be joined) and counts them. */
    private int copyLines(InputStream body, Path into, URI uri) throws IOException, UnavailableException {
        long bytes = 0;
        int lines = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
             BufferedWriter writer = Files.newBufferedWriter(into, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                bytes += line.length() + 1L;
                if (bytes > maxBytes) {
                    throw new UnavailableException("the gateway's answer to GET " + uri
                            + " is larger than anvil.dataset.max-body-bytes=" + maxBytes);
                }
                if (line.isBlank()) continue;
                writer.write(line);
                writer.write('\n');
                lines++;
            }
        }
        return lines;
    }
}
