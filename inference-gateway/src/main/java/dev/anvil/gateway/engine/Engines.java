package dev.anvil.gateway.engine;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.serve.BatchingEngine;
import dev.anvil.llm.serve.ServingEngine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base models being served, one {@link ServingEngine} each. They load in the background at start, so that the
 * gateway answers (503 for a model still loading, readiness DOWN) instead of hiding behind a long start.
 */
@ApplicationScoped
public class Engines {
    private static final Logger LOG = Logger.getLogger(Engines.class);

    /** Where a configured base model stands. */
    public enum State { LOADING, READY, FAILED }

    private final GatewayConfig config;
    private final DataDirectory dataDir;
    private final Map<String, ServingEngine> ready = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public Engines(GatewayConfig config, @ConfigProperty(name = "anvil.data-dir") Path dataDir) {
        this.config = config;
        this.dataDir = new DataDirectory(dataDir);
    }

    void start(@Observes StartupEvent event) {
        List<String> names = config.baseModels();
        names.forEach(name -> states.put(name, State.LOADING));
        Thread loader = new Thread(() -> names.forEach(this::load), "anvil-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    private void load(String name) {
        try {
            DataNames.require(name, "anvil.gateway.base-models");
            Path dir = dataDir.model(name);
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new IllegalArgumentException("no model at " + dir + " (config.json missing)");
            }
            long start = System.nanoTime();
            GatewayConfig.Engine e = config.engine();
            ready.put(name, BatchingEngine.load(name, dir, LoadOptions.defaults(),
                    new BatchingEngine.Options(e.queueCapacity(), e.maxBatchRows(), e.maxAdapters())));
            states.put(name, State.READY);
            LOG.infof("base model %s loaded from %s in %d ms", name, dir, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            states.put(name, State.FAILED);
            LOG.errorf(e, "base model %s failed to load; it is not served", name);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ready.values().forEach(ServingEngine::close);
    }

    /** The engine of a base model, if it is loaded. */
    public Optional<ServingEngine> engine(String name) {
        return Optional.ofNullable(ready.get(name));
    }

    /** Each configured base model and where it stands. */
    public Map<String, State> states() {
        return Map.copyOf(states);
    }
}
