package dev.anvil.trainer.job;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anvil.events.Topics;
import dev.anvil.events.testing.InProcessKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Bad {@code POST /jobs} bodies answer 400 problem details whose detail names the field at fault, before anything
 * is published; the same bodies on Kafka go to the dead-letter topic. No bad input reaches a 500 or puts a raw
 * control character into the log.
 */
@QuarkusTest
@QuarkusTestResource(InProcessKafka.class)
class BadRequestsTest {

    @ConfigProperty(name = "anvil.data-dir")
    Path dataDir;

    @Inject
    JobRequestValidator validator;

    /** Every log line written while a test runs, with its parameters and exception, to look for control bytes. */
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r.getMessage() + Arrays.toString(r.getParameters())
                        + (r.getThrown() == null ? "" : r.getThrown().toString()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void prepare() throws Exception {
        ServiceFixtures.prepare(dataDir);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void noRawControlCharactersWereLogged() {
        Logger.getLogger("").removeHandler(capture);
        synchronized (logged) {
            for (String line : logged) {
                assertTrue(line.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f),
                        "raw control character in a log line: " + line.replaceAll("\\p{Cntrl}", "?"));
            }
        }
    }

    /** A valid body: LoRA on aidreams260K and colors/v1. */
    private static String valid() {
        return ServiceFixtures.body("bad-" + UUID.randomUUID(), "colors", 1e-2, 4, "");
    }

    /** {@link #valid()} with {@code from} replaced by {@code to}. */
    private static String body(String from, String to) {
        String valid = valid();
        assertTrue(valid.contains(from), from);
        return valid.replace(from, to);
    }

    private static void refused(String body, String detail) {
        given().contentType("application/json").body(body).post("/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400))
                .body("detail", containsString(detail));
    }

    /** The cases below change one thing of a body that passes (checked here without publishing a job). */
    @Test
    void theBodyTheCasesChangeIsValid() {
        byte[] body = valid().getBytes(StandardCharsets.UTF_8);
        validator.validate(RequestBody.read(new ByteArrayInputStream(body), body.length));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"maxSteps\":4         | \"maxSteps\":-5                   | hyperparameters.maxSteps must be >= 1, got -5",
            "\"maxSteps\":4         | \"maxSteps\":0                    | hyperparameters.maxSteps must be >= 1, got 0",
            "\"warmupSteps\":1      | \"warmupSteps\":-1                | hyperparameters.warmupSteps must be >= 0, got -1",
            "\"maxSteps\":4         | \"epochs\":0                      | hyperparameters.epochs must be >= 1, got 0",
            "\"maxSteps\":4         | \"gradientAccumulation\":0        | hyperparameters.gradientAccumulation must be >= 1",
            "\"microBatchSize\":4   | \"microBatchSize\":0              | hyperparameters.microBatchSize must be >= 1, got 0",
            "\"maxSeqLength\":128   | \"maxSeqLength\":-1               | hyperparameters.maxSeqLength must be >= 2",
            "\"loraRank\":8         | \"loraRank\":0                    | hyperparameters.loraRank must be in 1..256, got 0",
            "\"loraAlpha\":16.0     | \"loraAlpha\":-16.0               | hyperparameters.loraAlpha must be > 0, got -16.0",
            "\"loraDropout\":0.0    | \"loraDropout\":1.0               | hyperparameters.loraDropout must be in [0, 1), got 1.0",
            "\"learningRate\":0.01  | \"learningRate\":0                | hyperparameters.learningRate must be in (0, 1], got 0.0",
            "\"learningRate\":0.01  | \"learningRate\":1e400            | hyperparameters.learningRate must be in (0, 1], got Infinity",
            "\"maxSteps\":4         | \"weightDecay\":-0.1              | hyperparameters.weightDecay must be >= 0, got -0.1",
            "\"maxSteps\":4         | \"maxGradNorm\":0                 | hyperparameters.maxGradNorm must be > 0, got 0.0",
            "\"maxSteps\":4         | \"evalInterval\":0                | hyperparameters.evalInterval must be >= 1, got 0",
            "\"maxSteps\":4         | \"earlyStoppingPatience\":-1      | hyperparameters.earlyStoppingPatience must be >= 0",
            "\"maxSteps\":4         | \"earlyStoppingMinDelta\":-1      | hyperparameters.earlyStoppingMinDelta must be >= 0",
            "\"maxSteps\":4         | \"checkpointInterval\":0          | hyperparameters.checkpointInterval must be >= 1",
            "\"maxSteps\":4         | \"checkpointsToKeep\":0           | hyperparameters.checkpointsToKeep must be >= 1",
            "\"maxSteps\":4         | \"scheduler\":\"step\"            | hyperparameters.scheduler 'step' is not one of",
            "\"maxSteps\":4         | \"lossOn\":\"everything\"         | hyperparameters.lossOn 'everything' is not one of",
    })
    void aHyperparameterOutOfItsRangeIsRefusedNamingTheRange(String from, String to, String detail) {
        refused(body(from, to), detail);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"baseModel\":\"aidreams260K\"   | \"baseModel\":\"aid\\u0000reams\"   | field 'baseModel' must not contain control characters (U+0000 at index 3)",
            "\"baseModel\":\"aidreams260K\"   | \"baseModel\":\"/x\\n\"             | field 'baseModel' must not contain control characters (U+000A at index 2)",
            "\"name\":\"colors\"              | \"name\":\"col\\u202eors\"          | field 'dataset.name' must not contain control characters (U+202E at index 3)",
            "\"version\":\"v1\"               | \"version\":\"v1\\u001b[31m\"       | field 'dataset.version' must not contain control characters (U+001B at index 2)",
            "\"jobId\":\"bad-                 | \"jobId\":\"\\u0007bad-             | field 'jobId' must not contain control characters (U+0007 at index 0)",
            "\"baseModel\":\"aidreams260K\"   | \"baseModel\":\"../../etc\"         | baseModel '../../etc' must be a model folder name under models/ or an absolute path",
            "\"baseModel\":\"aidreams260K\"   | \"baseModel\":\"/etc\"              | baseModel '/etc' is outside the allowed model roots",
            "\"name\":\"colors\"              | \"name\":\"..\"                     | dataset.name '..' must match",
            "\"name\":\"colors\"              | \"name\":\"a/b\"                    | dataset.name 'a/b' must match",
            "\"version\":\"v1\"               | \"version\":\"../v1\"               | dataset.version '../v1' must match",
            "\"jobId\":\"bad-                 | \"jobId\":\"../bad-                 | jobId '../bad-",
    })
    void aNameWithControlCharactersOrLeavingItsFolderIsRefused(String from, String to, String detail) {
        refused(body(from, to), detail);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"learningRate\":0.01  | \"learningRate\":\"abc\"  | field 'hyperparameters.learningRate' must be a number",
            "\"maxSteps\":4         | \"maxSteps\":\"4\"        | field 'hyperparameters.maxSteps' must be an integer",
            "\"maxSteps\":4         | \"maxSteps\":99999999999  | hyperparameters.maxSteps",
            "\"maxSteps\":4         | \"packing\":\"yes\"       | field 'hyperparameters.packing' must be true or false",
            "\"seed\":7             | \"seed\":[7]              | field 'hyperparameters.seed' must be an integer",
            "\"seed\":7             | \"targetModules\":\"q\"   | field 'hyperparameters.targetModules' must be an array",
            "\"maxSteps\":4         | \"targetModules\":[null]  | 'hyperparameters.targetModules[0]'",
            "\"method\":\"lora\"    | \"method\":7              | unknown training method '7'",
            "\"dataset\":{\"name\":\"colors\",\"version\":\"v1\"} | \"dataset\":\"colors\" | field 'dataset' must be an object",
            "\"loraRank\":8         | \"loraRank\":2.5          | field 'hyperparameters.loraRank' must be an integer",
            "\"loraRank\":8         | \"loraRank\":8.0          | field 'hyperparameters.loraRank' must be an integer",
    })
    void aWrongJsonTypeNamesTheFieldByItsPathAndTheExpectedType(String from, String to, String detail) {
        refused(body(from, to), detail);
    }

    @Test
    void aDuplicateKeyAndTrailingContentAreRefused() {
        refused(body("\"maxSteps\":4", "\"maxSteps\":4,\"maxSteps\":400"),
                "duplicate field 'hyperparameters.maxSteps'");
        refused(body("\"baseModel\"", "\"jobId\":\"twice\",\"baseModel\""), "duplicate field 'jobId'");
        refused(valid() + "{}", "not JSON: unexpected content after the JSON value");
        refused(valid() + " garbage", "not JSON");
        refused("", "not JSON");
        refused("[1]", "the body must be a JSON object");
    }

    /** The shared guard (service-kit): framework errors are problem details too. */
    @Test
    void anUnparsableContentTypeAndAnUnknownRouteAreProblemDetails() {
        given().header("Content-Type", ";;;/==").body("{}".getBytes(StandardCharsets.UTF_8)).post("/jobs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("the Content-Type header ';;;/=="));
        given().get("/no-such-route").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        given().delete("/jobs").then().statusCode(405).contentType("application/problem+json");
    }

    /** The same strictness for a request on Kafka: such a message is dead-lettered with the same reason. */
    @Test
    void aStrictlyUnreadableKafkaRequestIsDeadLetteredNamingTheField() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"\"maxSteps\":4,\"maxSteps\":400", "duplicate field 'data.hyperparameters.maxSteps'"},
                new String[] {"\"maxSteps\":2.5", "field 'hyperparameters.maxSteps' must be an integer"},
                new String[] {"\"maxSteps\":4,\"computeDtype\":\"float\\u000032\"",
                        "field 'hyperparameters.computeDtype' must not contain control characters (U+0000 at index 5)"});
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> dlq =
                     InProcessKafka.consumer(Topics.deadLetter(Topics.TRAINING_REQUESTS))) {
            for (String[] c : cases) {
                String key = "strict-" + UUID.randomUUID();
                String data = body("\"maxSteps\":4", c[0]);
                producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, key, envelope(key, data))).get();
                String reason = ServiceFixtures.reason(ServiceFixtures.awaitDeadLetter(dlq, key, Duration.ofSeconds(30)));
                assertTrue(reason.contains(c[1]), reason);
            }
        }
    }

    /**
     * A name longer than the trainer's columns is refused where it is read: dead-lettered, and the next request on
     * the same partition is taken. (It used to pass parsing, fail validation, overflow the column while being
     * recorded as a failed job, and be retried forever, holding up its partition.)
     */
    @Test
    void aNameTooLongToKeepIsDeadLetteredAndTheRequestsBehindItAreTaken() throws Exception {
        String next = "behind-long-" + UUID.randomUUID();
        List<String[]> cases = List.of(
                new String[] {"long-id-" + UUID.randomUUID(), body("\"jobId\":\"bad-", "\"jobId\":\"" + "x".repeat(129)),
                        "field 'jobId' must be at most 128 characters long"},
                new String[] {"long-model-" + UUID.randomUUID(), body("aidreams260K", "m".repeat(1_025)),
                        "field 'baseModel' must be at most 1024 characters long, got 1025"});
        try (KafkaProducer<String, String> producer = InProcessKafka.producer();
             KafkaConsumer<String, String> dlq =
                     InProcessKafka.consumer(Topics.deadLetter(Topics.TRAINING_REQUESTS))) {
            for (String[] c : cases) {
                producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, 0, c[0], envelope(c[0], c[1]))).get();
                String reason = ServiceFixtures.reason(ServiceFixtures.awaitDeadLetter(dlq, c[0], Duration.ofSeconds(30)));
                assertTrue(reason.contains(c[2]), reason);
            }
            // Behind them on the same partition: recorded as failed at once (no such dataset), without training.
            String behind = ServiceFixtures.body(next, "no-such-dataset", 1e-2, 4, "");
            producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, 0, next, envelope(next, behind))).get();
        }
        ServiceFixtures.awaitStatus(next, "failed", Duration.ofSeconds(30));
    }

    /** A TrainingRequested envelope around {@code data}, written by hand: the record would refuse such data. */
    private static String envelope(String id, String data) {
        return "{\"id\":\"" + id + "\",\"type\":\"TrainingRequested\",\"source\":\"test\","
                + "\"time\":\"2026-11-28T10:00:00Z\",\"data\":" + data + "}";
    }
}
