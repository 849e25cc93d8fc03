package dev.anvil.trainer.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.trainer.testing.ColorDataset;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Experiment records, metrics curves and run comparison on real runs: two 4-step LoRA jobs on a dataset of their
 * own that differ only in learning rate, and a third that is refused (LoRA rank 0) before it starts. The runs are
 * made once for the whole class.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class ExperimentRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** sha256sum of the shared aidreams260K's config.json and model.safetensors, then of that listing. */
    private static final String AIDREAMS_SHA256 = "3500cfde1d32160e1e98a00035c28cb2d80b0dfecf8e50c899442c7c221df222";

    /** The runs: their own dataset (the database may hold earlier runs on PostgreSQL), A and B trained, C refused. */
    private record Runs(String dataset, String a, String b, String refused) {
    }

    private static Runs runs;

    @ConfigProperty(name = "anvil.data-dir")
    Path dataDir;

    @BeforeEach
    void dataDirectory() throws Exception {
        ServiceFixtures.prepare(dataDir);
    }

    private Runs runs() throws Exception {
        if (runs != null) return runs;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Runs made = new Runs("cmp-" + suffix, "a-" + suffix, "b-" + suffix, "c-" + suffix);
        ColorDataset.write(dataDir, made.dataset());
        ServiceFixtures.submit(ServiceFixtures.body(made.a(), made.dataset(), 1e-2, 4, "\"evalInterval\":2"));
        ServiceFixtures.submit(ServiceFixtures.body(made.b(), made.dataset(), 1e-4, 4, "\"evalInterval\":2"));
        // POST /jobs would answer 400; a request on Kafka is recorded as a failed job.
        ServiceFixtures.publish(ServiceFixtures.body(made.refused(), made.dataset(), 1e-2, 4, "\"evalInterval\":2")
                .replace("\"loraRank\":8", "\"loraRank\":0"));
        ServiceFixtures.awaitStatus(made.a(), "completed", Duration.ofSeconds(90));
        ServiceFixtures.awaitStatus(made.b(), "completed", Duration.ofSeconds(90));
        ServiceFixtures.awaitStatus(made.refused(), "failed", Duration.ofSeconds(30));
        runs = made;
        return made;
    }

    private static JsonNode getJson(String path) throws Exception {
        return JSON.readTree(given().get(path).then().statusCode(200).extract().asString());
    }

    /** The lines of a run's metrics.jsonl, as the recipe wrote them. */
    private List<JsonNode> metricsLines(String jobId) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("runs/" + jobId + "/metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    @Test
    void aFinishedJobShowsItsConfigLatestMetricsArtifactsAndTimings() throws Exception {
        String a = runs().a();
        JsonNode job = getJson("/jobs/" + a);
        assertEquals("completed", job.get("status").asText());

        JsonNode config = job.get("config");
        assertEquals("lora", config.get("method").asText());
        assertEquals(runs().dataset(), config.at("/dataset/name").asText());
        assertEquals(0.01, config.at("/hyperparameters/learningRate").asDouble(), 0.0);
        assertEquals("cosine", config.at("/hyperparameters/scheduler").asText(), "a default, filled in");
        assertEquals(8, config.at("/lora/rank").asInt());
        assertEquals(AIDREAMS_SHA256, job.get("baseModelSha256").asText());

        List<JsonNode> lines = metricsLines(a);
        assertEquals(4, lines.size());
        JsonNode last = lines.get(3);
        JsonNode latest = job.get("latest");
        assertEquals(4, latest.get("step").asLong());
        // Exact: the record and the log are written from the same double.
        assertEquals(last.get("train_loss").asDouble(), latest.get("trainLoss").asDouble(), 0.0);
        assertEquals(last.get("validation_loss").asDouble(), latest.get("validationLoss").asDouble(), 0.0);
        assertEquals(last.get("learning_rate").asDouble(), latest.get("learningRate").asDouble(), 0.0);
        assertEquals(last.get("tokens_per_second").asDouble(), latest.get("tokensPerSecond").asDouble(), 0.0);

        JsonNode artifacts = job.get("artifacts");
        assertEquals("runs/" + a + "/adapter", artifacts.get("adapter").asText());
        assertEquals("runs/" + a + "/best", artifacts.get("best").asText());
        assertEquals("runs/" + a + "/metrics.jsonl", artifacts.get("metrics").asText());
        assertTrue(Files.isRegularFile(dataDir.resolve(artifacts.get("adapter").asText())
                .resolve("adapter_model.safetensors")));
        assertTrue(Files.isDirectory(dataDir.resolve(artifacts.get("best").asText())));

        JsonNode result = job.get("result");
        assertEquals(4, result.get("steps").asLong());
        double bestInLog = lines.stream().filter(l -> l.has("validation_loss"))
                .mapToDouble(l -> l.get("validation_loss").asDouble()).min().orElseThrow();
        assertEquals(bestInLog, result.get("bestValidationLoss").asDouble(), 0.0);
        long bestStep = result.get("bestStep").asLong();
        assertEquals(bestInLog, lines.get((int) bestStep - 1).get("validation_loss").asDouble(), 0.0);
        assertEquals(last.get("train_loss").asDouble(), result.get("lastTrainLoss").asDouble(), 0.0);
        assertTrue(result.get("bestValidationLoss").asDouble() < result.get("initialValidationLoss").asDouble(),
                "4 steps at lr 1e-2 improve on the base model: " + result);

        JsonNode timings = job.get("timings");
        Instant queued = Instant.parse(timings.get("queuedAt").asText());
        Instant started = Instant.parse(timings.get("startedAt").asText());
        Instant finished = Instant.parse(timings.get("finishedAt").asText());
        assertFalse(started.isBefore(queued), timings.toString());
        assertFalse(finished.isBefore(started), timings.toString());
        assertTrue(timings.get("trainingSeconds").asDouble() > 0, timings.toString());
        double meanInLog = lines.stream().mapToDouble(l -> l.get("tokens_per_second").asDouble()).average()
                .orElseThrow();
        assertEquals(meanInLog, timings.get("tokensPerSecondMean").asDouble(), meanInLog * 1e-12);
    }

    @Test
    void aRefusedJobShowsItsResolvedConfigButNoRun() throws Exception {
        JsonNode job = getJson("/jobs/" + runs().refused());
        assertEquals("failed", job.get("status").asText());
        assertEquals(0, job.at("/config/lora/rank").asInt());
        assertEquals("cosine", job.at("/config/hyperparameters/scheduler").asText());
        assertTrue(job.get("latest").isNull() && job.get("result").isNull() && job.get("artifacts").isNull(),
                job.toString());
    }

    @Test
    void theMetricsEndpointServesTheLossCurvesOfTheLog() throws Exception {
        String a = runs().a();
        List<JsonNode> lines = metricsLines(a);
        JsonNode curve = getJson("/jobs/" + a + "/metrics");
        assertEquals(4, curve.get("lines").asLong());
        JsonNode train = curve.get("train");
        assertEquals(4, train.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, train.get(i).get("step").asLong());
            assertEquals(lines.get(i).get("train_loss").asDouble(), train.get(i).get("trainLoss").asDouble(), 0.0);
            assertEquals(lines.get(i).get("learning_rate").asDouble(), train.get(i).get("learningRate").asDouble(),
                    0.0);
            assertEquals(lines.get(i).get("grad_norm").asDouble(), train.get(i).get("gradNorm").asDouble(), 0.0);
            assertEquals(lines.get(i).get("tokens_per_second").asDouble(),
                    train.get(i).get("tokensPerSecond").asDouble(), 0.0);
        }
        JsonNode validation = curve.get("validation");
        assertEquals(2, validation.size(), "evalInterval 2 over 4 steps: " + validation);
        assertEquals(2, validation.get(0).get("step").asLong());
        assertEquals(lines.get(3).get("validation_loss").asDouble(),
                validation.get(1).get("validationLoss").asDouble(), 0.0);

        JsonNode thinned = getJson("/jobs/" + a + "/metrics?every=3");
        assertEquals(List.of(3L, 4L), thinned.get("train").findValuesAsText("step").stream().map(Long::valueOf)
                .toList(), "every third step and the last");

        JsonNode none = getJson("/jobs/" + runs().refused() + "/metrics");
        assertEquals(0, none.get("train").size(), "a job that never ran has no curve");

        given().get("/jobs/nope/metrics").then().statusCode(404).contentType("application/problem+json");
        for (String bad : List.of("0", "x", "1000001")) {
            given().get("/jobs/" + a + "/metrics?every=" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("every '" + bad + "'"));
        }
    }

    @Test
    void theRunsOfADatasetAreComparedBestFirst() throws Exception {
        Runs r = runs();
        JsonNode all = getJson("/jobs?dataset=" + r.dataset());
        JsonNode runsJson = all.get("runs");
        assertEquals(3, runsJson.size(), all.toString());
        assertFalse(all.get("more").asBoolean());

        // Sorted by best validation loss; the refused run has none and comes last.
        double first = runsJson.get(0).at("/result/bestValidationLoss").asDouble();
        double second = runsJson.get(1).at("/result/bestValidationLoss").asDouble();
        assertTrue(first <= second, all.toString());
        assertEquals(Set.of(r.a(), r.b()), Set.of(runsJson.get(0).get("jobId").asText(),
                runsJson.get(1).get("jobId").asText()));
        assertEquals(r.refused(), runsJson.get(2).get("jobId").asText());
        assertTrue(runsJson.get(2).get("result").isNull());

        // What all three share is said once; each run lists only the settings that tell them apart.
        JsonNode common = all.get("common");
        assertEquals("lora", common.get("method").asText());
        assertEquals(7, common.get("hyperparameters.seed").asLong());
        for (JsonNode run : runsJson) {
            List<String> keys = new ArrayList<>();
            run.get("differences").fieldNames().forEachRemaining(keys::add);
            assertEquals(List.of("hyperparameters.learningRate", "lora.rank"), keys, run.toString());
            boolean refused = run.get("jobId").asText().equals(r.refused());
            assertEquals(refused, run.get("timings").isNull(), "only runs that started have timings: " + run);
        }
        JsonNode a = runsJson.get(0).get("jobId").asText().equals(r.a()) ? runsJson.get(0) : runsJson.get(1);
        assertEquals(0.01, a.at("/differences/hyperparameters.learningRate").asDouble(), 0.0);
        assertEquals(AIDREAMS_SHA256, a.get("baseModelSha256").asText());
        assertTrue(a.at("/timings/trainingSeconds").asDouble() > 0);

        JsonNode completed = getJson("/jobs?dataset=" + r.dataset() + "&version=v1&status=completed");
        assertEquals(2, completed.get("runs").size(), completed.toString());
        assertFalse(completed.get("common").has("hyperparameters.learningRate"), completed.toString());
        assertTrue(completed.get("common").has("lora.rank"), "A and B differ in learning rate only");
        assertEquals(0, getJson("/jobs?dataset=" + r.dataset() + "&version=v2").get("runs").size());
    }

    @Test
    void badListQueriesAreNamed() {
        given().get("/jobs?status=finished").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("status 'finished'"));
        given().get("/jobs?version=v1").then().statusCode(400).body("detail", equalTo(
                "query parameter version needs dataset"));
        given().queryParam("dataset", "../etc").get("/jobs").then().statusCode(400)
                .body("detail", containsString("dataset '../etc'"));
        given().queryParam("dataset", "ok").queryParam("version", "a b").get("/jobs").then().statusCode(400)
                .body("detail", containsString("version 'a b'"));
    }
}
