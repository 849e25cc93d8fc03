package dev.anvil.events;

import dev.anvil.events.dataset.DatasetVersionCreated;
import dev.anvil.events.drift.DriftDetected;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.model.ModelVersionPromoted;
import dev.anvil.events.model.ModelVersionRegistered;
import dev.anvil.events.model.ModelVersionRolledBack;
import dev.anvil.events.model.TrafficSplitChanged;
import dev.anvil.events.training.CheckpointSaved;
import dev.anvil.events.training.TrainingCancelled;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.events.training.TrainingFailed;
import dev.anvil.events.training.TrainingProgress;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.events.training.TrainingStarted;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every message type of the contract, the topic it travels on, and its name in the envelope's {@code type}. */
public final class MessageTypes {

    /** A message type and its topic. */
    public record MessageType(String name, Class<? extends EventData> type, String topic) {
    }

    public static final List<MessageType> ALL = List.of(
            of(DatasetVersionCreated.class, Topics.DATASET_EVENTS),
            of(TrainingRequested.class, Topics.TRAINING_REQUESTS),
            of(TrainingStarted.class, Topics.TRAINING_EVENTS),
            of(TrainingProgress.class, Topics.TRAINING_EVENTS),
            of(CheckpointSaved.class, Topics.TRAINING_EVENTS),
            of(TrainingCompleted.class, Topics.TRAINING_EVENTS),
            of(TrainingFailed.class, Topics.TRAINING_EVENTS),
            of(TrainingCancelled.class, Topics.TRAINING_EVENTS),
            of(EvaluationCompleted.class, Topics.EVALUATION_EVENTS),
            of(ModelVersionRegistered.class, Topics.MODEL_EVENTS),
            of(TrafficSplitChanged.class, Topics.MODEL_EVENTS),
            of(ModelVersionPromoted.class, Topics.MODEL_EVENTS),
            of(ModelVersionRolledBack.class, Topics.MODEL_EVENTS),
            of(DriftDetected.class, Topics.DRIFT_EVENTS));

    private static final Map<String, MessageType> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(MessageType::name, Function.identity()));
    private static final Map<Class<?>, MessageType> BY_CLASS =
            ALL.stream().collect(Collectors.toUnmodifiableMap(MessageType::type, Function.identity()));

    private MessageTypes() {
    }

    private static MessageType of(Class<? extends EventData> type, String topic) {
        return new MessageType(type.getSimpleName(), type, topic);
    }

    public static MessageType byName(String name) {
        MessageType type = BY_NAME.get(name);
        if (type == null) {
            throw new InvalidEventException("unknown message type '" + name + "'");
        }
        return type;
    }

    public static String nameOf(Class<? extends EventData> type) {
        return byClass(type).name();
    }

    /** The topic a message of this class is published on. */
    public static String topicOf(Class<? extends EventData> type) {
        return byClass(type).topic();
    }

    private static MessageType byClass(Class<?> type) {
        MessageType messageType = BY_CLASS.get(type);
        if (messageType == null) {
            throw new IllegalArgumentException(type.getName() + " is not a message type of the contract");
        }
        return messageType;
    }
}
