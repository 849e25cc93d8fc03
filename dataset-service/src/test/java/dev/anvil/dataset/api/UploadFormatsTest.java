package dev.anvil.dataset.api;

import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.VERSION_ID;
import static dev.anvil.dataset.api.Uploads.distinctChats;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every upload format, as the body and as a multipart file, gives a version with the documented report. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class UploadFormatsTest {

    private static final String ALPACA_ARRAY = """
            [
              {"instruction": "Translate to French", "input": "good morning", "output": "bonjour"},
              {"instruction": "Name the largest planet of the solar system", "input": "", "output": "Jupiter"},
              {"instruction": "Give the boiling point of water at sea level in Celsius", "output": "100 degrees"}
            ]
            """;

    private static final String FAQ_CSV = """
            prompt,completion
            How do I reset my password?,"Open Settings, choose Security and click ""Reset password""."
            Which plans include priority support?,The Business and Enterprise plans include priority support.
            Can I export my invoices as PDF?,"Yes: Billing > Invoices, then Download PDF on any invoice."
            """;

    @Test
    void jsonLinesBodyGivesAVersionWithTheFullReport() {
        String dataset = freshName("chat");
        ExtractableResponse<Response> created = upload(dataset, NDJSON, distinctChats("oceans", 5),
                Map.of("validationFraction", "0.2", "seed", "7"))
                .statusCode(201)
                .contentType("application/json")
                .body("dataset", equalTo(dataset))
                .body("version", matchesPattern(VERSION_ID))
                .body("parent", nullValue())
                .body("records.input", equalTo(5))
                .body("records.accepted", equalTo(5))
                .body("removed.keySet()", containsInAnyOrder("malformed", "empty", "too_long", "duplicate",
                        "near_duplicate", "unsafe", "conflict"))
                .body("removed.values().sum()", equalTo(0))
                .body("piiRedacted", equalTo(0))
                .body("conflicts", equalTo(0))
                .body("stats", notNullValue())
                .body("settings.validationFraction", equalTo(0.2f))
                .body("settings.seed", equalTo(7))
                .body("createdAt", notNullValue())
                .extract();
        String version = created.path("version");
        assertTrue(created.header("Location").endsWith("/datasets/" + dataset + "/versions/" + version));
        int train = created.path("records.train");
        int validation = created.path("records.validation");
        assertEquals(5, train + validation, "train + validation = accepted");

        String trainFile = given().get("/datasets/{n}/versions/{v}/files/train.jsonl", dataset, version)
                .then().statusCode(200).contentType(NDJSON).extract().asString();
        assertEquals(train, trainFile.lines().count());
        assertTrue(trainFile.lines().allMatch(line -> line.startsWith("{\"messages\":[")), trainFile);
    }

    @Test
    void jsonArrayBodyIsAccepted() {
        upload(freshName("alpaca"), "application/json", ALPACA_ARRAY, Map.of("validationFraction", "0"))
                .statusCode(201)
                .body("records.input", equalTo(3))
                .body("records.accepted", equalTo(3))
                .body("records.train", equalTo(3))
                .body("records.validation", equalTo(0));
    }

    @Test
    void csvBodyIsAccepted() {
        upload(freshName("faq"), "text/csv; charset=utf-8", FAQ_CSV, Map.of("validationFraction", "0"))
                .statusCode(201)
                .body("records.input", equalTo(3))
                .body("records.accepted", equalTo(3));
    }

    @Test
    void multipartFileTakesItsFormatFromThePartContentType() {
        given().multiPart("file", "data.bin", distinctChats("glaciers", 4).getBytes(StandardCharsets.UTF_8),
                        NDJSON)
                .queryParam("validationFraction", "0")
                .when().post("/datasets/{name}/versions", freshName("multipart"))
                .then().statusCode(201)
                .body("records.accepted", equalTo(4))
                .body("records.train", equalTo(4));
    }

    @Test
    void multipartFileTakesItsFormatFromTheFileExtension() {
        given().multiPart("file", "faq.csv", FAQ_CSV.getBytes(StandardCharsets.UTF_8), "application/octet-stream")
                .when().post("/datasets/{name}/versions", freshName("multipart-csv"))
                .then().statusCode(201)
                .body("records.accepted", equalTo(3));
        given().multiPart("file", "alpaca.json", ALPACA_ARRAY.getBytes(StandardCharsets.UTF_8), "text/plain")
                .when().post("/datasets/{name}/versions", freshName("multipart-json"))
                .then().statusCode(201)
                .body("records.accepted", equalTo(3));
    }

    @Test
    void listingsShowTheDatasetAndItsVersions() {
        String dataset = freshName("listed");
        String version = upload(dataset, NDJSON, distinctChats("volcanoes", 3)).statusCode(201)
                .extract().path("version");
        given().get("/datasets").then().statusCode(200)
                .body("find { it.name == '" + dataset + "' }.versions", equalTo(1))
                .body("find { it.name == '" + dataset + "' }.latestVersion", equalTo(version));
        given().get("/datasets/{n}/versions", dataset).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].version", equalTo(version))
                .body("[0].sequence", equalTo(1));
        given().get("/datasets/{n}/versions/{v}", dataset, version).then().statusCode(200)
                .body("version", equalTo(version))
                .body("location", equalTo("datasets/" + dataset + "/" + version))
                .body("settings.strict", equalTo(false))
                .body("settings.nearDuplicateThreshold", equalTo(0.8f));
    }
}
