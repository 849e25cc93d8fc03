package dev.anvil.dataset.retrain;

import dev.anvil.events.Envelope;
import dev.anvil.events.EventData;
import dev.anvil.events.InvalidEventException;
import dev.anvil.events.Topics;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.evaluation.Verdict;
import dev.anvil.events.model.ModelVersionPromoted;
import dev.anvil.events.model.ModelVersionRegistered;
import dev.anvil.events.model.ModelVersionRolledBack;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.service.kafka.EventConsumers;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The retraining loop's Kafka side, through the shared consumer loop: training requests are recorded (how a model
 * version leads back to its data and settings), drift alerts go to the policy, and the events that end a requested
 * retraining (or only mark its way) go to its trail. Handlers are idempotent; a message that is not what its topic
 * carries, or whose id is too long to keep, is dead-lettered.
 */
@ApplicationScoped
public class RetrainingConsumers {
    static final String REQUESTS = "training.requests consumer";
    static final String DRIFT = "drift.events consumer";
    static final String TRAINING = "training.events consumer";
    static final String EVALUATION = "evaluation.events consumer";
    static final String MODELS = "model.events consumer";
    static final String GROUP = "dataset-service";
    /** The event ids kept in the retraining tables are at most this long. */
    static final int MAX_EVENT_ID = 255;

    private final EventConsumers consumers;
    private final Retrainings retrainings;

    public RetrainingConsumers(EventConsumers consumers, Retrainings retrainings) {
        this.consumers = consumers;
        this.retrainings = retrainings;
    }

    void start(@Observes StartupEvent ignored) {
        consumers.start(REQUESTS, Topics.TRAINING_REQUESTS, GROUP,
                event -> retrainings.onTrainingRequested(storable(event)));
        consumers.start(DRIFT, Topics.DRIFT_EVENTS, GROUP, event -> retrainings.onDrift(storable(event)));
        consumers.start(TRAINING, Topics.TRAINING_EVENTS, GROUP, this::onTrainingEvent);
        consumers.start(EVALUATION, Topics.EVALUATION_EVENTS, GROUP, this::onEvaluation);
        consumers.start(MODELS, Topics.MODEL_EVENTS, GROUP, this::onModelEvent);
    }

    private void onTrainingEvent(Envelope event) {
        EventData data = event.data();
        if (data instanceof TrainingFailed failed) {
            outcome(event, failed.jobId(), RetrainingStatus.TRAINING_FAILED, "training failed: " + failed.reason());
        } else if (data instanceof TrainingCancelled cancelled) {
            outcome(event, cancelled.jobId(), RetrainingStatus.TRAINING_FAILED,
                    "training cancelled at step " + cancelled.step());
        } else if (data instanceof TrainingCompleted done) {
            outcome(event, done.jobId(), null, "training completed (best step " + done.bestStep() + ")");
        }
    }

    private void onEvaluation(Envelope event) {
        if (event.data() instanceof EvaluationCompleted evaluation) {
            boolean failed = evaluation.verdict() == Verdict.FAIL;
            outcome(event, evaluation.modelVersion(), failed ? RetrainingStatus.REJECTED : null,
                    "evaluation " + evaluation.evaluationId() + ": " + evaluation.verdict().wireName() + " "
                            + evaluation.reasons());
        }
    }

    private void onModelEvent(Envelope event) {
        EventData data = event.data();
        if (data instanceof ModelVersionPromoted promoted) {
            outcome(event, promoted.modelVersion(), RetrainingStatus.PROMOTED,
                    "promoted on route " + promoted.model() + " (previous " + promoted.previous() + ")");
        } else if (data instanceof ModelVersionRolledBack rolledBack) {
            outcome(event, rolledBack.modelVersion(), RetrainingStatus.ROLLED_BACK, "rolled back on route "
                    + rolledBack.model() + " to " + rolledBack.restored() + ": " + rolledBack.reason());
        } else if (data instanceof ModelVersionRegistered registered) {
            outcome(event, registered.modelVersion(), null, "registered on route " + registered.model());
        }
    }

    private void outcome(Envelope event, String jobId, RetrainingStatus status, String why) {
        retrainings.onOutcome(jobId, storable(event).id(), status, why);
    }

    private static Envelope storable(Envelope event) {
        if (event.id().length() > MAX_EVENT_ID) {
            throw new InvalidEventException("event id longer than " + MAX_EVENT_ID + " characters");
        }
        return event;
    }
}
