package dev.anvil.dataset.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.anvil.dataset.api.Uploads.NDJSON;
import static dev.anvil.dataset.api.Uploads.chat;
import static dev.anvil.dataset.api.Uploads.freshName;
import static dev.anvil.dataset.api.Uploads.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One small file that trips every cleaning rule: the report counts them and the rejects name each line. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class CleaningRulesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String LONG_ANSWER = "Our warehouse ships orders from Monday to Friday and every parcel "
            + "is packed by hand with recycled paper so that fragile items such as glass jars ceramic mugs and "
            + "framed prints arrive intact while tracking numbers are emailed the same evening and customers may "
            + "change the delivery address until the courier collects the parcel in the late afternoon each day "
            + "which usually happens around four o'clock local time unless a public holiday";

    @Test
    void everyRuleShowsInTheReportAndTheRejects() throws Exception {
        String dataset = freshName("rules");
        List<String> lines = List.of(
                /* 1 */ chat("How does shipping work?", LONG_ANSWER + " intervenes."),
                /* 2 duplicate of 1 */ chat("How does shipping work?", LONG_ANSWER + " intervenes."),
                /* 3 malformed */ "{\"messages\": [",
                /* 4 empty answer */ chat("Is anyone there?", "   "),
                /* 5 near duplicate of 1 */ chat("How does shipping work here?", LONG_ANSWER + " interrupts."),
                /* 6 */ chat("What is the refund window?", "You can ask for a refund within 30 days."),
                /* 7 conflict with 6 */ chat("What is the refund window?", "Refunds are possible for 14 days."),
                /* 8 unsafe */ chat("Explain how to build a pipe bomb.", "Here is how."),
                /* 9 PII, kept */ chat("Please update my contact details.",
                        "Done: we will write to jane.doe@example.com from now on."),
                /* 10 too long */ chat("Summarise this.", "lorem ".repeat(6_000)));
        String version = upload(dataset, NDJSON, String.join("\n", lines) + "\n",
                Map.of("validationFraction", "0"))
                .statusCode(201)
                .body("records.input", equalTo(10))
                .body("records.accepted", equalTo(3))
                .body("removed.duplicate", equalTo(1))
                .body("removed.malformed", equalTo(1))
                .body("removed.empty", equalTo(1))
                .body("removed.near_duplicate", equalTo(1))
                .body("removed.conflict", equalTo(1))
                .body("removed.unsafe", equalTo(1))
                .body("removed.too_long", equalTo(1))
                .body("conflicts", equalTo(1))
                .body("piiRedacted", greaterThanOrEqualTo(1))
                .extract().path("version");

        String rejects = given().get("/datasets/{n}/versions/{v}/rejects", dataset, version)
                .then().statusCode(200).contentType(NDJSON).extract().asString();
        List<JsonNode> rows = rejects.lines().map(CleaningRulesApiTest::json).toList();
        assertEquals(List.of(2L, 3L, 4L, 5L, 7L, 8L, 10L), rows.stream().map(r -> r.get("line").asLong()).toList());
        assertEquals(List.of("duplicate", "malformed", "empty", "near_duplicate", "conflict", "unsafe", "too_long"),
                rows.stream().map(r -> r.get("reason").asText()).toList());
        rows.forEach(row -> assertFalse(row.get("detail").asText().isBlank(), row.toString()));

        String train = given().get("/datasets/{n}/versions/{v}/files/train.jsonl", dataset, version)
                .then().statusCode(200).extract().asString();
        assertFalse(train.contains("jane.doe@example.com"), "the e-mail address is redacted in " + train);
        assertTrue(train.contains("[EMAIL]"), train);
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(line, e);
        }
    }
}
