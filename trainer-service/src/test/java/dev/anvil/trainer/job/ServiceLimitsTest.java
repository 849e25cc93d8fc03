package dev.anvil.trainer.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.service.kafka.KafkaConsumersReadiness;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The bound on request bodies and the readiness checks. */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class ServiceLimitsTest {

    /** A JSON object of exactly {@code bytes} bytes without a baseModel, so that it is never published. */
    private static String body(int bytes) {
        String head = "{\"jobId\":\"limit\",\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    @Test
    void aBodyOverTheLimitIs413NamingIt() {
        given().contentType("application/json").body(body(65_537)).post("/jobs").then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413))
                .body("detail", containsString("anvil.trainer.max-request-bytes=65536"));
        // At the limit, the body is read and checked as usual.
        given().contentType("application/json").body(body(65_536)).post("/jobs").then().statusCode(400)
                .body("detail", containsString("baseModel"));
        given().contentType("application/json").body("{not json").post("/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not JSON"));
    }

    @Test
    void readyWhenTheConsumerRunsTheBrokerAndTheDatabaseAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == '" + KafkaConsumersReadiness.NAME + "' }.status", equalTo("UP"))
                .body("checks.find { it.name == '" + KafkaConsumersReadiness.NAME + "' }.data.'"
                        + TrainingRequestConsumer.NAME + "'", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"))
                .body("checks.find { it.name.contains('Kafka connection') }.status", equalTo("UP"));
    }
}
