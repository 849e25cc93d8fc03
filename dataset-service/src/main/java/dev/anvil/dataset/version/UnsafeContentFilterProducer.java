package dev.anvil.dataset.version;

import dev.anvil.dataset.DatasetServiceConfig;
import dev.anvil.dataset.clean.BlocklistFilter;
import dev.anvil.dataset.clean.UnsafeContentFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The unsafe-content filter of every cleaning run: the blocklist shipped with the service, or the file named by
 * {@code anvil.dataset.blocklist}. Replace this producer to plug in another {@link UnsafeContentFilter}.
 */
@ApplicationScoped
public class UnsafeContentFilterProducer {

    private static final Logger LOG = Logger.getLogger(UnsafeContentFilterProducer.class);

    /**
     * A singleton, not a client proxy: the pipeline calls the filter from its worker threads, where no CDI bean may
     * be created lazily.
     */
    @Produces
    @Singleton
    UnsafeContentFilter unsafeContentFilter(DatasetServiceConfig config) {
        if (config.blocklist().isEmpty()) {
            return BlocklistFilter.defaults();
        }
        Path file = config.blocklist().get();
        try (InputStream in = Files.newInputStream(file)) {
            LOG.infof("unsafe-content filter: blocklist %s", file);
            return BlocklistFilter.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read anvil.dataset.blocklist=" + file, e);
        }
    }
}
