package dev.anvil.system;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventCodec;
import dev.anvil.events.testing.InProcessKafka;
import dev.anvil.events.training.DatasetRef;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.system.AnvilSystem.Service;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closed loop on the four packaged services and one broker, as users drive it: a trained version is canaried and
 * promoted on its route; its users' questions drift, and the gateway's {@code DriftDetected} makes the dataset-service
 * build a child version of the traffic and request its training, which is trained, evaluated, canaried and promoted
 * with no one in between (while the dataset-service and the eval-service are killed and started again mid-loop); a
 * second retraining on traffic whose users "corrected" it with a wrong answer is stopped, at the gate or by the
 * users' ratings of its canary, while the stable version answers every request; and every message of every topic
 * sent again changes nothing any service shows. The steps run in order on one system: each starts where the one
 * before it left the route.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClosedLoopIT {
    static final String ROUTE = "faq";
    static final String BASE_VERSION = "aidreams260K-base";
    static final String FIRST_JOB = "loop-first";
    static final Duration STEP = Duration.ofMinutes(4);
    /** The FAQ's questions (docs/examples/faq.csv), each once. */
    static final List<String> FAQ = new ArrayList<>();
    /** Longer questions of another kind, within the small model's 128 positions with the answer. */
    static final List<String> DRIFTED = List.of(
            "Summarise the incident report for the board: outages, root causes and which actions are still open.",
            "How do we keep invoices consistent while moving billing from nightly batches to streaming events?");
    /** The "correction" careless users send for every answer: the retraining on it learns a non-answer. */
    static final String WRONG = "Please contact our sales team.";

    static AnvilSystem system;
    static Users users;
    static String faqVersion;
    /** The version that serves the route after the previous step. */
    static String stable;

    @BeforeAll
    static void startTheSystem() throws Exception {
        for (String line : Files.readAllLines(AnvilSystem.ROOT.resolve("docs/examples/faq.csv")).subList(1, 9)) {
            String question = line.substring(0, line.indexOf(",\""));
            if (!FAQ.contains(question)) FAQ.add(question);
        }
        system = AnvilSystem.start(Map.of(
                "anvil.dataset.retraining.mode", "automatic",
                "anvil.dataset.retraining.cooldown", "PT1S"));
        String key = system.admin().contentType("application/json").body(Map.of("name", "users"))
                .post("/admin/keys").then().statusCode(201).extract().path("key");
        users = new Users(system.url(Service.GATEWAY), key);
    }

    @AfterAll
    static void stopTheSystem() throws Exception {
        if (system != null) system.close();
    }

    @Test
    @Order(1)
    void aTrainedVersionIsEvaluatedCanariedAndPromotedOnItsRoute() throws Exception {
        faqVersion = system.call(Service.DATASET).contentType("text/csv")
                .body(Files.readString(AnvilSystem.ROOT.resolve("docs/examples/faq.csv")))
                .post("/datasets/faq/versions?validationFraction=0.2&seed=1")
                .then().statusCode(201).extract().path("version");
        // The route serves the base model until a trained version earns it.
        system.admin().contentType("application/json")
                .body(Map.of("id", BASE_VERSION, "modelPath", "models/" + AnvilSystem.MODEL))
                .post("/admin/versions").then().statusCode(201);
        system.admin().contentType("application/json").body(Map.of("version", BASE_VERSION))
                .put("/admin/routes/" + ROUTE).then().statusCode(200);

        Hyperparameters settings = EventCodec.treeToValue(EventCodec.readTree("""
                {"learningRate":0.01,"maxSteps":60,"microBatchSize":2,"maxSeqLength":128,"loraDropout":0.0,
                 "evalInterval":20,"checkpointInterval":20,"seed":0}"""), Hyperparameters.class);
        try (KafkaProducer<String, String> producer = InProcessKafka.producer()) {
            producer.send(EventCodec.toRecord(Envelope.wrap("anvil/system-tests", new TrainingRequested(FIRST_JOB,
                    AnvilSystem.MODEL, new DatasetRef("faq", faqVersion), TrainingMethod.QLORA, settings, false,
                    ROUTE)))).get();
        }

        assertEquals("CANARY", awaitVerdict(FIRST_JOB).getString("state"));
        assertEquals("PROMOTED", followCanary(FIRST_JOB));
        assertEquals(FIRST_JOB, route().getString("version"));
        stable = FIRST_JOB;
    }

    @Test
    @Order(2)
    void driftingTrafficIsRetrainedOnEvaluatedCanariedAndPromotedEvenWhenServicesRestart() throws Exception {
        // The stable version's drift reference fills with the FAQ's questions ...
        await().atMost(STEP).until(() -> {
            users.askAll(ROUTE, FAQ);
            return system.admin().get("/admin/drift/" + stable).jsonPath().getBoolean("drift.reference.complete");
        });
        // ... then its users ask another kind of question, until the gateway's alert starts a retraining.
        JsonPath retraining = awaitRetrainingOf(stable, () -> users.askAll(ROUTE, DRIFTED));
        String id = retraining.getString("id");
        retraining = await().atMost(STEP).until(() -> retraining(id), r -> !r.getString("status").equals("BUILDING"));
        assertEquals("REQUESTED", retraining.getString("status"), retraining.prettify());
        assertEquals(faqVersion, retraining.getString("lineage.parentVersion"));
        String child = retraining.getString("lineage.childVersion");
        assertEquals(faqVersion, system.call(Service.DATASET).get("/datasets/faq/versions/" + child)
                .then().statusCode(200).extract().path("parent"));

        // Mid-loop, the dataset-service (waiting for the outcome) and the eval-service (about to evaluate) crash and
        // come back: each resumes from its database and its committed offsets.
        system.kill(Service.DATASET);
        system.kill(Service.EVAL);
        system.restart(Service.EVAL);
        system.restart(Service.DATASET);

        String job = retraining.getString("jobId");
        assertEquals("CANARY", awaitVerdict(job).getString("state"));
        assertEquals("PROMOTED", followCanary(job));
        assertEquals(job, route().getString("version"));
        JsonPath outcome = await().atMost(STEP).until(() -> retraining(id), r -> !r.getString("status").equals("REQUESTED"));
        assertEquals("PROMOTED", outcome.getString("status"), outcome.prettify());
        String trail = String.join("\n", outcome.<String>getList("steps.why"));
        for (String step : List.of("training completed", "evaluation ", "registered on route faq",
                "promoted on route faq (previous " + stable + ")")) {
            assertTrue(trail.contains(step), "the audit trail shows '" + step + "':\n" + trail);
        }
        stable = job;
    }

    @Test
    @Order(3)
    void aRetrainingOnWrongCorrectionsIsStoppedWhileTheStableVersionKeepsServing() throws Exception {
        int before = users.answers().size();
        // Careless users rate every answer down and "correct" it with a non-answer, until the gateway's alert (the
        // share of negative ratings) starts a retraining on that traffic.
        JsonPath retraining = awaitRetrainingOf(stable, () -> {
            for (String question : FAQ) users.rate(users.ask(ROUTE, question), -1, WRONG);
        });
        String id = retraining.getString("id");
        // Then the users rate every answer until the retraining ends: the non-answer down, any other answer up. The
        // canary is compared with the stable version as rated over the same seconds.
        JsonPath outcome = await().atMost(STEP.multipliedBy(2)).until(() -> {
            for (String question : FAQ) {
                Users.Answer answer = users.ask(ROUTE, question);
                users.rate(answer, answer.content().contains(WRONG.substring(0, 20)) ? -1 : 1, null);
            }
            return retraining(id);
        }, r -> !Set.of("BUILDING", "REQUESTED").contains(r.getString("status")));

        String status = outcome.getString("status");
        String job = outcome.getString("jobId");
        assertTrue(Set.of("REJECTED", "ROLLED_BACK").contains(status), outcome.prettify() + "\n"
                + system.admin().get("/admin/versions/" + job + "/rollout").asString());
        assertEquals(stable, route().getString("version"));
        assertEquals(List.of(100), route().getList("variants.weight"), "the stable version has the whole route again");
        for (Users.Answer answer : users.answers().subList(before, users.answers().size())) {
            assertTrue(Set.of(stable, job).contains(answer.version()), "served by " + answer.version());
        }
        JsonPath rollout = system.admin().get("/admin/versions/" + job + "/rollout").jsonPath();
        assertEquals(status, rollout.getString("state"), rollout.prettify());
    }

    @Test
    @Order(4)
    void everyMessageDeliveredAgainChangesNothing() throws Exception {
        Map<String, String> before = observable();
        Redelivery redelivery = new Redelivery(system.kafka);
        int sent = redelivery.resendEverything();
        assertTrue(sent > 50, "the loop's messages: " + sent);
        redelivery.awaitConsumed(STEP);
        Thread.sleep(3_000); // an outbox that would publish something new relays every 1-2 s
        assertEquals(before, observable());
    }

    /** What each service shows of the loop: retrainings, dataset versions, jobs, evaluations, versions, the route. */
    static Map<String, String> observable() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("retrainings", system.call(Service.DATASET).get("/retrainings").asString());
        shown.put("dataset versions", system.call(Service.DATASET).get("/datasets/faq/versions").asString());
        shown.put("jobs", system.call(Service.TRAINER).get("/jobs").asString());
        shown.put("evaluations", system.call(Service.EVAL).get("/evaluations").asString());
        shown.put("versions", system.admin().get("/admin/versions").asString());
        shown.put("route", system.admin().get("/admin/routes/" + ROUTE).asString());
        return shown;
    }

    /** Asks until the dataset-service holds a retraining of the route triggered by {@code version}'s traffic. */
    static JsonPath awaitRetrainingOf(String version, Runnable traffic) {
        String started = "find { it.trigger.modelVersion == '" + version + "' && it.status != 'SKIPPED' }.id";
        String id = await().atMost(STEP).until(() -> {
            traffic.run();
            return system.call(Service.DATASET).get("/retrainings?route=" + ROUTE).jsonPath().getString(started);
        }, found -> found != null);
        return retraining(id);
    }

    static JsonPath retraining(String id) {
        return system.call(Service.DATASET).get("/retrainings/" + id).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath route() {
        return system.admin().get("/admin/routes/" + ROUTE).then().statusCode(200).extract().jsonPath();
    }

    /** Waits for the gateway to take the evaluation's verdict on {@code version}: its rollout. */
    static JsonPath awaitVerdict(String version) {
        return await().atMost(STEP).pollInterval(Duration.ofSeconds(1)).until(
                () -> system.admin().get("/admin/versions/" + version + "/rollout"),
                response -> response.statusCode() == 200).jsonPath();
    }

    /** Users ask the FAQ's questions while the gateway checks the canary; answers its final state. */
    static String followCanary(String version) {
        return await().atMost(STEP).until(() -> {
            users.askAll(ROUTE, FAQ);
            return system.admin().get("/admin/versions/" + version + "/rollout").jsonPath().getString("state");
        }, state -> !"CANARY".equals(state));
    }
}
