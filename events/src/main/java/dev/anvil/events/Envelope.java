package dev.anvil.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The envelope of every message, with CloudEvents attribute names.
 *
 * @param id            unique per message; consumers use it (or a business key such as jobId) to stay idempotent
 * @param type          the message type, e.g. {@code TrainingRequested}; selects the class of {@code data}
 * @param source        who wrote it, e.g. {@code anvil/dataset-service}
 * @param time          when it was written
 * @param subject       the dataset, job or model id; also the Kafka key
 * @param schemaVersion the version of the contract the writer used
 * @param data          the message itself
 */
public record Envelope(String id, String type, String source, Instant time, String subject, int schemaVersion,
                       EventData data) {

    /** The contract version this library writes. Readers accept this version and older ones. */
    public static final int SCHEMA_VERSION = 1;

    public Envelope {
        Require.present(id, "id");
        Require.present(type, "type");
        Require.present(source, "source");
        Require.present(time, "time");
        Require.present(subject, "subject");
        Require.present(data, "data");
    }

    /** A new envelope around {@code data}, with a fresh id, the current time and this library's schema version. */
    public static Envelope wrap(String source, EventData data) {
        return new Envelope(UUID.randomUUID().toString(), MessageTypes.nameOf(data.getClass()), source, Instant.now(),
                data.subject(), SCHEMA_VERSION, data);
    }

    /** The payload as the given type, or a clear error if it is another message. */
    public <T extends EventData> T dataAs(Class<T> type) {
        if (!type.isInstance(data)) {
            throw new InvalidEventException("expected a " + type.getSimpleName() + " message but got " + this.type);
        }
        return type.cast(data);
    }
}
