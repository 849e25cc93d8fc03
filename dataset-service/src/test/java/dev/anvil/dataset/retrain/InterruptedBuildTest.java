package dev.anvil.dataset.retrain;

import dev.anvil.dataset.version.VersionCommitter;
import dev.anvil.events.training.TrainingRequested;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.anvil.dataset.retrain.LoopFixture.approvedThenCrashed;
import static dev.anvil.dataset.retrain.LoopFixture.requestsFor;
import static dev.anvil.dataset.retrain.LoopFixture.retrainings;
import static dev.anvil.dataset.retrain.LoopFixture.served;
import static dev.anvil.dataset.retrain.LoopFixture.traffic;
import static dev.anvil.dataset.retrain.LoopFixture.trainingRequests;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An approved build whose process died (the BUILDING step committed, then nothing): once no step came for
 * build-timeout the sweep resumes it, and building again after the child version was committed finds that version
 * and requests one training; a build with a recent step is left to its builder.
 */
@QuarkusTest
@TestProfile(InterruptedBuildTest.ShortTimeout.class)
class InterruptedBuildTest {

    static final Duration BUILD_TIMEOUT = Duration.ofSeconds(8);

    public static class ShortTimeout extends RetrainingProfile {
        @Override
        Map<String, String> policy() {
            return Map.of("anvil.dataset.retraining.mode", "manual",
                    "anvil.dataset.retraining.build-timeout", BUILD_TIMEOUT.toString());
        }
    }

    @Inject
    BuildSweeper sweeper;

    @Inject
    ChildVersions children;

    @Test
    void anInterruptedBuildIsResumedOnceAndAFreshOneIsLeftAlone() throws Exception {
        LoopFixture.Served crashed = served("crashed", 5, 4);
        String dataset = crashed.dataset(), parent = crashed.parentVersion(), route = crashed.route();
        String id = crashed.firstAlert();
        approvedThenCrashed(id);
        // The crash came after the child version was committed, before the training was requested.
        Path fetched = Files.createTempFile("traffic", ".jsonl");
        Files.writeString(fetched, traffic(4), StandardCharsets.UTF_8);
        VersionCommitter.Committed before = children.create(dataset, parent, fetched);
        Files.delete(fetched);
        assertTrue(before.created());

        String busy = served("busy", 5, 0).firstAlert();

        Thread.sleep(BUILD_TIMEOUT.toMillis() + 500);
        approvedThenCrashed(busy); // a build under way: its last step is recent
        try (KafkaConsumer<String, String> requests = trainingRequests()) {
            sweeper.sweep();
            // Read before build-timeout passes for it too (the minute's sweep would then rightly resume it).
            JsonPath underWay = given().get("/retrainings/{id}", busy).then().statusCode(200).extract().jsonPath();
            assertEquals("BUILDING", underWay.getString("status"), underWay.prettify());
            assertEquals(List.of("PENDING_APPROVAL", "BUILDING"), underWay.getList("steps.status"));

            JsonPath resumed = retrainings(route, 1).setRootPath("[0]");
            assertEquals("REQUESTED", resumed.getString("status"), resumed.prettify());
            assertEquals(List.of("PENDING_APPROVAL", "BUILDING", "BUILDING", "REQUESTED"),
                    resumed.getList("steps.status"));
            assertTrue(resumed.getString("steps[2].why").matches("build resumed: no step since \\S+ "
                    + "\\(build-timeout PT8S\\)"), resumed.prettify());
            assertEquals(before.version().version(), resumed.getString("lineage.childVersion"));
            assertEquals(List.of(parent, before.version().version()), given().get("/datasets/{d}/versions", dataset)
                    .then().statusCode(200).extract().jsonPath().getList("version"), "no second child");
            List<TrainingRequested> sent = requestsFor(requests, resumed.getString("jobId"), 0, Duration.ofSeconds(3));
            assertEquals(1, sent.size(), sent.toString());
            assertEquals(before.version().version(), sent.get(0).dataset().version());
            assertEquals(route, sent.get(0).route());
        }
    }
}
