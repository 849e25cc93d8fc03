package dev.anvil.system;

import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.testing.PackagedApplication;
import dev.anvil.events.testing.SharedFixtures;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;

/**
 * The four services as they are deployed: each the packaged application ({@code <module>/target/quarkus-app}) in a
 * process of its own, on one in-process Kafka broker and one data directory (each its own H2 database in it, as
 * {@code scripts/run-local.sh} runs them), with the pace of a test: canary checks every 2 s, drift windows of 40
 * requests. A service can be killed (SIGKILL, as a crash) and started again on the same port and database.
 */
final class AnvilSystem implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("anvil.system.root", "..")).toAbsolutePath().normalize();
    static final Duration READY_WAIT = Duration.ofSeconds(120);
    static final String MODEL = SharedFixtures.MODEL;

    enum Service {
        DATASET("dataset-service", "/q/health/ready", "-Xmx512m"),
        TRAINER("trainer-service", "/jobs", "-Xmx512m"),
        EVAL("eval-service", "/q/health/ready", "-Xmx512m"),
        GATEWAY("inference-gateway", "/q/health/ready", "-Xmx768m");

        final String module;
        final String readyPath;
        final String heap;

        Service(String module, String readyPath, String heap) {
            this.module = module;
            this.readyPath = readyPath;
            this.heap = heap;
        }

        Path jar() {
            return ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /** Its output, appended across restarts, beside the test reports. */
        Path log() {
            return Path.of("target").toAbsolutePath().resolve(module + ".log");
        }
    }

    final Path dataDir;
    final String kafka;
    final String adminKey = secret();
    private final String trafficKey = secret();
    private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final Map<String, String> datasetSettings = new LinkedHashMap<>();
    private String gatewayReadKey;

    private AnvilSystem(Path dataDir, String kafka) {
        this.dataDir = dataDir;
        this.kafka = kafka;
    }

    /**
     * Starts all four on a fresh data directory under {@code target/} (the model linked in, never copied): the
     * trainer, eval-service and gateway together, then the dataset-service with a gateway key that may only read
     * traffic, made through the gateway's admin API as an operator would.
     */
    static AnvilSystem start(Map<String, String> datasetSettings) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "system-");
        Files.createDirectories(dir.resolve("models"));
        Files.createSymbolicLink(dir.resolve("models").resolve(MODEL), SharedFixtures.model());
        AnvilSystem system = new AnvilSystem(dir, InProcessKafka.bootstrapServers());
        try {
            for (Service service : Service.values()) system.ports.put(service, PackagedApplication.freePort());
            for (Service service : List.of(Service.TRAINER, Service.EVAL, Service.GATEWAY)) system.launch(service);
            for (Service service : List.of(Service.TRAINER, Service.EVAL, Service.GATEWAY)) system.awaitReady(service);
            system.gatewayReadKey = system.admin().contentType("application/json")
                    .body(Map.of("name", "dataset-service", "scopes", List.of("traffic:read")))
                    .post("/admin/keys").then().statusCode(201).extract().path("key");
            system.datasetSettings.putAll(datasetSettings);
            system.restart(Service.DATASET);
            return system;
        } catch (Exception | AssertionError e) {
            system.close();
            throw e;
        }
    }

    String url(Service service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    RequestSpecification call(Service service) {
        return given().baseUri(url(service));
    }

    /** The gateway's admin API, with the admin key. */
    RequestSpecification admin() {
        return call(Service.GATEWAY).header("Authorization", "Bearer " + adminKey);
    }

    /** Kills the service at once (SIGKILL: no shutdown hook, no last commit), as a crash or an evicted pod. */
    void kill(Service service) throws InterruptedException {
        Process process = processes.remove(service);
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the service (again, after {@link #kill}) on its port and database, and waits until it is ready. */
    void restart(Service service) throws Exception {
        kill(service);
        launch(service);
        awaitReady(service);
    }

    private void launch(Service service) throws IOException {
        processes.put(service, PackagedApplication.start(service.jar(), List.of(service.heap), settings(service),
                environment(service), service.log()));
    }

    private void awaitReady(Service service) throws InterruptedException {
        PackagedApplication.awaitReady(processes.get(service), service.log(), READY_WAIT,
                () -> call(service).get(service.readyPath).statusCode() == 200);
    }

    private Map<String, String> settings(Service service) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.http.port", String.valueOf(ports.get(service)));
        settings.put("anvil.data-dir", dataDir.toString());
        settings.put("kafka.bootstrap.servers", kafka);
        switch (service) {
            case DATASET -> {
                settings.put("anvil.dataset.retraining.gateway-url", url(Service.GATEWAY));
                settings.putAll(datasetSettings);
            }
            case TRAINER -> { }
            case EVAL -> {
                // A killed evaluator's lease runs out in seconds, not a minute: the restart test waits for it.
                settings.put("anvil.eval.lease-timeout", "PT10S");
                settings.put("anvil.eval.heartbeat-interval", "PT2S");
                settings.put("anvil.eval.poll-interval", "PT1S");
            }
            case GATEWAY -> {
                settings.put("anvil.gateway.base-models", MODEL);
                // Every request reaches a version: the tests measure versions, not the response cache.
                settings.put("anvil.gateway.cache.enabled", "false");
                // A canary's pace for a test: a quarter of the route, then half, checked every 2 s on 4 requests,
                // promoted by two passing checks, rolled back by one failing check. The latency bound is wide:
                // training and evaluation share the test machine's two cores with serving.
                settings.put("anvil.gateway.rollout.first-weight", "25");
                settings.put("anvil.gateway.rollout.step-weight", "25");
                settings.put("anvil.gateway.rollout.max-weight", "50");
                settings.put("anvil.gateway.rollout.interval", "PT2S");
                settings.put("anvil.gateway.rollout.min-requests", "4");
                settings.put("anvil.gateway.rollout.min-feedback", "2");
                settings.put("anvil.gateway.rollout.threshold", "1");
                settings.put("anvil.gateway.rollout.latency-slack", "PT5S");
                // Live counts in windows of 1 s, so that a check every 2 s sees its own seconds.
                settings.put("anvil.gateway.live.flush-interval", "PT1S");
                // Drift of a short run: a reference of 40 requests, windows of 40, judged from 20.
                settings.put("anvil.gateway.drift.reference-size", "40");
                settings.put("anvil.gateway.drift.window-size", "40");
                settings.put("anvil.gateway.drift.min-samples", "20");
                // Ratings alert once a version has as many as a retraining needs samples (min-samples 20).
                settings.put("anvil.gateway.drift.negative-feedback.min-ratings", "20");
            }
        }
        return settings;
    }

    private Map<String, String> environment(Service service) {
        return switch (service) {
            case GATEWAY -> Map.of("ANVIL_GATEWAY_ADMIN_KEY", adminKey, "ANVIL_GATEWAY_TRAFFIC_KEY", trafficKey);
            case DATASET -> Map.of("ANVIL_DATASET_RETRAINING_GATEWAY_KEY", gatewayReadKey);
            default -> Map.of();
        };
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes.values()) process.destroy();
        for (Process process : processes.values()) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        processes.clear();
    }
}
