package dev.anvil.eval.evaluation;

import dev.anvil.eval.testing.EvalDataDir;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leases: an evaluation held by a live replica is left alone, by this replica's runner and by any claim; once that
 * replica stops refreshing its lease ({@code %test.anvil.eval.lease-timeout} is 4 s), this replica takes it over and
 * runs it again from the start, to completion.
 */
@QuarkusTest
@QuarkusTestResource(value = EvalDataDir.class, restrictToAnnotatedClass = false)
class LeasesTest {

    @Inject
    EvaluationLeases leases;

    @Test
    void aLiveLeaseIsRespectedAndAnExpiredOneTakenOver() {
        String id = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> {
            Evaluation e = new Evaluation();
            e.id = id;
            e.status = EvaluationStatus.RUNNING;
            e.candidateBase = EvalDataDir.MODEL;
            e.candidateAdapter = EvalDataDir.GOLDEN_ADAPTER;
            e.baselineBase = EvalDataDir.MODEL;
            e.datasetName = EvalDataDir.DATASET;
            e.datasetVersion = EvalDataDir.VERSION;
            e.maxExamples = 2;
            e.generationJson = "{\"enabled\": false, \"maxNewTokens\": 8, \"temperature\": 0, \"topP\": 1, \"seed\": 0}";
            e.policyJson = "{\"minPerplexityImprovement\": 0.0}";
            e.owner = "replica-that-will-die";
            e.heartbeatAt = EvaluationLeases.now();
            e.attempts = 1;
            e.createdAt = Instant.now();
            e.startedAt = e.createdAt;
            e.persist();
        });

        Optional<String> claimed = leases.claimNext("another-replica");
        assertTrue(claimed.isEmpty() || !claimed.get().equals(id), "a live lease cannot be claimed");
        assertEquals("replica-that-will-die", stored(id).owner);
        // Another replica's run is counted here too: the autoscaler reads the database's numbers from any replica.
        assertTrue(TrainingEventsTest.metrics().value("anvil_eval_evaluations_running") >= 1,
                "the held evaluation is running");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored(id).status == EvaluationStatus.COMPLETED);
        Evaluation done = stored(id);
        assertEquals(2, done.attempts, "taken over once");
        assertTrue(done.metricsJson.contains("perplexity"), done.metricsJson);
        assertNotEquals(null, done.verdict);
        assertTrue(!leases.heartbeat(id, "replica-that-will-die"), "the dead replica's lease is gone");
        for (EvaluationStatus unfinished : List.of(EvaluationStatus.QUEUED, EvaluationStatus.RUNNING)) {
            String gauge = "anvil_eval_evaluations_" + unfinished.name().toLowerCase(Locale.ROOT);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TrainingEventsTest.metrics().value(gauge) == count(unfinished));
        }
    }

    private static double count(EvaluationStatus status) {
        return QuarkusTransaction.requiringNew().call(() -> Evaluation.count("status", status));
    }

    private static Evaluation stored(String id) {
        return QuarkusTransaction.requiringNew().call(() -> Evaluation.<Evaluation>findById(id));
    }
}
