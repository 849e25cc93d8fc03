package dev.anvil.dataset.retrain;

import dev.anvil.dataset.ServiceMetrics;
import dev.anvil.events.testing.PrometheusText;
import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import static dev.anvil.dataset.ServiceMetrics.grown;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The retraining meters on {@code /q/metrics} held against {@code GET /retrainings}: what the API lists as ended or
 * requested is what was counted, no more (a redelivered alert, a decision retried after a lost race count nothing),
 * and the in-flight gauges are the database's counts. Meters count just after the commit the API reads, so each
 * check waits a little.
 */
final class RetrainingMetrics {

    static final String ENDED = "anvil_dataset_retrainings_ended_total";
    static final String REQUESTED = "anvil_dataset_retrainings_requested_total";
    static final String IN_FLIGHT = "anvil_dataset_retrainings_in_flight";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RetrainingMetrics() {
    }

    /**
     * Since {@code before}, the outcome counters of {@code feature} grew by the retrainings {@code list} shows ended,
     * status by status, and the requests of {@code route} by those it shows requested. The list must be all that
     * ended with that feature meanwhile.
     */
    static void assertCountedAsListed(PrometheusText before, JsonPath list, String route, String feature) {
        List<String> statuses = list.getList("status");
        long requested = list.getList("requestedAt").stream().filter(Objects::nonNull).count();
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusText after = ServiceMetrics.scrape();
            for (RetrainingStatus status : RetrainingStatus.values()) {
                if (status.inFlight()) continue;
                long listed = statuses.stream().filter(status.name()::equals).count();
                assertEquals(listed, grown(before, after, ENDED, "status", status.name(), "feature", feature),
                        status + " " + feature + ": " + statuses);
            }
            if (requested == 0) {
                assertFalse(after.has(REQUESTED, "route", route), "no series before its first request: " + route);
            } else {
                assertEquals(requested, grown(before, after, REQUESTED, "route", route), "requested on " + route);
            }
        });
    }

    /** The in-flight gauges equal what {@code GET /retrainings} lists in flight, status by status. */
    static void assertInFlightAsListed() {
        await().atMost(WAIT).untilAsserted(() -> {
            List<String> all = given().get("/retrainings").then().statusCode(200).extract().jsonPath()
                    .getList("status");
            PrometheusText page = ServiceMetrics.scrape();
            for (RetrainingStatus status : RetrainingStatus.IN_FLIGHT) {
                assertEquals(all.stream().filter(status.name()::equals).count(),
                        page.value(IN_FLIGHT, "status", status.name()), status + ": " + all);
            }
        });
    }
}
