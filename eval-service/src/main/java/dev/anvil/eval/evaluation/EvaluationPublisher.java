package dev.anvil.eval.evaluation;

import dev.anvil.eval.EvalConfig;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.service.background.Periodic;
import dev.anvil.service.kafka.EventProducer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Publishes each finished evaluation once as {@link EvaluationCompleted} on {@code evaluation.events}, keyed by the
 * model version (the job id; the evaluation id for an ad-hoc evaluation of no job). The evaluation row is its own
 * outbox: {@code publishedAt} is set once the broker acknowledged the event, and rows still unset are sent again on
 * the next round, so an event is never lost to a broker outage or a restart (a consumer may see one twice and must
 * be idempotent, as every Anvil consumer is). Runs on a thread of its own, so that a broker outage never holds up
 * an evaluation. Each event is sent in the trace the evaluation was submitted in (its saved traceparent).
 */
@ApplicationScoped
public class EvaluationPublisher {
    private static final Logger LOG = Logger.getLogger(EvaluationPublisher.class);
    static final String SOURCE = "eval-service";
    private static final int BATCH = 50;

    private final EventProducer producer;
    private final EvalConfig config;
    private Periodic rounds;

    public EvaluationPublisher(EventProducer producer, EvalConfig config) {
        this.producer = producer;
        this.config = config;
    }

    void start(@Observes StartupEvent ignored) {
        rounds = Periodic.every("anvil-eval-publisher", config.pollInterval(), this::publishPending);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (rounds != null) rounds.close();
    }

    /** Publishes soon rather than at the next round (an evaluation just finished). */
    void wake() {
        if (rounds != null) rounds.wake();
    }

    private void publishPending() {
        try {
            List<Evaluation> pending = QuarkusTransaction.requiringNew().call(() -> Evaluation.<Evaluation>find(
                            "status in ?1 and publishedAt is null order by finishedAt, id",
                            List.of(EvaluationStatus.COMPLETED, EvaluationStatus.FAILED))
                    .page(0, BATCH).list());
            for (Evaluation e : pending) {
                producer.publish(SOURCE, event(e), e.traceparent);
                QuarkusTransaction.requiringNew().run(() -> Evaluation.update("publishedAt = ?1 where id = ?2",
                        Instant.now(), e.id));
                LOG.infof("evaluation %s published: %s", e.id, e.verdict);
            }
        } catch (RuntimeException e) {
            // The broker or the database is away: the rows stay unpublished and the next round tries again.
            LOG.warnf("evaluation.events: publishing waits (%s)", e.getMessage());
        }
    }

    static EvaluationCompleted event(Evaluation e) {
        EvaluationView view = EvaluationView.of(e, null);
        Map<String, Map<String, Double>> metrics = view.metrics() == null ? Map.of() : view.metrics();
        String base = e.candidateBase != null ? e.candidateBase : e.baseline().describe();
        return new EvaluationCompleted(e.id, e.modelVersion != null ? e.modelVersion : e.id, base,
                e.candidateAdapter, metrics.get("candidate"), metrics.get("baseline"),
                e.verdict == null ? Verdict.FAIL : Verdict.fromWire(e.verdict), view.reasons(), null, e.route);
    }
}
