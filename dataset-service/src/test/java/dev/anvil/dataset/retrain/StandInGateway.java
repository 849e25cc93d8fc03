package dev.anvil.dataset.retrain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The inference-gateway's traffic API as the dataset-service sees it (GET /admin/versions/{id}/traffic), in the
 * test JVM: it answers what a test put for a version, and only to the configured bearer key with
 * {@code feedback=apply}. Traffic pages like the gateway's: {@code limit} 1..1000 (default 100), {@code before} an
 * instant, the next page's {@code before} in {@code x-anvil-next-before}, absent on the last page; a version's
 * records are newest first, one a second. The real gateway plays this part in the end-to-end loop test.
 */
public class StandInGateway implements QuarkusTestResourceLifecycleManager {

    /** The key application.properties gives the %test profile. */
    static final String KEY = "test-traffic-read-key";
    private static final String PREFIX = "/admin/versions/";
    /** The newest record's instant; each later line of an answer is one second older. */
    private static final Instant NEWEST = Instant.parse("2026-12-06T10:00:00Z");
    private static HttpServer server;
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
    /** Every request's path and query, in arrival order. */
    static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

    /** @param laterPages the status of pages after the first (200: paged like the first) */
    record Answer(int status, String body, int laterPages) {
    }

    /**
     * What GET /admin/versions/{version}/traffic answers from now on: {@code body} as it is, or with status 200 its
     * lines paged as the gateway would.
     */
    static void answer(String version, int status, String body) {
        ANSWERS.put(version, new Answer(status, body, status));
    }

    /** The traffic {@code records} on the first page, but {@code status} to every request for a later one. */
    static void failLaterPages(String version, String records, int status) {
        ANSWERS.put(version, new Answer(200, records, status));
    }

    /** The requests for a version's traffic so far, path and query each. */
    static List<String> requestsFor(String version) {
        return REQUESTS.stream().filter(r -> r.startsWith(PREFIX + version + "/traffic?")).toList();
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
        Page page;
        if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            page = new Page(401, "{\"error\":\"unknown key\"}", null);
        } else if (!"application/x-ndjson".equals(exchange.getRequestHeaders().getFirst("Accept"))
                || query == null || !query.contains("feedback=apply") || !path.endsWith("/traffic")) {
            page = new Page(400, "{\"error\":\"expected NDJSON traffic with feedback=apply\"}", null);
        } else {
            page = page(path.substring(PREFIX.length(), path.length() - "/traffic".length()), parameters(query));
        }
        byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", page.status() == 200 ? "application/x-ndjson"
                : "application/problem+json");
        if (page.next() != null) exchange.getResponseHeaders().add("x-anvil-next-before", page.next());
        exchange.sendResponseHeaders(page.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private record Page(int status, String body, String next) {
    }

    /** One page of a version's traffic: record i was created i seconds before NEWEST, newest first. */
    private static Page page(String version, Map<String, String> params) {
        Answer answer = ANSWERS.get(version);
        String before = params.get("before");
        int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
        if (answer == null) return new Page(404, "{\"error\":\"unknown version\"}", null);
        if (limit < 1 || limit > 1000) {
            return new Page(400, "{\"detail\":\"query parameter limit must be a whole number in 1..1000\"}", null);
        }
        if (before != null && answer.laterPages() != 200) {
            return new Page(answer.laterPages(), "{\"title\":\"page unavailable\"}", null);
        }
        if (answer.status() != 200) return new Page(answer.status(), answer.body(), null);
        List<String> lines = answer.body().lines().toList();
        int from = before == null ? 0
                : (int) Math.max(0, Duration.between(Instant.parse(before), NEWEST).getSeconds() + 1);
        int to = Math.min(lines.size(), from + limit);
        String next = to < lines.size() ? NEWEST.minusSeconds(to - 1).toString() : null;
        return new Page(200, lines.subList(Math.min(from, to), to).stream().map(line -> line + "\n")
                .collect(Collectors.joining()), next);
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1),
                    StandardCharsets.UTF_8));
        }
        return params;
    }
}
