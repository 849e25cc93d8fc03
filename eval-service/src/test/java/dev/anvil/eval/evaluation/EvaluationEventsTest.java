package dev.anvil.eval.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.eval.testing.EvalDataDir;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /evaluations/{id}/events}: progress while it runs, then the finished evaluation, then the end. */
@QuarkusTest
@QuarkusTestResource(value = EvalDataDir.class, restrictToAnnotatedClass = false)
class EvaluationEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/evaluations")
    URI evaluations;

    @Test
    void theStreamFollowsAnEvaluationToItsEnd() throws Exception {
        String id = given().contentType(ContentType.JSON).body("""
                {"candidate": {"jobId": "%s"}, "dataset": {"name": "%s", "version": "%s"},
                 "generation": {"maxNewTokens": 32}}"""
                .formatted(EvalDataDir.GOLDEN_JOB, EvalDataDir.DATASET, EvalDataDir.VERSION))
                .post("/evaluations").then().statusCode(202).extract().path("id");

        List<Map.Entry<String, JsonNode>> events = read(URI.create(evaluations + "/" + id + "/events"));
        assertEquals("progress", events.get(0).getKey(), events.toString());
        Map.Entry<String, JsonNode> last = events.get(events.size() - 1);
        assertEquals("state", last.getKey(), events.toString());
        assertEquals("completed", last.getValue().path("status").asText());
        assertTrue(last.getValue().path("verdict").isTextual(), last.toString());
        assertTrue(last.getValue().path("metrics").path("candidate").has("perplexity"), last.toString());
        for (Map.Entry<String, JsonNode> e : events.subList(0, events.size() - 1)) {
            assertEquals("progress", e.getKey());
            JsonNode p = e.getValue();
            assertEquals(id, p.path("id").asText());
            if (p.hasNonNull("phase")) {
                assertTrue(List.of("candidate.scoring", "candidate.generation", "baseline.scoring",
                        "baseline.generation").contains(p.path("phase").asText()), p.toString());
                assertTrue(p.path("done").asInt() < p.path("total").asInt(), p.toString());
            }
        }
        given().get("/evaluations/no-such-id/events").then().statusCode(404);
    }

    /** The named events of a stream, read until the server ends it (at most a minute). */
    private static List<Map.Entry<String, JsonNode>> read(URI uri) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60)).build();
        CompletableFuture<List<Map.Entry<String, JsonNode>>> events = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
            assertEquals(200, response.statusCode());
            List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
            String[] name = {null};
            response.body().forEach(line -> {
                if (line.startsWith("event:")) name[0] = line.substring(6).trim();
                else if (line.startsWith("data:")) {
                    try {
                        out.add(Map.entry(name[0], JSON.readTree(line.substring(5).trim())));
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + line, e);
                    }
                }
            });
            return out;
        });
        return events.get(90, TimeUnit.SECONDS);
    }
}
