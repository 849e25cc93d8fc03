package dev.anvil.dataset.api;

import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.anvil.dataset.api.Uploads.freshName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/** The sample files of docs/examples (ingested by the README's main command) stay valid and show the rules. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class ExampleFilesTest {

    private static final Path EXAMPLES = Path.of("..", "docs", "examples");

    @Test
    void supportChatInOpenAiFormat() throws Exception {
        given().contentType(Uploads.NDJSON).body(Files.readAllBytes(EXAMPLES.resolve("support-chat.jsonl")))
                .post("/datasets/{n}/versions", freshName("support-chat"))
                .then().statusCode(201)
                .body("records.input", equalTo(12))
                .body("records.accepted", equalTo(10))
                .body("removed.duplicate", equalTo(1))
                .body("removed.malformed", equalTo(1))
                .body("piiRedacted", greaterThanOrEqualTo(1));
    }

    @Test
    void faqAsCsv() throws Exception {
        given().contentType("text/csv").body(Files.readAllBytes(EXAMPLES.resolve("faq.csv")))
                .post("/datasets/{n}/versions", freshName("faq"))
                .then().statusCode(201)
                .body("records.input", equalTo(8))
                .body("records.accepted", equalTo(7))
                .body("removed.duplicate", equalTo(1));
    }

    @Test
    void alpacaAsAJsonArray() throws Exception {
        given().multiPart("file", EXAMPLES.resolve("alpaca.json").toFile(), "application/json")
                .post("/datasets/{n}/versions", freshName("alpaca"))
                .then().statusCode(201)
                .body("records.input", equalTo(7))
                .body("records.accepted", equalTo(6))
                .body("removed.duplicate", equalTo(1));
    }
}
