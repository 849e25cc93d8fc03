package dev.anvil.dataset;

import dev.anvil.events.testing.PrometheusText;

import static io.restassured.RestAssured.given;

/** The dataset-service's {@code /q/metrics} page as its tests read it, and how much a meter grew between two reads. */
public final class ServiceMetrics {

    private ServiceMetrics() {
    }

    public static PrometheusText scrape() {
        return PrometheusText.parse(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** How much {@code name{labels}} grew from {@code before} to {@code after}; absent before counts as 0. */
    public static double grown(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - (before.has(name, labels) ? before.value(name, labels) : 0);
    }
}
