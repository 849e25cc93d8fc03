package dev.anvil.dataset.api;

import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.chat;
import static dev.anvil.dataset.api.Uploads.distinctChats;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every refusal is an RFC 9457 problem detail naming what is at fault, and a refused upload leaves no version.
 * The test profile sets max-body-bytes to 256 KiB and max-line-bytes to 64 KiB.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class ProblemAnswersTest {

    private static final String ZERO_VERSION = "0".repeat(64);

    @Test
    void invalidDatasetNamesAreRefused() {
        for (String bad : new String[]{"Upper", "-leading-dash", "a".repeat(65), "spaces here", ".hidden"}) {
            problem(upload(bad, NDJSON, distinctChats("x", 1)), 400, "invalid dataset name");
        }
        problem(given().get("/datasets/{n}/versions", "Upper").then(), 400, "invalid dataset name");
    }

    @Test
    void invalidQueryParametersAreNamed() {
        String dataset = freshName("params");
        Map<String, String> cases = Map.of(
                "validationFraction", "abc",
                "seed", "1.5",
                "strict", "maybe",
                "nearDuplicateThreshold", "0");
        cases.forEach((parameter, value) -> problem(
                upload(dataset, NDJSON, distinctChats("x", 2), Map.of(parameter, value)), 400,
                "query parameter '" + parameter + "'"));
        problem(upload(dataset, NDJSON, distinctChats("x", 2), Map.of("validationFraction", "1")), 400,
                "validationFraction");
        assertNoDataset(dataset);
    }

    @Test
    void aBodyOverTheLimitIs413NamingTheLimit() {
        String dataset = freshName("huge");
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() <= 300_000; i++) {
            body.append(chat("Filler question number " + i, "Filler answer number " + i)).append('\n');
        }
        problem(upload(dataset, NDJSON, body.toString()), 413, "anvil.dataset.max-body-bytes");
        problem(given().multiPart("file", "big.jsonl", body.toString().getBytes(StandardCharsets.UTF_8), NDJSON)
                .post("/datasets/{n}/versions", dataset).then(), 413, "anvil.dataset.max-body-bytes");
        assertNoDataset(dataset);
    }

    @Test
    void aLineOverTheLimitIs400NamingTheLimit() {
        String dataset = freshName("long-line");
        String body = distinctChats("x", 2) + chat("long " + "word ".repeat(14_000), "answer") + "\n";
        problem(upload(dataset, NDJSON, body), 400, "anvil.dataset.max-line-bytes");
        assertNoDataset(dataset);
    }

    @Test
    void strictModeRefusesTheUploadNamingTheLine() {
        String dataset = freshName("strict");
        String body = distinctChats("x", 1) + "{\"messages\": [ not json\n" + distinctChats("y", 1);
        problem(upload(dataset, NDJSON, body, Map.of("strict", "true")), 400, "line 2");
        assertNoDataset(dataset);
    }

    @Test
    void unsupportedMediaTypesAre415() {
        String dataset = freshName("media");
        problem(upload(dataset, "text/plain", distinctChats("x", 1)), 415, "text/plain");
        problem(upload(dataset, "application/xml", "<records/>"), 415, "unsupported media type");
        problem(given().multiPart("file", "data.parquet", new byte[]{1, 2, 3}, "application/octet-stream")
                .post("/datasets/{n}/versions", dataset).then(), 415, "multipart field 'file'");
        assertNoDataset(dataset);
    }

    @Test
    void multipartWithoutFileIs400() {
        problem(given().multiPart("other", "x").post("/datasets/{n}/versions", freshName("form")).then(), 400,
                "multipart field 'file' is required");
    }

    @Test
    void unknownDatasetsVersionsAndFilesAre404() {
        String dataset = freshName("known");
        String version = upload(dataset, NDJSON, distinctChats("x", 2)).statusCode(201).extract().path("version");

        problem(given().get("/datasets/{n}/versions", freshName("unknown")).then(), 404, "no dataset named");
        problem(given().get("/datasets/{n}/versions/{v}", dataset, ZERO_VERSION).then(), 404, ZERO_VERSION);
        problem(given().get("/datasets/{n}/versions/{v}", dataset, "not-a-version").then(), 404, "not-a-version");
        problem(given().get("/datasets/{n}/versions/{v}/rejects", dataset, ZERO_VERSION).then(), 404,
                ZERO_VERSION);
        problem(given().get("/datasets/{n}/versions/{v}/files/{f}", dataset, version, "manifest.json").then(),
                404, "manifest.json");
        problem(given().get("/datasets/{n}/versions/{v}/files/{f}", dataset, version, "..%2F..%2Fsecret").then(),
                404, "");
        problem(given().get("/no-such-route").then(), 404, "");
    }

    private static void problem(ValidatableResponse response, int status, String detailContains) {
        response.statusCode(status)
                .contentType(ProblemDetail.MEDIA_TYPE)
                .body("status", equalTo(status))
                .body("type", startsWith("https://anvil.dev/problems/"))
                .body("title", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("detail", containsString(detailContains));
    }

    private static void assertNoDataset(String dataset) {
        given().get("/datasets/{n}/versions", dataset).then().statusCode(404);
    }
}
