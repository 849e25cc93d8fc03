package dev.anvil.gateway.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionCreateParams;
import dev.anvil.gateway.live.ServedExchange;
import dev.anvil.gateway.testing.GatewayClients;
import dev.anvil.gateway.testing.GatewayDataDir;
import dev.anvil.llm.generate.FinishReason;
import dev.anvil.llm.generate.Generation;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.anvil.gateway.testing.GatewayClients.admin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The traffic store on the real gateway: requests answered through the OpenAI SDK are kept encrypted (the database
 * holds no prompt text), read back decrypted through the admin API in the dataset-service's formats, bounded per
 * version, expired, and rows of another key or moved between rows are counted rather than served. The test profile
 * sets the key, a 0.1 s flush interval and 8 samples per version.
 */
@QuarkusTest
@QuarkusTestResource(GatewayDataDir.class)
class TrafficStoreTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_PER_VERSION = 8;

    @TestHTTPResource("/v1")
    URL v1;
    @Inject
    Event<ServedExchange> exchanges;
    @Inject
    TrafficStore store;
    @Inject
    TrafficSamples samples;
    @Inject
    DataSource database;

    OpenAIClient client;
    String suffix;

    @BeforeEach
    void setUp() {
        GatewayClients.awaitReady();
        client = GatewayClients.sdk(v1);
        suffix = UUID.randomUUID().toString().substring(0, 8);
    }

    /** The golden adapter as a version of its own, under a route of the same name: samples nobody else writes. */
    static String routedVersion(String id) {
        return GatewayClients.routedGoldenVersion(id);
    }

    static JsonNode traffic(String version, String query) throws IOException {
        String body = admin().get("/admin/versions/" + version + "/traffic" + query).then().statusCode(200)
                .contentType("application/json").extract().asString();
        return JSON.readTree(body);
    }

    /**
     * Waits until {@code n} samples of {@code version} can be read (the writer runs every 0.1 s); a version known
     * only by its samples is 404 until the first is written.
     */
    static JsonNode awaitSamples(String version, int n) {
        JsonNode[] page = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (admin().get("/admin/versions/" + version + "/traffic?limit=1").statusCode() == 404) return false;
            page[0] = traffic(version, "?limit=1000");
            return page[0].get("samples").size() + page[0].get("undecryptable").asInt() >= n;
        });
        return page[0];
    }

    /** An answered completion as the serving path hands it on, without the engine. */
    static ServedExchange exchange(String version, String responseId, Instant created, String prompt) {
        return new ServedExchange(responseId, version, version, created,
                ServedExchange.Prompt.ofCompletion(prompt, new int[]{1}),
                List.of(new Generation(new int[]{2}, "an answer to " + prompt, FinishReason.STOP,
                        new Generation.Usage(1, 1))));
    }

    @Test
    void answeredRequestsAreKeptEncryptedAndReadBackInTheDatasetFormats() throws Exception {
        String version = routedVersion("traffic-" + suffix);
        Instant start = Instant.now().minusSeconds(1);
        Map<String, JsonNode> expected = new HashMap<>();
        for (String question : List.of("Where does the lighthouse keeper sleep", "Why do the gulls follow boats")) {
            ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(version).addSystemMessage("You answer in one line.").addUserMessage(question)
                    .maxTokens(8).temperature(0.0).build());
            expected.put(answer.id(), JSON.createObjectNode().set("messages", JSON.valueToTree(List.of(
                    Map.of("role", "system", "content", "You answer in one line."),
                    Map.of("role", "user", "content", question),
                    Map.of("role", "assistant",
                            "content", answer.choices().get(0).message().content().orElseThrow())))));
        }
        for (String prompt : List.of("The harbour at dawn", "Salt on the windows")) {
            var answer = client.completions().create(CompletionCreateParams.builder().model(version).prompt(prompt)
                    .maxTokens(8).temperature(0.0).build());
            expected.put(answer.id(), JSON.createObjectNode().put("prompt", prompt)
                    .put("completion", answer.choices().get(0).text()));
        }
        var two = client.completions().create(CompletionCreateParams.builder().model(version)
                .prompt("Two boats").maxTokens(6).temperature(0.9).seed(7L).n(2).build());
        expected.put(two.id(), JSON.createObjectNode().put("prompt", "Two boats")
                .put("completion", two.choices().get(0).text())
                .set("choices", JSON.valueToTree(List.of(two.choices().get(0).text(), two.choices().get(1).text()))));

        JsonNode page = awaitSamples(version, 5);
        assertEquals(version, page.get("version").asText());
        assertEquals(0, page.get("undecryptable").asInt());
        assertEquals(5, page.get("samples").size());
        Instant previous = Instant.MAX;
        for (JsonNode sample : page.get("samples")) {
            String id = sample.get("responseId").asText();
            assertEquals(expected.get(id), sample.get("record"), "the record of " + id);
            assertEquals(version, sample.get("model").asText());
            Instant created = Instant.parse(sample.get("createdAt").asText());
            assertFalse(created.isAfter(previous), "newest first");
            assertFalse(created.isBefore(start.minusSeconds(1)));
            previous = created;
        }

        // Read two rows at a time: the pages meet without a gap or a repeat (answers of one second tie on createdAt).
        List<String> ids = new ArrayList<>();
        page.get("samples").forEach(s -> ids.add(s.get("responseId").asText()));
        assertEquals(ids, samples.page(samples.query(version, "1000", null, null, null), 2).samples().stream()
                .map(TrafficPage.Sample::responseId).toList());

        // At rest: nothing of the prompts in the rows, a nonce of 12 bytes each, the configured key's id.
        List<byte[]> ciphertexts = new ArrayList<>();
        try (Connection c = database.getConnection(); PreparedStatement q = c.prepareStatement(
                "SELECT ciphertext, nonce, key_id FROM traffic_sample WHERE version_id = ?")) {
            q.setString(1, version);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    ciphertexts.add(rows.getBytes(1));
                    assertEquals(12, rows.getBytes(2).length);
                    assertEquals(store.keyId(), rows.getString(3));
                }
            }
        }
        assertEquals(5, ciphertexts.size());
        for (byte[] ciphertext : ciphertexts) {
            for (String clear : List.of("lighthouse", "gulls", "harbour", "Salt on", "one line")) {
                assertFalse(new String(ciphertext, StandardCharsets.UTF_8).contains(clear));
                assertFalse(new String(ciphertext, StandardCharsets.ISO_8859_1).contains(clear));
            }
        }

        // The records alone, one a line, for a dataset upload; limit and since narrow them.
        List<JsonNode> records = ndjson(version, "");
        assertEquals(5, records.size());
        assertTrue(records.containsAll(expected.values()), records.toString());
        // At most 2: a page does not end inside a second, and these answers share one or two.
        JsonNode newest = traffic(version, "?limit=2");
        assertTrue(newest.get("samples").size() >= 1 && newest.get("samples").size() <= 2, newest.toString());
        assertTrue(newest.has("next"), "more samples are older");
        assertEquals(0, traffic(version, "?since=" + Instant.now().plusSeconds(5)).get("samples").size());
        assertEquals(5, traffic(version, "?since=" + start.minusSeconds(1)).get("samples").size());
    }

    static void rate(String responseId, String rating, String correction) {
        Map<String, String> body = new HashMap<>(Map.of("id", responseId, "rating", rating));
        if (correction != null) body.put("correction", correction);
        GatewayClients.api().contentType("application/json").body(body).post("/v1/feedback").then().statusCode(201);
    }

    static List<JsonNode> ndjson(String version, String query) throws IOException {
        String lines = admin().accept("application/x-ndjson").get("/admin/versions/" + version + "/traffic" + query)
                .then().statusCode(200).contentType("application/x-ndjson").extract().asString();
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines.split("\n")) if (!line.isEmpty()) records.add(JSON.readTree(line));
        return records;
    }

    @Test
    void feedbackApplyServesCorrectionsAndLeavesOutAnswersRatedDownWithoutOne() throws Exception {
        String version = routedVersion("rated-" + suffix);
        String corrected = client.chat().completions().create(ChatCompletionCreateParams.builder().model(version)
                .addUserMessage("Where is Canberra").maxTokens(8).temperature(0.0).build()).id();
        String wrong = client.chat().completions().create(ChatCompletionCreateParams.builder().model(version)
                .addUserMessage("Where is Sydney").maxTokens(8).temperature(0.0).build()).id();
        String liked = client.completions().create(CompletionCreateParams.builder().model(version)
                .prompt("The harbour at dawn").maxTokens(8).temperature(0.0).build()).id();
        String twoCorrected = client.completions().create(CompletionCreateParams.builder().model(version)
                .prompt("Two boats").maxTokens(6).temperature(0.9).seed(7L).n(2).build()).id();
        String unrated = client.completions().create(CompletionCreateParams.builder().model(version)
                .prompt("Salt on the windows").maxTokens(8).temperature(0.0).build()).id();
        rate(corrected, "up", null); // replaced below: the latest rating counts
        rate(corrected, "down", "In the Australian Capital Territory.");
        rate(wrong, "down", null);
        rate(liked, "up", null);
        rate(twoCorrected, "down", "Two boats sail home.");
        JsonNode kept = awaitSamples(version, 5);

        // keep (the default): the records as answered, each rated one with its rating.
        Map<String, JsonNode> asAnswered = new HashMap<>();
        for (JsonNode sample : kept.get("samples")) asAnswered.put(sample.get("responseId").asText(), sample);
        assertEquals(5, asAnswered.size());
        assertEquals(JSON.readTree("{\"rating\": -1, \"correction\": \"In the Australian Capital Territory.\"}"),
                asAnswered.get(corrected).get("feedback"));
        assertEquals(JSON.readTree("{\"rating\": -1, \"correction\": null}"), asAnswered.get(wrong).get("feedback"));
        assertEquals(1, asAnswered.get(liked).get("feedback").get("rating").asInt());
        assertFalse(asAnswered.get(unrated).has("feedback"));
        assertFalse(kept.has("corrected") || kept.has("leftOut"), kept.toString());
        assertEquals(kept, traffic(version, "?limit=1000&feedback=keep"));

        // apply: the correction in place of the answer, the answer rated down without one left out.
        JsonNode applied = traffic(version, "?limit=1000&feedback=apply");
        assertEquals(2, applied.get("corrected").asInt());
        assertEquals(1, applied.get("leftOut").asInt());
        assertEquals(0, applied.get("undecryptable").asInt());
        Map<String, JsonNode> ready = new HashMap<>();
        for (JsonNode sample : applied.get("samples")) ready.put(sample.get("responseId").asText(), sample.get("record"));
        assertEquals(List.of(corrected, liked, twoCorrected, unrated).stream().sorted().toList(),
                ready.keySet().stream().sorted().toList());
        JsonNode chat = ready.get(corrected);
        JsonNode expectedChat = asAnswered.get(corrected).get("record").deepCopy();
        ((ObjectNode) expectedChat.get("messages").get(1))
                .put("content", "In the Australian Capital Territory.");
        assertEquals(expectedChat, chat);
        assertEquals(JSON.createObjectNode().put("prompt", "Two boats").put("completion", "Two boats sail home."),
                ready.get(twoCorrected), "the completion replaced, the model's choices gone");
        assertEquals(asAnswered.get(liked).get("record"), ready.get(liked));
        assertEquals(asAnswered.get(unrated).get("record"), ready.get(unrated));

        // The JSON Lines form the same, in the same order.
        List<JsonNode> records = new ArrayList<>();
        applied.get("samples").forEach(sample -> records.add(sample.get("record")));
        assertEquals(records, ndjson(version, "?limit=1000&feedback=apply"));
        assertEquals(5, ndjson(version, "?feedback=keep").size());

        for (String bad : List.of("drop", "APPLY")) {
            admin().get("/admin/versions/" + version + "/traffic?feedback=" + bad).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("query parameter feedback '" + bad + "' must be keep or apply"));
        }
    }

    @Test
    void pagesGoBackInTimeWithBeforeAndNeverEndInsideAnInstant() throws IOException {
        String version = "paged-" + suffix;
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        // Newest first: one at t+5, three at t+4, two at t+3, two at t+2 (the cap is 8).
        int[] seconds = {2, 2, 3, 3, 4, 4, 4, 5};
        for (int i = 0; i < seconds.length; i++) {
            exchanges.fire(exchange(version, "cmpl-" + suffix + "-" + i, t.plusSeconds(seconds[i]), "prompt " + i));
        }
        awaitSamples(version, seconds.length);

        List<String> read = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String before = "";
        for (int guard = 0; guard < 10; guard++) {
            JsonNode page = traffic(version, "?limit=3" + before);
            page.get("samples").forEach(s -> read.add(s.get("responseId").asText()));
            sizes.add(page.get("samples").size());
            String next = page.has("next") ? page.get("next").asText() : null;
            String header = admin().accept("application/x-ndjson").get("/admin/versions/" + version + "/traffic?limit=3"
                    + before).then().statusCode(200).extract().header("x-anvil-next-before");
            assertEquals(next == null ? null : Instant.parse(next), header == null ? null : Instant.parse(header));
            if (next == null) break;
            before = "&before=" + next;
        }
        assertEquals(List.of(1, 3, 2, 2), sizes, "a page that would end inside t+4 and t+3 stops before it");
        List<String> all = new ArrayList<>();
        for (int i = seconds.length - 1; i >= 0; i--) all.add("cmpl-" + suffix + "-" + i);
        assertEquals(all, read, "every sample once, newest first");

        // More samples at one instant than the limit: the page holds limit of them, and the next starts before it.
        JsonNode crowded = traffic(version, "?limit=2&before=" + t.plusSeconds(5));
        assertEquals(2, crowded.get("samples").size());
        assertEquals(t.plusSeconds(4), Instant.parse(crowded.get("next").asText()));
        admin().get("/admin/versions/" + version + "/traffic?before=soon").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("query parameter before"));
    }

    @Test
    void eachVersionKeepsItsNewestSamplesUpToTheCap() {
        String version = "capped-" + suffix;
        Instant base = Instant.now().minusSeconds(60); // in nanoseconds where the clock has them
        for (int i = 0; i < 12; i++) {
            exchanges.fire(exchange(version, "cmpl-" + suffix + "-" + i, base.plusSeconds(i), "prompt " + i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew().call(() ->
                TrafficSample.count("responseId", "cmpl-" + suffix + "-11") == 1
                        && TrafficSample.count("versionId", version) == MAX_PER_VERSION));
        List<String> kept = new ArrayList<>();
        for (int i = 11; i >= 12 - MAX_PER_VERSION; i--) kept.add("cmpl-" + suffix + "-" + i);
        assertEquals(kept, admin().get("/admin/versions/" + version + "/traffic").then().statusCode(200)
                .extract().jsonPath().getList("samples.responseId"), "the newest 8, newest first");
    }

    @Test
    void expiredSamplesAreNotReadAndArePurged() throws IOException {
        String version = "expiring-" + suffix;
        exchanges.fire(exchange(version, "cmpl-" + suffix + "-old", Instant.now(), "old"));
        exchanges.fire(exchange(version, "cmpl-" + suffix + "-new", Instant.now(), "new"));
        awaitSamples(version, 2);
        QuarkusTransaction.requiringNew().run(() -> TrafficSample.update("expiresAt = ?1 where responseId = ?2",
                Instant.now().minusSeconds(1), "cmpl-" + suffix + "-old"));

        JsonNode page = traffic(version, "");
        assertEquals(1, page.get("samples").size(), "past its expiry a sample is not read, purged or not");
        assertEquals("cmpl-" + suffix + "-new", page.get("samples").get(0).get("responseId").asText());
        assertTrue(store.purgeExpired(Instant.now()) >= 1);
        assertEquals(0, QuarkusTransaction.requiringNew().call(() ->
                TrafficSample.count("responseId", "cmpl-" + suffix + "-old")));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> TrafficSample.count("versionId", version)));
    }

    @Test
    void rowsOfAnotherKeyOrMovedCiphertextsAreCountedNotServed() throws IOException {
        String version = "rekeyed-" + suffix;
        for (String n : List.of("a", "b", "c")) {
            exchanges.fire(exchange(version, "cmpl-" + suffix + "-" + n, Instant.now(), "prompt " + n));
        }
        awaitSamples(version, 3);
        QuarkusTransaction.requiringNew().run(() -> {
            TrafficSample.update("keyId = 'deadbeef' where responseId = ?1", "cmpl-" + suffix + "-a");
            TrafficSample b = TrafficSample.find("responseId", "cmpl-" + suffix + "-b").firstResult();
            TrafficSample c = TrafficSample.find("responseId", "cmpl-" + suffix + "-c").firstResult();
            c.nonce = b.nonce;
            c.ciphertext = b.ciphertext;
        });
        JsonNode page = traffic(version, "");
        assertEquals(2, page.get("undecryptable").asInt());
        assertEquals(1, page.get("samples").size());
        assertEquals("an answer to prompt b", page.get("samples").get(0).get("record").get("completion").asText());
    }

    @Test
    void aLongSampleIsCutToTheBudgetAndMarked() throws IOException {
        String version = "long-" + suffix;
        exchanges.fire(exchange(version, "cmpl-" + suffix, Instant.now(), "w".repeat(50_000)));
        JsonNode record = awaitSamples(version, 1).get("samples").get(0).get("record");
        assertTrue(record.get("truncated").asBoolean());
        assertEquals(16_000, record.get("prompt").asText().length(), "two long texts share max-sample-chars, 32000");
        assertEquals(16_000, record.get("completion").asText().length());
    }

    @Test
    void theQueryIsCheckedAndAnUnknownVersionIsNotFound() {
        String version = GatewayDataDir.MODEL; // a base model: a version without a row, known all the same
        for (String limit : List.of("0", "5000", "-1", "ten")) {
            admin().get("/admin/versions/" + version + "/traffic?limit=" + limit).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", containsString("query parameter limit '" + limit
                            + "' must be a whole number in 1..1000"));
        }
        admin().get("/admin/versions/" + version + "/traffic?since=yesterday").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("query parameter since"));
        admin().get("/admin/versions/" + version + "/traffic?limit=1000").then().statusCode(200)
                .body("version", equalTo(version));
        admin().get("/admin/versions/no-such-" + suffix + "/traffic").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no-such-" + suffix));
        given().get("/admin/versions/" + version + "/traffic").then().statusCode(401);
    }
}
