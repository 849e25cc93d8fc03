package dev.anvil.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.events.records.CanonicalRecord;
import dev.anvil.events.records.CanonicalRecordReader;
import dev.anvil.events.records.CanonicalRecordWriter;
import dev.anvil.llm.data.Conversation;
import dev.anvil.llm.data.ExampleEncoder;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.data.TokenizedExample;
import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.generate.GenerationRequest;
import dev.anvil.llm.generate.SamplingParams;
import dev.anvil.llm.generate.TextGenerator;
import dev.anvil.llm.generate.TokenListener;
import dev.anvil.llm.lora.LoraAdapter;
import dev.anvil.llm.model.LlamaModel;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.score.Scorer;
import dev.anvil.llm.text.ChatMessage;
import dev.anvil.llm.text.ChatTemplate;
import dev.anvil.llm.text.Tokenizer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluation throughput through the eval-service against the engine called directly in this JVM, on the same work.
 * Run by {@code scripts/bench-eval.sh}, which starts the service.
 *
 * <pre>java ... EvalBenchmark &lt;service url&gt; &lt;data dir&gt; &lt;model&gt; &lt;adapter path, data-dir relative&gt;
 *     &lt;dataset&gt; &lt;version&gt; [examples=256] [maxNewTokens=32] [repeats=3]</pre>
 *
 * <p>Writes the dataset version first ({@code examples} templated colour questions as the validation split, in
 * canonical form), then warms both paths up (JIT, libtorch), then repeats, each time:
 * <ul>
 * <li><b>raw load</b>: what the service does per evaluation before it scores: load the model, the adapter and the
 *     tokenizer (twice, once per side), timed on its own.</li>
 * <li><b>perplexity, raw and service alternating 3 times</b> (a pass takes about a second, so medians are compared).
 *     Raw: the candidate (base + adapter) and the baseline (the same base, adapter off) each encode (training's
 *     {@link ExampleEncoder}, loss on the assistant, 512 tokens capped by the context) and score
 *     ({@link Scorer#scoreLabelled}) every example in chunks of 16, as {@code EvaluationRun} does; the model is loaded
 *     once, outside the timing. Service: {@code POST /evaluations} with generation disabled, until a
 *     {@code GET /evaluations/{id}} sees it completed; its wall time includes the HTTP calls, queueing, reading the
 *     split, loading the model, scoring both sides, writing the per-example results and the final GET (with every
 *     example). Rate = examples / seconds, one example being scored by both sides.</li>
 * <li><b>generation</b>. Raw: both sides answer each prompt greedily ({@link TextGenerator}, batches of 16, the
 *     service's sampling parameters and room in the context). Service: the same evaluation with greedy generation;
 *     its generation rate = examples / (its wall time - the median perplexity-only wall time), i.e. what generation
 *     adds end to end (the generation metrics and the answers' storage included).</li>
 * </ul>
 * The service's own timings are read back too: {@code scoringSeconds} and {@code generationSeconds} of both sides
 * (the engine's work inside the service: the "in service" rates), and {@code createdAt}/{@code startedAt}/
 * {@code finishedAt} (queueing, and the runner's time from claiming the evaluation to writing its results). Every
 * greedy answer of the service is compared with the raw one (the same work: the count of differences is printed).
 *
 * <p>Polling: the client sleeps through {@code bench.first-poll} (0.8) of the raw time of the same work, then polls
 * every {@code bench.poll-ms} (10) ms, so that its GETs neither compete for the two cores during the run nor add
 * more than 10 ms of granularity.
 */
public final class EvalBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 16;
    /** How often the client asks whether an evaluation completed ({@code -Dbench.poll-ms}). */
    private static final long POLL_MILLIS = Long.getLong("bench.poll-ms", 10);
    /**
     * The client's first GET comes after this fraction of the time the same work took raw ({@code -Dbench.first-poll},
     * 0: poll from the start): polling a 2-core machine every few milliseconds throughout slows the evaluation it waits
     * for (measured: the service's own scoring 0.75-0.84 of raw with a GET every 20 ms, 0.89-1.01 every 250 ms).
     */
    private static final double FIRST_POLL = Double.parseDouble(System.getProperty("bench.first-poll", "0.8"));
    private static final int SCORING_ROUNDS = 3;
    private static final int MAX_SEQ_LENGTH = 512;
    private static final String[][] THINGS = {
            {"a tomato", "red"}, {"a cloud", "white"}, {"ink", "black"}, {"a lime", "green"}, {"the sky", "blue"},
            {"grass", "green"}, {"snow", "white"}, {"coal", "black"}, {"a banana", "yellow"}, {"a cherry", "red"},
            {"a carrot", "orange"}, {"milk", "white"}, {"a lemon", "yellow"}, {"an emerald", "green"},
            {"a ruby", "red"}, {"a sapphire", "blue"}, {"chocolate", "brown"}, {"a pumpkin", "orange"},
            {"a raven", "black"}, {"a flamingo", "pink"}, {"an eggplant", "purple"}, {"the sun", "yellow"},
            {"a strawberry", "red"}, {"the sea", "blue"}, {"a frog", "green"}, {"an orange", "orange"},
            {"a swan", "white"}, {"soil", "brown"}, {"a plum", "purple"}, {"a pig", "pink"}, {"gold", "yellow"},
            {"a crow", "black"}};
    /** Question and answer, {@code %1$s} the thing and {@code %2$s} its colour. */
    private static final String[][] TEMPLATES = {
            {"What is the color of %1$s?", "The color of %1$s is %2$s."},
            {"What colour is %1$s?", "It is %2$s."},
            {"Tell me the color of %1$s.", "The color of %1$s is %2$s."},
            {"Which color does %1$s have?", "It has the color %2$s."},
            {"Name the color of %1$s.", "%2$s."},
            {"Describe the color of %1$s in one word.", "%2$s"},
            {"If you saw %1$s, what color would it be?", "It would be %2$s."},
            {"What color do people say %1$s is?", "People say it is %2$s."}};

    record Side(String label, Scorer scorer, TextGenerator generator, String adapter) {
    }

    /** One service evaluation as measured from here and as the service reports it. */
    record ServiceRun(String id, double wallSeconds, double queueSeconds, double runnerSeconds, double scoringSeconds,
                      double generationSeconds, double lastGetSeconds, int examples, JsonNode view) {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path dataDir = Path.of(args[1]).toAbsolutePath();
        String modelName = args[2], adapterPath = args[3], dataset = args[4], version = args[5];
        int examples = args.length > 6 ? Integer.parseInt(args[6]) : 256;
        int maxNewTokens = args.length > 7 ? Integer.parseInt(args[7]) : 32;
        int repeats = args.length > 8 ? Integer.parseInt(args[8]) : 3;

        Path validation = writeDataset(dataDir.resolve("datasets").resolve(dataset).resolve(version), examples);
        List<Conversation> conversations = read(validation, examples);
        Path modelDir = dataDir.resolve("models").resolve(modelName);

        Tokenizer tokenizer = Tokenizer.load(modelDir);
        LlamaModel model = LlamaModel.load(modelDir, LoadOptions.defaults());
        LoraAdapter.load(dataDir.resolve(adapterPath), "candidate").attachTo(model);
        int context = model.config().maxPositions();
        ExampleEncoder encoder = new ExampleEncoder(tokenizer, ChatTemplate.forTokenizer(tokenizer), LossOn.ASSISTANT,
                Math.min(MAX_SEQ_LENGTH, context));
        TextGenerator generator = new TextGenerator(model, tokenizer);
        List<Side> sides = List.of(
                new Side("candidate", new Scorer(model).withAdapter("candidate"), generator, "candidate"),
                new Side("baseline", new Scorer(model), generator, null));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Service service = new Service(http, url, modelName, adapterPath, dataset, version);

        int tokens = 0;
        for (Conversation c : conversations) tokens += encoder.encode(c).length();
        System.out.printf(Locale.ROOT, "%s + %s, %d validation examples (%.1f tokens each rendered), greedy answers of "
                        + "at most %d new tokens, both sides (candidate with adapter, baseline without); %d cores, "
                        + "load average %.2f%n", modelName, adapterPath, conversations.size(),
                (double) tokens / conversations.size(), maxNewTokens, Runtime.getRuntime().availableProcessors(),
                loadAverage());

        // Warm-up: JIT and libtorch on both paths.
        score(sides, encoder, conversations.subList(0, Math.min(32, conversations.size())));
        generate(sides, conversations.subList(0, Math.min(16, conversations.size())), maxNewTokens, context);
        service.run(Math.min(32, conversations.size()), false, maxNewTokens, 0);
        service.run(Math.min(16, conversations.size()), true, maxNewTokens, 0);

        double n = conversations.size();
        List<String[]> rows = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            System.out.printf(Locale.ROOT, "%n== run %d (load average %.2f)%n", r, loadAverage());
            // Perplexity: short, so raw and service alternate SCORING_ROUNDS times and the medians are compared.
            List<Double> rawScores = new ArrayList<>();
            List<ServiceRun> perplexityRuns = new ArrayList<>();
            for (int k = 0; k < SCORING_ROUNDS; k++) {
                rawScores.add(score(sides, encoder, conversations));
                perplexityRuns.add(service.run(conversations.size(), false, maxNewTokens, rawScores.get(k)));
            }
            double rawScore = median(rawScores);
            ServiceRun a = perplexityRuns.stream().sorted(java.util.Comparator.comparingDouble(ServiceRun::wallSeconds))
                    .toList().get(SCORING_ROUNDS / 2);
            long rawStart = System.nanoTime();
            List<List<String>> rawAnswers = generate(sides, conversations, maxNewTokens, context);
            double rawGenerate = (System.nanoTime() - rawStart) / 1e9;
            ServiceRun b = service.run(conversations.size(), true, maxNewTokens, a.wallSeconds() + rawGenerate);
            int different = different(b.view(), conversations, rawAnswers);
            // Last, and its garbage collected at once: a freshly loaded model's native memory freed by the collector
            // while the service runs would slow the service's side of the comparison.
            double load = load(modelDir, dataDir.resolve(adapterPath));
            System.gc();
            for (ServiceRun s : perplexityRuns) requireAll(s, conversations.size());
            requireAll(b, conversations.size());

            double servicePpl = n / a.wallSeconds(), rawPpl = n / rawScore;
            double serviceGen = n / (b.wallSeconds() - a.wallSeconds()), rawGen = n / rawGenerate;
            double insidePpl = n / a.scoringSeconds(), insideGen = n / b.generationSeconds();
            System.out.printf(Locale.ROOT, "raw engine: load %.3f s; perplexity %s s (median %.3f), %.1f examples/s; "
                            + "generation %.3f s, %.1f examples/s%n", load,
                    rawScores.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList(), rawScore, rawPpl,
                    rawGenerate, rawGen);
            for (ServiceRun s : perplexityRuns) print(s == a ? "(perplexity, median)" : "(perplexity)", s);
            print("(with generation)", b);
            System.out.printf(Locale.ROOT, "service end to end: perplexity %.1f examples/s (ratio %.2f); generation "
                            + "%.1f examples/s (ratio %.2f); inside the service: scoring %.1f examples/s (ratio %.2f), "
                            + "generation %.1f examples/s (ratio %.2f); greedy answers different from raw: %d of %d%n",
                    servicePpl, servicePpl / rawPpl, serviceGen, serviceGen / rawGen, insidePpl, insidePpl / rawPpl,
                    insideGen, insideGen / rawGen, different, 2 * conversations.size());
            rows.add(new String[]{String.valueOf(r), f(rawPpl), f(servicePpl), f2(servicePpl / rawPpl), f(insidePpl),
                    f2(insidePpl / rawPpl), f(rawGen), f(serviceGen), f2(serviceGen / rawGen), f(insideGen),
                    f2(insideGen / rawGen), String.format(Locale.ROOT, "%.3f", load),
                    String.format(Locale.ROOT, "%.3f", a.runnerSeconds() - a.scoringSeconds()),
                    String.format(Locale.ROOT, "%.3f", a.wallSeconds() - a.runnerSeconds())});
        }
        System.out.printf("%nexamples/s (one example = scored, or answered, by both sides); ratio = service / raw; "
                + "'in svc' = the service's own scoringSeconds/generationSeconds; 'svc load+io' = runner time of the "
                + "perplexity-only evaluation outside scoring (read split, load model, write results); 'svc http+queue' = its "
                + "wall time outside the runner (POST, queueing, commit, the final GET)%n");
        System.out.println("| run | ppl raw | ppl service | ratio | ppl in svc | ratio | gen raw | gen service | ratio "
                + "| gen in svc | ratio | raw load s | svc load+io s | svc http+queue s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String[] row : rows) System.out.println("| " + String.join(" | ", row) + " |");
    }

    static void print(String what, ServiceRun s) {
        System.out.printf(Locale.ROOT, "service %-21s: wall %.3f s = queue %.3f + runner %.3f (scoring %.3f + "
                        + "generation %.3f + read/load/metrics/write %.3f) + POST/commit/polling %.3f + final GET %.3f%n", what,
                s.wallSeconds(), s.queueSeconds(), s.runnerSeconds(), s.scoringSeconds(), s.generationSeconds(),
                s.runnerSeconds() - s.scoringSeconds() - s.generationSeconds(),
                s.wallSeconds() - s.queueSeconds() - s.runnerSeconds() - s.lastGetSeconds(), s.lastGetSeconds());
    }

    static void requireAll(ServiceRun s, int examples) {
        if (s.examples() != examples) {
            throw new IllegalStateException("different work: the service scored " + s.examples() + " examples, not "
                    + examples);
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Each side scores every conversation, encoded in chunks of 16 as the service does; seconds of both sides. */
    static double score(List<Side> sides, ExampleEncoder encoder, List<Conversation> conversations) {
        long start = System.nanoTime();
        for (Side side : sides) {
            for (int from = 0; from < conversations.size(); from += CHUNK) {
                List<TokenizedExample> chunk = new ArrayList<>();
                for (Conversation c : conversations.subList(from, Math.min(from + CHUNK, conversations.size()))) {
                    TokenizedExample e = encoder.encode(c);
                    if (e.hasTarget()) chunk.add(e);
                }
                if (!chunk.isEmpty()) side.scorer().scoreLabelled(chunk);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Each side's greedy answers in batches of 16, with the service's sampling parameters and room. */
    static List<List<String>> generate(List<Side> sides, List<Conversation> conversations, int maxNewTokens,
                                       int context) {
        List<List<String>> out = new ArrayList<>();
        for (Side side : sides) {
            List<String> answers = new ArrayList<>();
            for (int from = 0; from < conversations.size(); from += CHUNK) {
                List<GenerationRequest> batch = new ArrayList<>();
                for (int i = from; i < Math.min(from + CHUNK, conversations.size()); i++) {
                    int[] prompt = side.generator().encodeChat(prompt(conversations.get(i)));
                    int room = Math.min(maxNewTokens, context - prompt.length);
                    if (room < 1) throw new IllegalStateException("example " + i + " leaves no room to answer");
                    batch.add(new GenerationRequest(prompt, SamplingParams.defaults().withTemperature(0.0)
                            .withTopP(1.0).withMaxTokens(room).withSeed(i), side.adapter()));
                }
                for (Generation g : side.generator().generate(batch, TokenListener.NONE)) answers.add(g.text().strip());
            }
            out.add(answers);
        }
        return out;
    }

    /** What the service loads per evaluation: the model, the adapter, and the tokenizer once per side. */
    static double load(Path modelDir, Path adapterDir) {
        long start = System.nanoTime();
        LlamaModel model = LlamaModel.load(modelDir, LoadOptions.defaults());
        LoraAdapter.load(adapterDir, "candidate").attachTo(model);
        Tokenizer.load(modelDir);
        Tokenizer.load(modelDir);
        return (System.nanoTime() - start) / 1e9;
    }

    /** Answers of the service's evaluation that differ from the raw ones (candidate and baseline), by line. */
    static int different(JsonNode view, List<Conversation> conversations, List<List<String>> raw) {
        java.util.Map<Long, JsonNode> byLine = new java.util.HashMap<>();
        for (JsonNode e : view.get("examples")) byLine.put(e.get("line").asLong(), e);
        int n = 0;
        for (int i = 0; i < conversations.size(); i++) {
            JsonNode e = byLine.get(conversations.get(i).line());
            if (e == null || !raw.get(0).get(i).equals(e.path("candidateOutput").asText(null))) n++;
            if (e == null || !raw.get(1).get(i).equals(e.path("baselineOutput").asText(null))) n++;
        }
        return n;
    }

    private static List<ChatMessage> prompt(Conversation c) {
        List<ChatMessage> messages = c.messages();
        int last = messages.size() - 1;
        while (!messages.get(last).role().equals("assistant")) last--;
        return messages.subList(0, last);
    }

    /** The validation split (and the same records as train split) of {@code n} templated colour questions. */
    static Path writeDataset(Path version, int n) throws IOException {
        Files.createDirectories(version);
        List<CanonicalRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] thing = THINGS[i % THINGS.length];
            String[] template = TEMPLATES[(i / THINGS.length) % TEMPLATES.length];
            String answer = String.format(template[1], thing[0], thing[1]);
            answer = Character.toUpperCase(answer.charAt(0)) + answer.substring(1);
            records.add(new CanonicalRecord(List.of(
                    new CanonicalRecord.Message(CanonicalRecord.USER, String.format(template[0], thing[0])),
                    new CanonicalRecord.Message(CanonicalRecord.ASSISTANT, answer)), "openai"));
        }
        for (String split : new String[]{"train.jsonl", "validation.jsonl"}) {
            try (CanonicalRecordWriter out = CanonicalRecordWriter.create(version.resolve(split))) {
                for (CanonicalRecord r : records) out.write(r);
                out.commit();
            }
        }
        return version.resolve("validation.jsonl");
    }

    static List<Conversation> read(Path validation, int limit) throws IOException {
        List<Conversation> out = new ArrayList<>();
        try (CanonicalRecordReader in = CanonicalRecordReader.open(validation)) {
            for (CanonicalRecordReader.Numbered next; out.size() < limit && (next = in.next()) != null; ) {
                out.add(new Conversation(next.record().messages().stream()
                        .map(m -> new ChatMessage(m.role(), m.content())).toList(), next.line()));
            }
        }
        return out;
    }

    /** The eval-service's API, as a client sees it. */
    record Service(HttpClient http, String url, String model, String adapterPath, String dataset, String version) {
        /** One evaluation, from the POST to the GET that saw it completed; {@code expected}: seconds it takes raw. */
        ServiceRun run(int examples, boolean generation, int maxNewTokens, double expected) throws Exception {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("candidate").put("baseModel", model).put("adapterPath", adapterPath);
            body.putObject("dataset").put("name", dataset).put("version", version);
            body.put("maxExamples", examples);
            body.putObject("generation").put("enabled", generation).put("maxNewTokens", maxNewTokens)
                    .put("temperature", 0.0);
            HttpRequest post = HttpRequest.newBuilder(URI.create(url + "/evaluations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            long start = System.nanoTime();
            HttpResponse<String> posted = http.send(post, HttpResponse.BodyHandlers.ofString());
            if (posted.statusCode() != 202) {
                throw new IllegalStateException("POST /evaluations answered " + posted.statusCode() + ": " + posted.body());
            }
            String id = JSON.readTree(posted.body()).get("id").asText();
            HttpRequest get = HttpRequest.newBuilder(URI.create(url + "/evaluations/" + id)).GET().build();
            long deadline = start + Duration.ofMinutes(10).toNanos();
            long firstPoll = start + (long) (FIRST_POLL * expected * 1e9);
            while (System.nanoTime() < firstPoll) Thread.sleep(Math.max(1, (firstPoll - System.nanoTime()) / 1_000_000));
            while (true) {
                long getStart = System.nanoTime();
                HttpResponse<String> got = http.send(get, HttpResponse.BodyHandlers.ofString());
                JsonNode view = JSON.readTree(got.body());
                String status = view.path("status").asText();
                if (status.equals("completed")) {
                    long end = System.nanoTime();
                    double wall = (end - start) / 1e9;
                    JsonNode c = view.get("metrics").get("candidate"), b = view.get("metrics").get("baseline");
                    Instant created = Instant.parse(view.get("createdAt").asText());
                    Instant started = Instant.parse(view.get("startedAt").asText());
                    Instant finished = Instant.parse(view.get("finishedAt").asText());
                    return new ServiceRun(id, wall, seconds(created, started), seconds(started, finished),
                            c.path("scoringSeconds").asDouble() + b.path("scoringSeconds").asDouble(),
                            c.path("generationSeconds").asDouble(0) + b.path("generationSeconds").asDouble(0),
                            (end - getStart) / 1e9, c.path("examples").asInt(), view);
                }
                if (status.equals("failed")) throw new IllegalStateException("evaluation " + id + " failed: " + got.body());
                if (System.nanoTime() > deadline) throw new IllegalStateException("evaluation " + id + " still " + status);
                Thread.sleep(POLL_MILLIS);
            }
        }

        private static double seconds(Instant from, Instant to) {
            return Duration.between(from, to).toNanos() / 1e9;
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
