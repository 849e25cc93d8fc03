package dev.anvil.events;

/**
 * The payload of an {@link Envelope}: one record per message type of design.md.
 * The subject is the Kafka key (dataset name, job id, model version), so one subject's events stay ordered.
 */
public interface EventData {
    String subject();
}
