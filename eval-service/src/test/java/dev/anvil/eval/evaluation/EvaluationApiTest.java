package dev.anvil.eval.evaluation;

import dev.anvil.eval.metric.GenerationMetrics;
import dev.anvil.eval.metric.GenerationScores;
import dev.anvil.eval.testing.DirectScores;
import dev.anvil.eval.testing.EvalDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /evaluations} on the real aidreams260K, the golden PEFT adapter and a held-out split: the perplexity the
 * service reports for each side equals llm-runtime called directly with training's rendering and masking
 * ({@link DirectScores}; the trainer's FineTuneRecipeTest ties that computation to its validation loss).
 */
@QuarkusTest
@QuarkusTestResource(value = EvalDataDir.class, restrictToAnnotatedClass = false)
class EvaluationApiTest {
    /** Same weights, same float32 kernels, batched alike: only summation order may differ. */
    private static final double TOLERANCE = 1e-6;

    static JsonPath submitAndWait(String body) {
        String id = given().contentType(ContentType.JSON).body(body).post("/evaluations")
                .then().statusCode(202).header("Location", containsString("/evaluations/"))
                .body("status", equalTo("queued")).extract().path("id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                List.of("completed", "failed").contains(given().get("/evaluations/" + id).then().extract()
                        .<String>path("status")));
        // Doubles, not RestAssured's default floats: the metrics are compared to 1e-9.
        return given().get("/evaluations/" + id).then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @Test
    void anAdapterIsScoredAgainstItsBaseAsTrainingScoresIt() {
        JsonPath e = submitAndWait("""
                {"candidate": {"adapterPath": "%s"}, "dataset": {"name": "%s", "version": "%s"}}"""
                .formatted(EvalDataDir.GOLDEN_ADAPTER, EvalDataDir.DATASET, EvalDataDir.VERSION));
        assertEquals("completed", e.getString("status"), e.prettify());
        assertEquals(EvalDataDir.MODEL, e.getString("candidate.baseModel"), "the base the adapter's config names");
        assertEquals(EvalDataDir.MODEL, e.getString("baseline.baseModel"), "the baseline defaults to the base");
        assertNull(e.get("baseline.adapterPath"));

        DirectScores direct = new DirectScores(EvalDataDir.VALIDATION.length);
        Map<String, Double> candidate = e.getMap("metrics.candidate");
        Map<String, Double> baseline = e.getMap("metrics.baseline");
        assertEquals(direct.adapter.meanNll(), e.getDouble("metrics.candidate.meanNll"), TOLERANCE);
        assertEquals(direct.base.meanNll(), e.getDouble("metrics.baseline.meanNll"), TOLERANCE);
        assertEquals(direct.adapter.perplexity(), e.getDouble("metrics.candidate.perplexity"), 1e-4);
        assertEquals(direct.adapter.bitsPerByte(), e.getDouble("metrics.candidate.bitsPerByte"), TOLERANCE);
        assertEquals(direct.base.bitsPerByte(), e.getDouble("metrics.baseline.bitsPerByte"), TOLERANCE);
        assertEquals((double) direct.adapter.tokens(), e.getDouble("metrics.candidate.tokens"));
        assertEquals(EvalDataDir.VALIDATION.length, e.getDouble("metrics.candidate.examples"));
        assertTrue(candidate.containsKey("scoredTokensPerSecond") && baseline.containsKey("scoringSeconds"));
        assertTrue(Math.abs(direct.adapter.meanNll() - direct.base.meanNll()) > 1e-3, "the adapter changes the scores");

        List<Map<String, Object>> examples = e.getList("examples");
        assertEquals(EvalDataDir.VALIDATION.length, examples.size());
        assertEquals(1, e.getLong("examples[0].line"));
        assertEquals("The color of a tomato is red.", e.getString("examples[0].reference"));
        double weighted = 0;
        long tokens = 0;
        for (int i = 0; i < examples.size(); i++) {
            int n = e.getInt("examples[" + i + "].tokens");
            weighted += e.getDouble("examples[" + i + "].candidateNll") * n;
            tokens += n;
        }
        assertEquals(direct.adapter.meanNll(), weighted / tokens, TOLERANCE, "the mean is token-weighted");
    }

    /**
     * Greedy answers through the service's batches equal the generator's answers one at a time, and the generation
     * metrics are those of {@link GenerationMetrics} on them (their own tests hold them to the reference tools).
     */
    @Test
    void generationMetricsScoreTheGreedyAnswersOfBothSides() {
        JsonPath e = submitAndWait("""
                {"candidate": {"jobId": "%s"}, "dataset": {"name": "%s", "version": "%s"},
                 "generation": {"maxNewTokens": 16}}"""
                .formatted(EvalDataDir.GOLDEN_JOB, EvalDataDir.DATASET, EvalDataDir.VERSION));
        assertEquals("completed", e.getString("status"), e.prettify());
        assertEquals(16, e.getInt("generation.maxNewTokens"));
        assertEquals(0.0, e.getDouble("generation.temperature"));
        DirectScores direct = new DirectScores(EvalDataDir.VALIDATION.length, 16);
        List<String> references = e.getList("examples.reference");
        assertEquals(direct.adapterAnswers, e.getList("examples.candidateOutput"));
        assertEquals(direct.baseAnswers, e.getList("examples.baselineOutput"));
        GenerationScores candidate = GenerationMetrics.score(direct.adapterAnswers, references);
        GenerationScores baseline = GenerationMetrics.score(direct.baseAnswers, references);
        candidate.corpus().forEach((name, value) ->
                assertEquals(value, e.getDouble("metrics.candidate." + name), 1e-9, name));
        baseline.corpus().forEach((name, value) ->
                assertEquals(value, e.getDouble("metrics.baseline." + name), 1e-9, name));
        assertEquals(candidate.examples().get(0).get("bleu"), e.getDouble("examples[0].candidateScores.bleu"), 1e-9);
        assertEquals((double) EvalDataDir.VALIDATION.length, e.getDouble("metrics.candidate.answered"));
        assertTrue(e.getDouble("metrics.candidate.generatedTokensPerSecond") > 0);
        assertTrue(e.getDouble("metrics.candidate.memoryBytes") > e.getDouble("metrics.baseline.memoryBytes"),
                "the candidate's adapter adds to the base's weights");
    }

    /** Sampled answers are seeded per example: the same seed answers the same, another seed differently. */
    @Test
    void seededSamplingRepeats() {
        String body = """
                {"candidate": {"jobId": "%s"}, "dataset": {"name": "%s", "version": "%s"}, "maxExamples": 4,
                 "generation": {"maxNewTokens": 12, "temperature": 1.0, "seed": %d}}""";
        JsonPath first = submitAndWait(body.formatted(EvalDataDir.GOLDEN_JOB, EvalDataDir.DATASET, EvalDataDir.VERSION, 7));
        JsonPath again = submitAndWait(body.formatted(EvalDataDir.GOLDEN_JOB, EvalDataDir.DATASET, EvalDataDir.VERSION, 7));
        JsonPath other = submitAndWait(body.formatted(EvalDataDir.GOLDEN_JOB, EvalDataDir.DATASET, EvalDataDir.VERSION, 8));
        assertEquals(first.getList("examples.candidateOutput"), again.getList("examples.candidateOutput"));
        assertEquals(first.getList("examples.baselineOutput"), again.getList("examples.baselineOutput"));
        assertNotEquals(first.getList("examples.candidateOutput"), other.getList("examples.candidateOutput"));
    }

    /**
     * The configured policy, a request's overrides over it, and a verdict that names every rule it applied. The golden
     * adapter was trained on other data and raises this split's perplexity (about 277 against the base's 104), so
     * here the base model is the candidate and the adapter the baseline.
     */
    @Test
    void thePolicyDecidesTheVerdictAndNamesEveryRule() {
        String request = """
                {"candidate": {"baseModel": "%s"}, "baseline": {"jobId": "%s"},
                 "dataset": {"name": "%s", "version": "%s"}, "maxExamples": 4,
                 "generation": {"maxNewTokens": 8}, "policy": %s}""";
        JsonPath lenient = submitAndWait(request.formatted(EvalDataDir.MODEL, EvalDataDir.GOLDEN_JOB,
                EvalDataDir.DATASET, EvalDataDir.VERSION, """
                {"minPerplexityImprovement": 0.5, "maxTaskMetricDrop": 1.0, "maxEmptyAnswerRate": 1.0,
                 "maxRepetitionRate": 1.0}"""));
        assertEquals("pass", lenient.getString("verdict"), lenient.getList("reasons").toString());
        assertEquals(0.5, lenient.getDouble("policy.minPerplexityImprovement"));
        assertEquals("tokenF1", lenient.getString("policy.taskMetric"), "the configured task metric stays");
        List<String> reasons = lenient.getList("reasons");
        assertEquals(List.of("perplexity", "taskMetric", "emptyAnswers", "repetition"),
                reasons.stream().map(r -> r.substring(0, r.indexOf(':'))).toList());
        assertTrue(reasons.get(0).endsWith("needs >= 50% lower: pass"), reasons.get(0));

        JsonPath strict = submitAndWait(request.formatted(EvalDataDir.MODEL, EvalDataDir.GOLDEN_JOB,
                EvalDataDir.DATASET, EvalDataDir.VERSION, "{\"minPerplexityImprovement\": 0.9}"));
        assertEquals("fail", strict.getString("verdict"));
        String perplexity = strict.getString("reasons[0]");
        assertTrue(perplexity.startsWith("perplexity: ") && perplexity.endsWith("needs >= 90% lower: fail"), perplexity);

        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, \"dataset\": {\"name\": \""
                + EvalDataDir.DATASET + "\", \"version\": \"v1\"}, \"policy\": {\"minPerplexityImprovement\": 5}}",
                "policy.minPerplexityImprovement must be in [-1, 1), got 5.0");
    }

    @Test
    void aJobsResultAndAModelFolderAreCandidatesToo() {
        JsonPath job = submitAndWait("""
                {"candidate": {"jobId": "%s"}, "dataset": {"name": "%s", "version": "%s"}, "maxExamples": 3,
                 "route": "faq-assistant"}"""
                .formatted(EvalDataDir.GOLDEN_JOB, EvalDataDir.DATASET, EvalDataDir.VERSION));
        assertEquals("completed", job.getString("status"), job.prettify());
        assertEquals("faq-assistant", job.getString("route"));
        assertEquals(EvalDataDir.GOLDEN_ADAPTER, job.getString("candidate.adapterPath"));
        assertEquals(3, job.getList("examples").size());
        assertEquals(new DirectScores(3).adapter.meanNll(), job.getDouble("metrics.candidate.meanNll"), TOLERANCE);

        // The base model's own folder as a "merged" candidate: the same weights score the same.
        JsonPath same = submitAndWait("""
                {"candidate": {"modelPath": "models/%s", "baseModel": "%s"},
                 "dataset": {"name": "%s", "version": "%s"}, "maxExamples": 4}"""
                .formatted(EvalDataDir.MODEL, EvalDataDir.MODEL, EvalDataDir.DATASET, EvalDataDir.VERSION));
        assertEquals("completed", same.getString("status"), same.prettify());
        assertEquals(same.getDouble("metrics.baseline.meanNll"), same.getDouble("metrics.candidate.meanNll"), 1e-9);

        given().get("/evaluations").then().statusCode(200)
                .body("id", hasItem(job.getString("id")))
                .body("[0].id", equalTo(same.getString("id")));
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        String dataset = "\"dataset\": {\"name\": \"" + EvalDataDir.DATASET + "\", \"version\": \"v1\"}";
        refused("{\"candidate\": {\"baseModel\": \"no-such-model\", \"adapterPath\": \"" + EvalDataDir.GOLDEN_ADAPTER
                + "\"}, " + dataset + "}", "trained on 'aidreams260K', not on candidate.baseModel 'no-such-model'");
        refused("{\"candidate\": {\"baseModel\": \"" + EvalDataDir.OTHER_MODEL + "\", \"adapterPath\": \""
                + EvalDataDir.GOLDEN_ADAPTER + "\"}, " + dataset + "}", "the adapter was trained on 'aidreams260K'");
        refused("{\"candidate\": {\"adapterPath\": \"runs/nope/adapter\"}, " + dataset + "}",
                "candidate.adapterPath 'runs/nope/adapter' holds no adapter_config.json");
        refused("{\"candidate\": {\"adapterPath\": \"../../etc\"}, " + dataset + "}",
                "candidate.adapterPath leads outside the data directory");
        refused("{\"candidate\": {\"jobId\": \"never-ran\"}, " + dataset + "}", "candidate.jobId 'never-ran'");
        refused("{\"candidate\": {\"baseModel\": \"no-such-model\"}, \"baseline\": {\"baseModel\": \"aidreams260K\"}, "
                + dataset + "}", "candidate.baseModel 'no-such-model' is not a model");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, \"dataset\": {\"name\": \"unknown\", "
                + "\"version\": \"v1\"}}", "dataset 'unknown' version 'v1' does not exist");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, \"dataset\": {\"name\": \""
                + EvalDataDir.EMPTY_DATASET + "\", \"version\": \"v1\"}}", "has an empty validation split");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}}", "dataset is required");
        refused("{\"dataset\": {\"name\": \"x\", \"version\": \"v1\"}}", "candidate is required");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, " + dataset
                + ", \"maxExamples\": 0}", "maxExamples must be 1-");
        refused("{\"candidate\": {\"baseModel\": \"aidreams260K\"}, " + dataset + "}",
                "baseline is required: the candidate is the base model itself");
        refused("{\"candidate\": 7, " + dataset + "}", "candidate");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, " + dataset
                + ", \"generation\": {\"maxNewTokens\": 100000}}", "generation.maxNewTokens must be 1-1024");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, " + dataset
                + ", \"generation\": {\"temperature\": -1}}", "generation.temperature must be in [0, 2]");
        refused("{\"candidate\": {\"jobId\": \"" + EvalDataDir.GOLDEN_JOB + "\"}, " + dataset
                + ", \"route\": \"faq assistant\"}", "route 'faq assistant' must match");
        given().contentType(ContentType.JSON).post("/evaluations").then().statusCode(400);
        given().get("/evaluations/no-such-id").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no-such-id"));
        given().get("/evaluations?limit=0").then().statusCode(400).body("detail", containsString("limit"));
    }

    private static void refused(String body, String detail) {
        given().contentType(ContentType.JSON).body(body).post("/evaluations").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(detail));
    }
}
