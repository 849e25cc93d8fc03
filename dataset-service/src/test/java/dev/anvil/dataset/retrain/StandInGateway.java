package dev.anvil.dataset.retrain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The inference-gateway's traffic API as the dataset-service sees it (GET /admin/versions/{id}/traffic), in the
 * test JVM: it answers what a test put for a version, and only to the configured bearer key with
 * {@code feedback=apply}. The real gateway plays this part in the end-to-end loop test.
 */
public class StandInGateway implements QuarkusTestResourceLifecycleManager {

    /** The key application.properties gives the %test profile. */
    static final String KEY = "test-traffic-read-key";
    private static final String PREFIX = "/admin/versions/";
    private static HttpServer server;
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
    /** Every request's path and query, in arrival order. */
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    record Answer(int status, String body) {
    }

    /** What GET /admin/versions/{version}/traffic answers from now on. */
    static void answer(String version, int status, String body) {
        ANSWERS.put(version, new Answer(status, body));
    }

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext(PREFIX, StandInGateway::handle);
            server.start();
        }
        return Map.of("anvil.dataset.retraining.gateway-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery();
        REQUESTS.add(path + "?" + query);
        Answer answer;
        if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer = new Answer(401, "{\"error\":\"unknown key\"}");
        } else if (!"application/x-ndjson".equals(exchange.getRequestHeaders().getFirst("Accept"))
                || query == null || !query.contains("feedback=apply") || !path.endsWith("/traffic")) {
            answer = new Answer(400, "{\"error\":\"expected NDJSON traffic with feedback=apply\"}");
        } else {
            String version = path.substring(PREFIX.length(), path.length() - "/traffic".length());
            answer = ANSWERS.getOrDefault(version, new Answer(404, "{\"error\":\"unknown version\"}"));
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.status() == 200 ? "application/x-ndjson"
                : "application/problem+json");
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
