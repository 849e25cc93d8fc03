package dev.anvil.gateway.events;

import dev.anvil.events.EventData;

import java.time.Instant;

/** An event the gateway published (or is about to): when it was written, its type and its fields. */
public record PublishedEvent(Instant at, String type, EventData event) {
}
