package dev.anvil.gateway.version;

import dev.anvil.events.InvalidEventException;
import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.InvalidDataNameException;
import dev.anvil.events.datadir.RunFiles;
import dev.anvil.events.evaluation.EvaluationCompleted;
import dev.anvil.events.training.TrainingCompleted;
import dev.anvil.gateway.GatewayConfig;
import dev.anvil.service.http.RefusedException;
import dev.anvil.gateway.engine.Engines;
import dev.anvil.gateway.route.Routes;
import dev.anvil.llm.weights.PeftAdapterFiles;
import dev.anvil.llm.weights.SafetensorsException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The registered versions: from a completed fine-tuning job (its event, or its run's files on request) or from a
 * directory an operator names. Every path is confined to the data directory and kept relative to it.
 */
@ApplicationScoped
public class Versions {
    private static final Logger LOG = Logger.getLogger(Versions.class);

    private final DataDirectory dataDir;
    private final GatewayConfig config;
    private final Routes routes;
    private final Engines engines;

    public Versions(@ConfigProperty(name = "anvil.data-dir") Path dataDir, GatewayConfig config, Routes routes,
                    Engines engines) {
        this.dataDir = new DataDirectory(dataDir);
        this.config = config;
        this.routes = routes;
        this.engines = engines;
    }

    /** A registration's outcome: {@code created} false when the job's version already existed (idempotent). */
    public record Registered(VersionView version, boolean created) {
    }

    /** Registers what {@code request} describes; refuses with a 400 naming the field, or 409 for a taken id. */
    @Transactional
    public Registered register(VersionRequest request) {
        if (request.jobId() != null) {
            if (request.adapterPath() != null || request.modelPath() != null) {
                throw RefusedException.invalid("give jobId or adapterPath/modelPath, not both");
            }
            return registerRun(request);
        }
        if (request.adapterPath() != null && request.modelPath() != null) {
            throw RefusedException.invalid("give adapterPath or modelPath, not both");
        }
        ModelVersion v = new ModelVersion();
        v.id = request.id() == null ? UUID.randomUUID().toString() : name(request.id(), "id");
        if (request.adapterPath() != null) {
            v.baseModel = servedBase(request.baseModel());
            v.adapterPath = existing(request.adapterPath(), "adapterPath", "adapter_config.json");
        } else if (request.modelPath() != null) {
            if (request.baseModel() != null) v.baseModel = name(request.baseModel(), "baseModel");
            v.modelPath = existing(request.modelPath(), "modelPath", "config.json");
        } else {
            throw RefusedException.invalid("give jobId, adapterPath (with baseModel) or modelPath");
        }
        return new Registered(insert(v), true);
    }

    /** A run's exported weights: adapter/ (LoRA, QLoRA), else merged/ or model/ (Hugging Face layout). */
    private Registered registerRun(VersionRequest request) {
        String jobId = name(request.jobId(), "jobId");
        Optional<ModelVersion> known = byJob(jobId);
        if (known.isPresent()) return new Registered(VersionView.of(known.get()), false);
        RunFiles run = dataDir.run(jobId);
        ModelVersion v = new ModelVersion();
        v.id = request.id() == null ? jobId : name(request.id(), "id");
        v.jobId = jobId;
        Optional<Path> adapter = run.exportedAdapter();
        if (adapter.isPresent()) {
            v.adapterPath = dataDir.relative(adapter.get());
            v.baseModel = servedBase(request.baseModel() != null ? request.baseModel() : adapterBase(adapter.get()));
        } else {
            Path model = run.exportedModel().orElseThrow(() -> RefusedException.invalid("jobId '" + jobId + "': "
                    + dataDir.relative(run.dir()) + " holds no exported adapter/ (adapter_config.json) nor merged/ or "
                    + "model/ (config.json)"));
            v.modelPath = dataDir.relative(model);
            if (request.baseModel() != null) v.baseModel = name(request.baseModel(), "baseModel");
        }
        return new Registered(insert(v), true);
    }

    /**
     * A completed job's result, registered under the job id. A redelivered event finds the version and changes
     * nothing; an event whose paths leave the data directory is at fault and is refused as such.
     */
    @Transactional
    public void registerTrained(TrainingCompleted done) {
        if (!DataNames.isValid(done.jobId())) throw new InvalidEventException("jobId does not match " + DataNames.PATTERN);
        if (ModelVersion.findById(done.jobId()) != null) return;
        ModelVersion v = new ModelVersion();
        v.id = done.jobId();
        v.jobId = done.jobId();
        v.baseModel = done.baseModel();
        v.datasetName = done.dataset() == null ? null : done.dataset().name();
        if (done.adapterPath() != null) {
            v.adapterPath = eventPath(done.adapterPath(), "adapterPath");
        } else {
            v.modelPath = eventPath(done.mergedModelPath(), "mergedModelPath");
        }
        v.createdAt = Instant.now();
        v.persist();
        LOG.infof("version %s registered from job %s (%s)", v.id, v.jobId, v.hasAdapter() ? v.adapterPath : v.modelPath);
    }

    /**
     * The version an evaluation's verdict is about: registered already (from its training job's event, as a rule),
     * else registered now from the adapter the verdict names.
     */
    @Transactional
    public ModelVersion registerEvaluated(EvaluationCompleted done) {
        ModelVersion known = ModelVersion.findById(done.modelVersion());
        if (known != null) return known;
        if (!DataNames.isValid(done.modelVersion())) {
            throw new InvalidEventException("modelVersion does not match " + DataNames.PATTERN);
        }
        if (done.adapterPath() == null) {
            throw new InvalidEventException("version '" + done.modelVersion() + "' is not registered and the verdict "
                    + "names no adapterPath to register it from");
        }
        if (!config.baseModels().contains(done.baseModel())) {
            throw new InvalidEventException("baseModel '" + done.baseModel() + "' is not a base model of this gateway");
        }
        ModelVersion v = new ModelVersion();
        v.id = done.modelVersion();
        v.baseModel = done.baseModel();
        v.adapterPath = eventPath(done.adapterPath(), "adapterPath");
        v.createdAt = Instant.now();
        v.persist();
        LOG.infof("version %s registered from evaluation %s (%s)", v.id, done.evaluationId(), v.adapterPath);
        return v;
    }

    /** An event's path, data-dir relative; one leading outside the data directory puts the event at fault. */
    private String eventPath(String path, String field) {
        try {
            return dataDir.relative(dataDir.confined(Path.of(path), field));
        } catch (InvalidDataNameException | InvalidPathException e) {
            throw new InvalidEventException(e.getMessage(), e);
        }
    }

    public List<VersionView> list() {
        return ModelVersion.<ModelVersion>listAll(Sort.by("createdAt").and("id")).stream().map(VersionView::of).toList();
    }

    public VersionView get(String id) {
        return VersionView.of(find(id));
    }

    /** Removes a version no route serves; a model loaded for it is unloaded. */
    @Transactional
    public void delete(String id) {
        ModelVersion v = find(id);
        List<String> serving = routes.namesServing(id);
        if (!serving.isEmpty()) {
            throw RefusedException.conflict("version '" + id + "' is served by route '" + serving.get(0)
                    + "'; point the route elsewhere or delete it first");
        }
        v.delete();
        engines.unload(id);
    }

    private ModelVersion find(String id) {
        return ModelVersion.<ModelVersion>findByIdOptional(id)
                .orElseThrow(() -> RefusedException.notFound("version '" + abbreviate(id) + "' is not registered"));
    }

    private static Optional<ModelVersion> byJob(String jobId) {
        return ModelVersion.find("jobId", jobId).firstResultOptional();
    }

    private VersionView insert(ModelVersion v) {
        if (ModelVersion.findById(v.id) != null) {
            throw RefusedException.conflict("id '" + v.id + "' is taken by another version");
        }
        v.createdAt = Instant.now();
        v.persist();
        LOG.infof("version %s registered (%s)", v.id, v.hasAdapter() ? v.adapterPath : v.modelPath);
        return VersionView.of(v);
    }

    private static String name(String value, String field) {
        try {
            return DataNames.require(value, field);
        } catch (InvalidDataNameException e) {
            throw RefusedException.invalid(e.getMessage());
        }
    }

    /** A base model this gateway serves: an adapter version on any other could never answer. */
    private String servedBase(String baseModel) {
        if (baseModel == null) throw RefusedException.invalid("baseModel is required with an adapter");
        name(baseModel, "baseModel");
        if (!config.baseModels().contains(baseModel)) {
            throw RefusedException.invalid("baseModel '" + baseModel + "' is not a base model of this gateway "
                    + "(anvil.gateway.base-models: " + String.join(", ", config.baseModels()) + ")");
        }
        return baseModel;
    }

    /** The data-dir relative form of {@code value}, which must lie inside the data directory and hold {@code file}. */
    private String existing(String value, String field, String file) {
        try {
            return dataDir.relative(dataDir.existing(value, field, file));
        } catch (InvalidDataNameException e) {
            throw RefusedException.invalid(e.getMessage());
        }
    }

    /** The base model an adapter names (PEFT's base_model_name_or_path), by its last path segment. */
    private static String adapterBase(Path adapter) {
        try {
            return PeftAdapterFiles.baseModelName(adapter).orElseThrow(() -> RefusedException.invalid(
                    "baseModel is required: the run's adapter_config.json names no base_model_name_or_path"));
        } catch (SafetensorsException e) {
            throw RefusedException.invalid("baseModel is required: the run's adapter_config.json is unreadable ("
                    + e.getMessage() + ")");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
