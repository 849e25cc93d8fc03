package dev.anvil.dataset.api;

import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.distinctChats;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Content addressing, lineage, fixed validation files and concurrent uploads. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class VersioningTest {

    @Test
    void sameContentIsTheSameVersionAndCreatesNothing() {
        String dataset = freshName("idempotent");
        String data = distinctChats("tides", 6);
        String first = upload(dataset, NDJSON, data).statusCode(201).extract().path("version");
        // Same records with an exact duplicate appended: cleans to the same files.
        String withDuplicate = data + data.lines().findFirst().orElseThrow() + "\n";
        upload(dataset, NDJSON, withDuplicate).statusCode(200)
                .body("version", equalTo(first))
                .header("Content-Location", org.hamcrest.Matchers.endsWith("/versions/" + first));
        given().get("/datasets/{n}/versions", dataset).then().body("size()", equalTo(1));
    }

    @Test
    void aNewVersionNamesThePreviousOneAsParent() {
        String dataset = freshName("lineage");
        String v1 = upload(dataset, NDJSON, distinctChats("bees", 4)).statusCode(201).extract().path("version");
        String v2 = upload(dataset, NDJSON, distinctChats("bees", 6)).statusCode(201)
                .body("parent", equalTo(v1)).extract().path("version");
        assertNotEquals(v1, v2);
        given().get("/datasets/{n}/versions/{v}", dataset, v2).then()
                .body("parent", equalTo(v1))
                .body("sequence", equalTo(2));
        // Going back to the first content finds the first version again: no new version, lineage unchanged.
        upload(dataset, NDJSON, distinctChats("bees", 4)).statusCode(200).body("version", equalTo(v1));
        given().get("/datasets/{n}/versions", dataset).then()
                .body("version", equalTo(List.of(v1, v2)))
                .body("parent", equalTo(java.util.Arrays.asList(null, v1)));
    }

    @Test
    void aFixedValidationFileReplacesTheRandomSplit() {
        String dataset = freshName("fixed-validation");
        ExtractableResponse<Response> created = given()
                .multiPart("file", "train.jsonl", distinctChats("chess", 7).getBytes(StandardCharsets.UTF_8),
                        NDJSON)
                .multiPart("validation", "heldout.jsonl",
                        distinctChats("violins", 3).getBytes(StandardCharsets.UTF_8), NDJSON)
                .queryParam("validationFraction", "0.5")
                .post("/datasets/{n}/versions", dataset)
                .then().statusCode(201)
                .body("records.train", equalTo(7))
                .body("records.validation", equalTo(3))
                .extract();
        String validation = given().get("/datasets/{n}/versions/{v}/files/validation.jsonl", dataset,
                (String) created.path("version")).then().statusCode(200).extract().asString();
        assertEquals(3, validation.lines().count());
        org.junit.jupiter.api.Assertions.assertTrue(validation.contains("violins"), validation);
    }

    @Test
    void concurrentUploadsToOneDatasetBothSucceedWithALinearLineage() throws Exception {
        String dataset = freshName("concurrent");
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<Integer> a = () -> {
            start.await();
            return upload(dataset, NDJSON, distinctChats("markets", 8)).extract().statusCode();
        };
        Callable<Integer> b = () -> {
            start.await();
            return upload(dataset, NDJSON, distinctChats("penguins", 8)).extract().statusCode();
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = pool.invokeAll(List.of(a, b));
            assertEquals(201, results.get(0).get());
            assertEquals(201, results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> versions = given().get("/datasets/{n}/versions", dataset).then()
                .statusCode(200).extract().path("");
        assertEquals(2, versions.size());
        assertNull(versions.get(0).get("parent"));
        assertEquals(versions.get(0).get("version"), versions.get(1).get("parent"));
        assertEquals(List.of(1, 2), versions.stream().map(v -> v.get("sequence")).toList());
    }

    @Test
    void concurrentUploadsOfTheSameContentMakeOneVersion() throws Exception {
        String dataset = freshName("same-concurrent");
        String data = distinctChats("glaciers", 8);
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<Integer> upload = () -> {
            start.await();
            return upload(dataset, NDJSON, data).extract().statusCode();
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Integer> statuses = pool.invokeAll(List.of(upload, upload)).stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).sorted().toList();
            assertEquals(List.of(200, 201), statuses);
        } finally {
            pool.shutdownNow();
        }
        given().get("/datasets/{n}/versions", dataset).then().body("size()", equalTo(1));
    }
}
