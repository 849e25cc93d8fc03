package dev.anvil.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.serve.BatchingEngine;
import dev.anvil.llm.serve.Delta;
import dev.anvil.llm.serve.DeltaSink;
import dev.anvil.llm.serve.ServeRequest;
import dev.anvil.llm.text.ChatMessage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Streaming throughput and time to first token through the gateway, against the same engine called directly in
 * this JVM ({@link BatchingEngine}, the gateway's own serving engine, same batching settings), on the same work:
 * {@code clients} concurrent clients, each sending {@code requests} streaming chat requests one after the other,
 * request i sampled with seed i, so both paths generate the same tokens. The ratio gateway / direct is what the
 * HTTP layer, JSON, SSE and the client cost. Run by {@code scripts/bench-gateway.sh}.
 *
 * <pre>java ... GatewayBenchmark &lt;gateway url&gt; &lt;api key&gt; &lt;model name&gt; &lt;model dir&gt; [clients ...]</pre>
 */
public final class GatewayBenchmark {
    private static final String PROMPT = "Tell me a story about the stars";
    private static final int MAX_TOKENS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One client's request: its tokens and when its first text came, from its start. */
    record Sample(int tokens, long firstTextNanos) {
    }

    /** What one level of concurrency measured. */
    record Result(int clients, int requests, long tokens, double seconds, List<Long> ttft) {
        double tokensPerSecond() {
            return tokens / seconds;
        }

        double ttftMillis(double quantile) {
            List<Long> sorted = new ArrayList<>(ttft);
            Collections.sort(sorted);
            int index = (int) Math.ceil(quantile * sorted.size()) - 1;
            return sorted.get(Math.max(0, index)) / 1e6;
        }
    }

    interface Client {
        Sample run(int seed) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], key = args[1], model = args[2];
        Path modelDir = Path.of(args[3]);
        List<Integer> levels = args.length > 4
                ? Stream.of(args).skip(4).map(Integer::parseInt).toList() : List.of(1, 8, 32);
        BatchingEngine engine = BatchingEngine.load(model, modelDir, LoadOptions.defaults(),
                BatchingEngine.Options.defaults());
        int[] prompt = engine.encodeChat(List.of(ChatMessage.user(PROMPT)));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Client direct = seed -> direct(engine, prompt, seed);
        Client gateway = seed -> gateway(http, url, key, model, seed);

        System.out.printf(Locale.ROOT, "prompt %d tokens, %d new tokens per request (temperature 0.8, seeded), "
                + "load average %.2f%n", prompt.length, MAX_TOKENS, loadAverage());
        run(direct, 4, 2);  // warm-up: JIT, libtorch, connections
        run(gateway, 4, 2);
        System.out.println("clients requests |   direct tok/s  ttft p50  p99 ms |  gateway tok/s  ttft p50  p99 ms | ratio");
        for (int clients : levels) {
            int requests = Math.max(4, 64 / clients);
            Result d = run(direct, clients, requests);
            Result g = run(gateway, clients, requests);
            if (d.tokens() != g.tokens()) {
                throw new IllegalStateException("different work: direct " + d.tokens() + " tokens, gateway " + g.tokens());
            }
            System.out.printf(Locale.ROOT, "%7d %8d | %14.1f %9.1f %5.1f | %14.1f %9.1f %5.1f | %5.2f%n", clients,
                    clients * requests, d.tokensPerSecond(), d.ttftMillis(0.5), d.ttftMillis(0.99),
                    g.tokensPerSecond(), g.ttftMillis(0.5), g.ttftMillis(0.99), g.tokensPerSecond() / d.tokensPerSecond());
        }
        engine.close();
    }

    /** {@code clients} threads, each sending {@code requests} requests back to back; seeds differ per request. */
    static Result run(Client client, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger seeds = new AtomicInteger();
        List<Future<List<Sample>>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Sample> samples = new ArrayList<>();
                for (int r = 0; r < requests; r++) samples.add(client.run(seeds.getAndIncrement()));
                return samples;
            }));
        }
        long tokens = 0;
        List<Long> ttft = new ArrayList<>();
        for (Future<List<Sample>> f : futures) {
            for (Sample s : f.get()) {
                tokens += s.tokens();
                ttft.add(s.firstTextNanos());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(clients, clients * requests, tokens, seconds, ttft);
    }

    static SamplingParams params(int seed) {
        return SamplingParams.defaults().withTemperature(0.8).withMaxTokens(MAX_TOKENS).withSeed(seed);
    }

    static Sample direct(BatchingEngine engine, int[] prompt, int seed) throws Exception {
        long start = System.nanoTime();
        long[] first = {-1};
        CompletableFuture<Generation> done = new CompletableFuture<>();
        engine.submit(new ServeRequest("bench-" + seed + "-" + start, prompt, params(seed), 1, null), new DeltaSink() {
            @Override
            public void onDelta(Delta delta) {
                if (first[0] < 0 && !delta.text().isEmpty()) first[0] = System.nanoTime() - start;
                if (delta.isLast()) done.complete(delta.finished());
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        Generation g = done.get(5, TimeUnit.MINUTES);
        return new Sample(g.usage().completionTokens(), first[0] < 0 ? System.nanoTime() - start : first[0]);
    }

    static Sample gateway(HttpClient http, String url, String key, String model, int seed) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("model", model).put("max_tokens", MAX_TOKENS)
                .put("temperature", 0.8).put("seed", seed).put("stream", true)
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("stream_options",
                        JSON.createObjectNode().put("include_usage", true))
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", PROMPT))));
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) throw new IllegalStateException("gateway answered " + response.statusCode());
        long first = -1;
        int tokens = -1;
        // Lean on purpose: the client shares the machine with the gateway, so it parses only the usage chunk.
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (first < 0 && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                first = System.nanoTime() - start;
            }
            if (line.contains("\"usage\":{")) {
                tokens = JSON.readTree(line.substring(6)).get("usage").get("completion_tokens").asInt();
            }
        }
        if (tokens < 0) throw new IllegalStateException("no usage chunk");
        return new Sample(tokens, first < 0 ? System.nanoTime() - start : first);
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
