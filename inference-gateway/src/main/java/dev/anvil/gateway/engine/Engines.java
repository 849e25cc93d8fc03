package dev.anvil.gateway.engine;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.llm.model.LoadOptions;
import dev.anvil.llm.serve.BatchingEngine;
import dev.anvil.llm.serve.ServingEngine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The base models being served, one {@link ServingEngine} each. They load in the background at start, so that the
 * gateway answers (503 for a model still loading, readiness DOWN) instead of hiding behind a long start.
 */
@ApplicationScoped
public class Engines {
    private static final Logger LOG = Logger.getLogger(Engines.class);

    /** Where a configured base model stands. */
    public enum State { LOADING, READY, FAILED }

    /** Where a model loaded on demand stands: its engine once READY, why not otherwise. */
    public record OnDemand(State state, ServingEngine engine, String why) {
    }

    private final GatewayConfig config;
    private final DataDirectory dataDir;
    private final Map<String, ServingEngine> ready = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    /** Models of versions with weights of their own, by version id; guarded by {@code this}. */
    private final Map<String, OnDemand> onDemand = new HashMap<>();
    private final ExecutorService onDemandLoader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "anvil-model-loader-on-demand");
        t.setDaemon(true);
        return t;
    });

    private final MeterRegistry registry;

    public Engines(GatewayConfig config, @ConfigProperty(name = "anvil.data-dir") Path dataDir,
                   MeterRegistry registry) {
        this.config = config;
        this.dataDir = new DataDirectory(dataDir);
        this.registry = registry;
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
            ready.put(name, loadFrom(name, dataDir.model(name)));
            states.put(name, State.READY);
        } catch (RuntimeException e) {
            states.put(name, State.FAILED);
            LOG.errorf(e, "base model %s failed to load; it is not served", name);
        }
    }

    private ServingEngine loadFrom(String name, Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("no model at " + dir + " (config.json missing)");
        }
        long start = System.nanoTime();
        GatewayConfig.Engine e = config.engine();
        ServingEngine engine = BatchingEngine.load(name, dir, LoadOptions.defaults(),
                new BatchingEngine.Options(e.queueCapacity(), e.maxBatchRows(), e.maxAdapters(),
                    e.batchWait()));
        LOG.infof("model %s loaded from %s in %d ms", name, dir, (System.nanoTime() - start) / 1_000_000);
        meter(name);
        return engine;
    }

    /**
     * The engine's queue and output on /q/metrics, labelled by its model (a base model's name, or the version id of
     * a model loaded on demand). The meters look the engine up when read, so a model loaded again after an unload
     * keeps its series; an unloaded one reads 0.
     */
    private void meter(String name) {
        Gauge.builder("anvil.gateway.queue.depth", () -> current(name).map(ServingEngine::waiting).orElse(0))
                .description("Requests waiting for the model's engine, not yet decoding").tag("model", name)
                .register(registry);
        FunctionCounter.builder("anvil.gateway.engine.generated.tokens", this,
                        engines -> engines.current(name).map(ServingEngine::generatedTokens).orElse(0L))
                .description("Tokens the model's engine generated, every row counted").tag("model", name)
                .register(registry);
    }

    private Optional<ServingEngine> current(String name) {
        ServingEngine base = ready.get(name);
        if (base != null) return Optional.of(base);
        synchronized (this) {
            OnDemand loaded = onDemand.get(name);
            return Optional.ofNullable(loaded == null ? null : loaded.engine());
        }
    }

    /**
     * The engine of a model that is no configured base (a version's merged or fully fine-tuned weights in
     * {@code dir}), loaded in the background on first call: until then the answer is LOADING. At most
     * {@code anvil.gateway.max-loaded-models} are loading or loaded; one more is FAILED with the reason, and asked
     * again once one is {@link #unload unloaded}. A model that failed to load stays failed until unloaded.
     */
    public synchronized OnDemand onDemand(String key, Path dir) {
        OnDemand known = onDemand.get(key);
        if (known != null) return known;
        long inUse = onDemand.values().stream().filter(o -> o.state() != State.FAILED).count();
        if (inUse >= config.maxLoadedModels()) {
            return new OnDemand(State.FAILED, null, "cannot be loaded: " + inUse + " models are loaded besides the "
                    + "base models (anvil.gateway.max-loaded-models); remove a version to make room");
        }
        OnDemand loading = new OnDemand(State.LOADING, null, "is loading; retry shortly");
        onDemand.put(key, loading);
        onDemandLoader.execute(() -> {
            OnDemand outcome;
            try {
                outcome = new OnDemand(State.READY, loadFrom(key, dir), null);
            } catch (RuntimeException e) {
                LOG.errorf(e, "model of version %s failed to load from %s", key, dir);
                outcome = new OnDemand(State.FAILED, null, "failed to load: " + e.getMessage());
            }
            settle(key, loading, outcome);
        });
        return loading;
    }

    private synchronized void settle(String key, OnDemand loading, OnDemand outcome) {
        if (onDemand.get(key) == loading) {
            onDemand.put(key, outcome);
        } else if (outcome.engine() != null) {
            outcome.engine().close(); // unloaded while it loaded
        }
    }

    /** Closes and forgets the model loaded on demand for {@code key}, if any. */
    public void unload(String key) {
        OnDemand gone;
        synchronized (this) {
            gone = onDemand.remove(key);
        }
        if (gone != null && gone.engine() != null) gone.engine().close();
    }

    void stop(@Observes ShutdownEvent event) {
        onDemandLoader.shutdownNow();
        ready.values().forEach(ServingEngine::close);
        synchronized (this) {
            onDemand.values().stream().filter(o -> o.engine() != null).forEach(o -> o.engine().close());
            onDemand.clear();
        }
    }

    /** The engine of a base model, if it is loaded. */
    public Optional<ServingEngine> engine(String name) {
        return Optional.ofNullable(ready.get(name));
    }

    /** Where a configured base model stands; null for a name that is no configured base. */
    public State state(String name) {
        return states.get(name);
    }

    /** Each configured base model and where it stands. */
    public Map<String, State> states() {
        return Map.copyOf(states);
    }
}
