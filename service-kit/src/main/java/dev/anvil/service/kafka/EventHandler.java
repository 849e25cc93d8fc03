package dev.anvil.service.kafka;

import dev.anvil.events.Envelope;

/**
 * What a consumer does with one parsed message. Returning commits it. Throwing
 * {@link dev.anvil.events.InvalidEventException} says the message itself is at fault (it is dead-lettered and
 * committed); any other exception says the world is (database or broker down): the message is tried again.
 * Handlers are therefore idempotent: a message may arrive again after a crash or a retry.
 */
@FunctionalInterface
public interface EventHandler {
    void handle(Envelope event);
}
