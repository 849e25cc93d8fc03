package dev.anvil.trainer.job;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Locale;

/** Tiny LoRA jobs on aidreams260K for the service tests, submitted through POST /jobs. */
final class JobRequests {
    private JobRequests() {
    }

    /**
     * A LoRA request on {@code dataset}/v1 with the flow test's small settings; {@code extra} adds or overrides
     * hyperparameters (JSON members, e.g. {@code "\"evalInterval\":2"}).
     */
    static String body(String jobId, String dataset, double learningRate, long maxSteps, String extra) {
        return String.format(Locale.ROOT, "{\"jobId\":\"%s\",\"baseModel\":\"aidreams260K\","
                + "\"dataset\":{\"name\":\"%s\",\"version\":\"v1\"},\"method\":\"lora\",\"hyperparameters\":{"
                + "\"learningRate\":%s,\"warmupSteps\":1,\"maxSteps\":%d,\"microBatchSize\":4,\"maxSeqLength\":128,"
                + "\"loraRank\":8,\"loraAlpha\":16.0,\"loraDropout\":0.0,\"seed\":7%s}}",
                jobId, dataset, learningRate, maxSteps, extra.isEmpty() ? "" : "," + extra);
    }

    static void submit(String body) {
        given().contentType("application/json").body(body).post("/jobs").then().statusCode(202);
    }

    static void awaitStatus(String jobId, String status, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().get("/jobs/" + jobId).then().statusCode(200).body("status", equalTo(status)));
    }
}
