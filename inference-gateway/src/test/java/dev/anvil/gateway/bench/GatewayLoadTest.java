package dev.anvil.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A bounded load test of a running gateway over loopback: {@code clients} streaming clients send requests back to
 * back for a fixed time, then stop by themselves. Two parts:
 * <ol>
 *   <li><b>limits</b>: a key limited to {@code rpm} requests a minute, seeded (never cached) requests: no 5xx, and
 *   the requests served equal what the limit allows over the run (its capacity plus what refilled), the rest 429
 *   {@code rate_limit_exceeded};</li>
 *   <li><b>cache</b>: a mix of {@code prompts} greedy prompts asked again and again, once with
 *   {@code Cache-Control: no-cache} and once with the cache: requests/s, latency and time to first token of both,
 *   and the share of hits.</li>
 * </ol>
 * Fails (exit 1) on a 5xx or a limit overstepped. Run by {@code scripts/load-gateway.sh}.
 *
 * <pre>java ... GatewayLoadTest &lt;gateway url&gt; &lt;admin key&gt; &lt;model&gt; &lt;seconds&gt; &lt;clients&gt; &lt;rpm&gt; &lt;prompts&gt;</pre>
 */
public final class GatewayLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TOKENS = 32;

    /** One request as its client saw it. */
    record Outcome(int status, String code, String cache, long firstTextNanos, long totalNanos) {
    }

    /** What a run measured. */
    record Run(List<Outcome> outcomes, double seconds) {
        long count(int status) {
            return outcomes.stream().filter(o -> o.status() == status).count();
        }

        long serverErrors() {
            return outcomes.stream().filter(o -> o.status() >= 500).count();
        }

        Map<String, Long> statuses() {
            Map<String, Long> byStatus = new TreeMap<>();
            for (Outcome o : outcomes) byStatus.merge(o.status() + (o.code() == null ? "" : " " + o.code()), 1L, Long::sum);
            return byStatus;
        }

        double millis(boolean firstText, double quantile) {
            List<Long> sorted = new ArrayList<>();
            for (Outcome o : outcomes) if (o.status() == 200) sorted.add(firstText ? o.firstTextNanos() : o.totalNanos());
            if (sorted.isEmpty()) return Double.NaN;
            Collections.sort(sorted);
            return sorted.get(Math.max(0, (int) Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
        }

        String latency() {
            return String.format(Locale.ROOT, "latency p50 %.1f p99 %.1f ms, first text p50 %.1f p99 %.1f ms",
                    millis(false, 0.5), millis(false, 0.99), millis(true, 0.5), millis(true, 0.99));
        }
    }

    interface Body {
        ObjectNode next(int i);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], adminKey = args[1], model = args[2];
        int seconds = Integer.parseInt(args[3]), clients = Integer.parseInt(args[4]), rpm = Integer.parseInt(args[5]);
        int prompts = Integer.parseInt(args[6]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        boolean failed = false;
        System.out.printf(Locale.ROOT, "%d streaming clients, %d s a run, %d new tokens a request, load average %.2f%n",
                clients, seconds, MAX_TOKENS, GatewayBenchmark.loadAverage());

        // Warm-up: JIT, libtorch, connections; its own key, so that it takes nothing from the limited one.
        String free = key(http, url, adminKey, "load-free", Map.of("requestsPerMinute", 1_000_000, "tokensPerMinute", 100_000_000));
        run(http, url, free, clients, 5, i -> seeded(model, i), Map.of());

        String limited = key(http, url, adminKey, "load-limited", Map.of("requestsPerMinute", rpm, "tokensPerMinute", 100_000_000));
        Run limits = run(http, url, limited, clients, seconds, i -> seeded(model, i), Map.of());
        // A minute's capacity, plus what refilled (evenly over the minute) while the run lasted.
        long allowed = rpm + (long) Math.floor(limits.seconds() * rpm / 60.0);
        long served = limits.count(200);
        System.out.printf(Locale.ROOT, "limits: %d requests/min on the key, %.1f s: %d served (allowed %d), %s; %s%n",
                rpm, limits.seconds(), served, allowed, limits.statuses(), limits.latency());
        if (served > allowed || limits.serverErrors() > 0) failed = true;

        Run uncached = run(http, url, free, clients, seconds, i -> greedy(model, i % prompts), Map.of("Cache-Control", "no-cache"));
        Run cached = run(http, url, free, clients, seconds, i -> greedy(model, i % prompts), Map.of());
        long hits = cached.outcomes().stream().filter(o -> "hit".equals(o.cache())).count();
        System.out.printf(Locale.ROOT, "cache: %d prompts asked again and again (temperature 0)%n", prompts);
        System.out.printf(Locale.ROOT, "  no cache:   %6.1f requests/s, %s, %s%n", uncached.count(200) / uncached.seconds(),
                uncached.statuses(), uncached.latency());
        System.out.printf(Locale.ROOT, "  with cache: %6.1f requests/s, %s, hits %.1f %%, %s%n", cached.count(200) / cached.seconds(),
                cached.statuses(), 100.0 * hits / Math.max(1, cached.count(200)), cached.latency());
        System.out.printf(Locale.ROOT, "  ratio requests/s with / without: %.2f%n",
                (cached.count(200) / cached.seconds()) / (uncached.count(200) / uncached.seconds()));
        if (uncached.serverErrors() + cached.serverErrors() > 0) failed = true;
        System.out.println(failed ? "FAILED: a 5xx, or more served than the limit allows" : "OK: no 5xx; the limit held");
        System.exit(failed ? 1 : 0);
    }

    static ObjectNode seeded(String model, int i) {
        return chat(model, "Tell me a story about the stars").put("temperature", 0.8).put("seed", i);
    }

    static ObjectNode greedy(String model, int prompt) {
        return chat(model, "Question " + prompt + ": what is a star?").put("temperature", 0);
    }

    static ObjectNode chat(String model, String text) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("max_tokens", MAX_TOKENS).put("stream", true);
        body.set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user").put("content", text)));
        return body;
    }

    /** {@code clients} threads sending requests back to back until {@code seconds} have passed. */
    static Run run(HttpClient http, String url, String key, int clients, int seconds, Body body,
                   Map<String, String> headers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger counter = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000_000));
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<List<Outcome>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Outcome> outcomes = new ArrayList<>();
                while (System.nanoTime() < deadline) outcomes.add(send(http, url, key, body.next(counter.getAndIncrement()), headers));
                return outcomes;
            }));
        }
        List<Outcome> all = new ArrayList<>();
        for (Future<List<Outcome>> f : futures) all.addAll(f.get());
        pool.shutdown();
        return new Run(all, (System.nanoTime() - start) / 1e9);
    }

    static Outcome send(HttpClient http, String url, String key, ObjectNode body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                .timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(request::header);
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        String cache = response.headers().firstValue("x-anvil-cache").orElse(null);
        if (response.statusCode() != 200) {
            String text = String.join("\n", response.body().toList());
            String code = null;
            try {
                JsonNode error = JSON.readTree(text).path("error");
                code = error.path("code").isTextual() ? error.path("code").asText() : null;
            } catch (Exception notJson) {
                // a status without OpenAI's error body: counted by its status alone
            }
            return new Outcome(response.statusCode(), code, cache, -1, System.nanoTime() - start);
        }
        long first = -1;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (first < 0 && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                first = System.nanoTime() - start;
            }
        }
        long total = System.nanoTime() - start;
        return new Outcome(200, null, cache, first < 0 ? total : first, total);
    }

    static String key(HttpClient http, String url, String adminKey, String name, Map<String, Object> limits) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.set("limits", JSON.valueToTree(limits));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/admin/keys"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) throw new IllegalStateException("POST /admin/keys: " + response.body());
        return JSON.readTree(response.body()).get("key").asText();
    }
}
