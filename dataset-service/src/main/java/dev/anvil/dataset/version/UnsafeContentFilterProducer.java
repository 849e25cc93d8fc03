package dev.anvil.dataset.version;

import dev.anvil.dataset.clean.UnsafeContentFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Optional;

/** PLACEHOLDER until ds-core's BlocklistFilter is merged. */
@ApplicationScoped
public class UnsafeContentFilterProducer {
    @Produces
    @ApplicationScoped
    UnsafeContentFilter unsafeContentFilter() {
        return conversation -> Optional.empty();
    }
}
