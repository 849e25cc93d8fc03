package dev.anvil.dataset.clean;

import dev.anvil.dataset.ingest.Conversation;

import java.util.Optional;

/** Decides whether a record is unsafe to train on. Pluggable: the default is a configurable blocklist. */
public interface UnsafeContentFilter {
    /** Why the record is unsafe (e.g. the matched term's category), or empty when it is fine. */
    Optional<String> check(Conversation conversation);
}
