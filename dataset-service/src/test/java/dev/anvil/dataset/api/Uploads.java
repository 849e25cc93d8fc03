package dev.anvil.dataset.api;

import io.restassured.response.ValidatableResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Test helpers: fresh dataset names (the PostgreSQL run keeps its database between runs) and uploads. */
final class Uploads {

    static final String NDJSON = "application/x-ndjson";
    static final String VERSION_ID = "[0-9a-f]{64}";

    private Uploads() {
    }

    /** A dataset name no other test (nor an earlier run) used. */
    static String freshName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Uploads {@code body} as the request body with {@code contentType} and the given query parameters. */
    static ValidatableResponse upload(String dataset, String contentType, String body, Map<String, ?> query) {
        return upload(dataset, contentType, body, query, Map.of());
    }

    static ValidatableResponse upload(String dataset, String contentType, String body, Map<String, ?> query,
                                      Map<String, ?> headers) {
        return given().contentType(contentType).queryParams(query).headers(headers)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/datasets/{name}/versions", dataset)
                .then();
    }

    static ValidatableResponse upload(String dataset, String contentType, String body) {
        return upload(dataset, contentType, body, Map.of());
    }

    /** A chat record (OpenAI format) on one line. */
    static String chat(String user, String assistant) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"" + assistant + "\"}]}";
    }

    /** {@code n} chat records, different enough from one another to survive deduplication. */
    static String distinctChats(String topic, int n) {
        StringBuilder lines = new StringBuilder();
        String[] subjects = {"the tides rise twice a day", "bread dough needs time to rest",
                "a compiler turns source into machine code", "violins have four strings",
                "glaciers carve deep valleys", "honeybees dance to share directions",
                "the stock market opened lower", "chess engines search game trees",
                "volcanic soil is rich in minerals", "penguins cannot fly but swim well"};
        for (int i = 0; i < n; i++) {
            String subject = subjects[i % subjects.length];
            lines.append(chat("Question " + i + " about " + topic + ": explain why " + subject + ".",
                    "Answer " + i + " on " + topic + ": " + subject + " for reasons number " + (i * 7 + 3)
                            + " that experts documented."))
                    .append('\n');
        }
        return lines.toString();
    }
}
