package dev.anvil.dataset.api;

import dev.anvil.service.http.ProblemDetail;
import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.chat;
import static dev.anvil.dataset.api.Uploads.distinctChats;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
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
        for (String bad : new String[]{"-leading-dash", "a".repeat(129), "spaces here", ".hidden", "a:b"}) {
            problem(upload(bad, NDJSON, distinctChats("x", 1)), 400, "invalid dataset name");
        }
        problem(given().get("/datasets/{n}/versions", ".hidden").then(), 400, "invalid dataset name");
    }

    /** The data directory's one name rule: mixed case up to 128 characters, as the trainer always took. */
    @Test
    void namesOfTheSharedRuleAreAccepted() {
        String longest = freshName("Mixed-Case").toUpperCase(java.util.Locale.ROOT);
        longest = longest + "x".repeat(128 - longest.length());
        upload(longest, NDJSON, distinctChats("x", 3)).statusCode(201);
        given().get("/datasets/{n}/versions", longest).then().statusCode(200);
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

    @Test
    void aRepeatedQueryParameterIsRefusedNamingIt() {
        String dataset = freshName("repeated");
        Map<String, List<String>> cases = Map.of(
                "validationFraction", List.of("0.2", "5"),
                "seed", List.of("1", "1"),
                "strict", List.of("true", "false"),
                "nearDuplicateThreshold", List.of("0.8", "0.9"));
        byte[] body = distinctChats("x", 2).getBytes(StandardCharsets.UTF_8);
        cases.forEach((parameter, values) -> problem(given().contentType(NDJSON).queryParam(parameter, values)
                .body(body).post("/datasets/{n}/versions", dataset).then(), 400,
                "query parameter '" + parameter + "' is repeated"));
        assertNoDataset(dataset);
    }

    /** At 0.25 and below the LSH index cannot reach its usual recall at the threshold; it still answers. */
    @Test
    void everyNearDuplicateThresholdInTheDocumentedRangeWorks() {
        for (String threshold : new String[]{"0.25", "0.1", "0.001"}) {
            upload(freshName("low-threshold"), NDJSON, distinctChats("x", 4),
                    Map.of("nearDuplicateThreshold", threshold, "validationFraction", "0"))
                    .statusCode(201)
                    .body("settings.nearDuplicateThreshold", equalTo(Float.parseFloat(threshold)));
        }
    }

    @Test
    void anUnparsableContentTypeIsRefusedNamingTheHeader() {
        String dataset = freshName("bad-type");
        problem(given().header("Content-Type", ";;;/==").body(distinctChats("x", 1).getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{n}/versions", dataset).then(), 400, "the Content-Type header ';;;/==");
        assertNoDataset(dataset);
    }

    /** A body the framework reads into a type (see {@link TypedBodyProbe}) is answered by the shared guard. */
    @Test
    void aBodyTheFrameworkReadsWithTheWrongJsonTypeIsAProblemNamingTheField() {
        problem(given().contentType("application/json").body("{\"count\":\"abc\"}".getBytes(StandardCharsets.UTF_8))
                .post("/test-only/typed-body").then(), 400, "request body: count: 'abc' is not an integer");
        problem(given().contentType("application/json").body("[1]".getBytes(StandardCharsets.UTF_8))
                .post("/test-only/typed-body").then(), 400, "request body: expected an object");
    }

    /** The framework's multipart parser fails with a bare I/O error, which needs a mapping of its own to be a 400. */
    @Test
    void aMultipartBodyWithoutItsClosingBoundaryIs400() {
        String dataset = freshName("open-multipart");
        String body = "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n"
                + "Content-Type: application/x-ndjson\r\n\r\n" + distinctChats("x", 2);
        problem(given().contentType("multipart/form-data; boundary=cut").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{n}/versions", dataset).then(), 400, "multipart");
        assertNoDataset(dataset);
    }

    @Test
    void aJsonArrayElementNestedTooDeeplyIsRefusedNamingTheNestingLimit() {
        String dataset = freshName("deep");
        String deep = "[".repeat(100) + "]".repeat(100);
        String body = "[" + chat("q", "a") + ",\n{\"text\": \"x\", \"extra\": " + deep + "}]";
        problem(upload(dataset, "application/json", body), 400, "line 2 has arrays and objects nested more than 64")
                .body("detail", containsString("nesting depth limit"))
                .body("detail", not(containsString("max-line-bytes")));
        assertNoDataset(dataset);
    }

    @Test
    void aSyntheticRequestOfTheWrongShapeIs400NamingTheField() {
        String dataset = freshName("synthetic-shape");
        synthetic(dataset, "{\"templates\":\"abc\"}", "templates: expected an array");
        synthetic(dataset, "[1]", "request body: expected an object");
        synthetic(dataset, "{\"templates\":[{\"prompt\":{\"a\":1},\"completion\":\"y\"}]}",
                "templates[0].prompt: expected a string");
        synthetic(dataset, "{\"templates\":[{\"prompt\":\"{{a}}\",\"completion\":\"y\"}],\"slots\":{\"a\":\"x\"}}",
                "slots.a: expected an array");
        synthetic(dataset, "", "request body");
        synthetic(dataset, "null", "request body: expected an object");
        assertNoDataset(dataset);
    }

    @Test
    void aSyntheticRequestWithTrailingTextOrARepeatedKeyIs400() {
        String dataset = freshName("synthetic-strict");
        String request = "{\"templates\":[{\"prompt\":\"p\",\"completion\":\"c\"}]}";
        synthetic(dataset, request + " xyz", "xyz");
        synthetic(dataset, request + " {}", "after the JSON value");
        synthetic(dataset, "{\"templates\":[{\"prompt\":\"p\",\"completion\":\"c\"}],"
                + "\"templates\":[{\"prompt\":\"q\",\"completion\":\"d\"}]}", "'templates'");
        synthetic(dataset, "{\"templates\":[{\"prompt\":\"p\",\"prompt\":\"q\",\"completion\":\"c\"}]}",
                "'prompt'");
        assertNoDataset(dataset);
    }

    @Test
    void aSyntheticBodyOverTheLimitIs413NamingTheLimit() {
        String request = "{\"templates\":[{\"prompt\":\"p\",\"completion\":\"" + "c".repeat(300_000) + "\"}]}";
        problem(given().contentType("application/json").body(request)
                .post("/datasets/{n}/versions/synthetic", freshName("synthetic-huge")).then(), 413,
                "anvil.dataset.max-body-bytes");
    }

    /** Posts a synthetic request and checks the refusal, which must speak JSON rather than Java. */
    private static void synthetic(String dataset, String body, String detailContains) {
        problem(given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{n}/versions/synthetic", dataset).then(), 400, detailContains)
                .body("detail", not(containsString("java.")))
                .body("detail", not(containsString("dev.anvil")))
                .body("detail", not(containsString("`")));
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String detailContains) {
        return response.statusCode(status)
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
