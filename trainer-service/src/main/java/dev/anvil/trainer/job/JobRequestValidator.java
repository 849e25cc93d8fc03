package dev.anvil.trainer.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.DatasetVersionFiles;
import dev.anvil.events.datadir.InvalidDataNameException;
import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.events.training.TrainingRequested;
import dev.anvil.llm.data.LossOn;
import dev.anvil.llm.model.ConfigException;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.trainer.device.TrainingDevice;
import dev.anvil.trainer.recipe.LrSchedule;
import dev.anvil.trainer.recipe.Preflight;
import dev.anvil.trainer.recipe.RecipeSpec;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;

/**
 * Checks a request before any work and maps it onto the data directory: every path it names is confined (a model
 * name under {@code models/}, an absolute model path only under the configured roots, dataset name and version as
 * single folder names), so that a request cannot make the trainer read or write elsewhere. Then the recipe's
 * {@link Preflight} against the base model's config: a method the model cannot do, a sequence length beyond its
 * context, or a memory estimate above {@code anvil.trainer.device-memory} is refused before any work.
 */
@ApplicationScoped
public class JobRequestValidator {
    static final int MAX_RANK = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataDirectory dataDir;
    private final List<Path> modelRoots;
    private final TrainingDevice device;
    private final long deviceMemory;

    public JobRequestValidator(@ConfigProperty(name = "anvil.data-dir") Path dataDir,
                               @ConfigProperty(name = "anvil.trainer.model-roots") List<Path> modelRoots,
                               TrainingDevice device,
                               @ConfigProperty(name = "anvil.trainer.device-memory") Optional<String> deviceMemory) {
        this.dataDir = new DataDirectory(dataDir);
        this.modelRoots = modelRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.device = device;
        this.deviceMemory = DeviceMemory.bytes(deviceMemory);
    }

    /** The recipe's inputs for a valid request, or an {@link InvalidJobException} naming the first problem. */
    public RecipeSpec validate(TrainingRequested request) {
        Path runDir = runDir(request.jobId());
        Path model = baseModel(request.baseModel());
        Path version = datasetVersion(request.dataset().name(), request.dataset().version());
        List<String> invalid = hyperparameterProblems(request.hyperparameters().withDefaults());
        if (!invalid.isEmpty()) throw new InvalidJobException(String.join("; ", invalid));
        TrainingMethod method = request.method() == null ? TrainingMethod.QLORA : request.method();
        JsonNode config = modelConfig(request.baseModel(), model);
        List<String> problems;
        try {
            problems = Preflight.problems(ModelConfig.parse(config), config.has("quantization_config"), method,
                    request.hyperparameters(), device.get().kind(), deviceMemory);
        } catch (ConfigException e) {
            throw new InvalidJobException("baseModel '" + request.baseModel() + "': " + e.getMessage());
        }
        if (!problems.isEmpty()) throw new InvalidJobException(String.join("; ", problems));
        return new RecipeSpec(request.jobId(), model, version, runDir, request.method(),
                request.hyperparameters(), device.get());
    }

    /**
     * The ranges that do not depend on the model, so that a job the recipe would refuse is refused before it is
     * queued rather than failing later ({@link Preflight} checks microBatchSize, maxSeqLength and what depends on
     * the model).
     */
    static List<String> hyperparameterProblems(Hyperparameters hp) {
        List<String> problems = new ArrayList<>();
        real(problems, "learningRate", hp.learningRate(), "in (0, 1]", v -> v > 0 && v <= 1);
        whole(problems, "warmupSteps", hp.warmupSteps(), 0, Integer.MAX_VALUE);
        whole(problems, "epochs", hp.epochs(), 1, Integer.MAX_VALUE);
        whole(problems, "maxSteps", hp.maxSteps(), 1, Integer.MAX_VALUE);
        whole(problems, "gradientAccumulation", hp.gradientAccumulation(), 1, Integer.MAX_VALUE);
        whole(problems, "loraRank", hp.loraRank(), 1, MAX_RANK);
        real(problems, "loraAlpha", hp.loraAlpha(), "> 0", v -> v > 0);
        real(problems, "loraDropout", hp.loraDropout(), "in [0, 1)", v -> v >= 0 && v < 1);
        real(problems, "weightDecay", hp.weightDecay(), ">= 0", v -> v >= 0);
        real(problems, "maxGradNorm", hp.maxGradNorm(), "> 0", v -> v > 0);
        whole(problems, "evalInterval", hp.evalInterval(), 1, Integer.MAX_VALUE);
        whole(problems, "earlyStoppingPatience", hp.earlyStoppingPatience(), 0, Integer.MAX_VALUE);
        real(problems, "earlyStoppingMinDelta", hp.earlyStoppingMinDelta(), ">= 0", v -> v >= 0);
        whole(problems, "checkpointInterval", hp.checkpointInterval(), 1, Integer.MAX_VALUE);
        whole(problems, "checkpointsToKeep", hp.checkpointsToKeep(), 1, Integer.MAX_VALUE);
        // The recipe's own parsers, whose messages name the allowed values.
        List<Runnable> names = List.of(() -> LrSchedule.kind(hp.scheduler()), () -> LossOn.fromName(hp.lossOn()));
        for (Runnable check : names) {
            try {
                check.run();
            } catch (IllegalArgumentException e) {
                problems.add("hyperparameters." + e.getMessage());
            }
        }
        return problems;
    }

    /** An integer hyper-parameter ({@code null}: not set, nothing to check) in {@code min..max}. */
    private static void whole(List<String> problems, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problems.add("hyperparameters." + field + " must be "
                    + (max == Integer.MAX_VALUE ? ">= " + min : "in " + min + ".." + max) + ", got " + value);
        }
    }

    /** A real hyper-parameter ({@code null}: not set): finite and {@code ok}, which {@code range} describes. */
    private static void real(List<String> problems, String field, Double value, String range, DoublePredicate ok) {
        if (value != null && !(Double.isFinite(value) && ok.test(value))) {
            problems.add("hyperparameters." + field + " must be " + range + ", got " + value);
        }
    }

    Path runDir(String jobId) {
        return valid(() -> dataDir.run(jobId).dir());
    }

    /** {@code path} relative to the data directory, as events carry it. */
    String relative(Path path) {
        return dataDir.relative(path);
    }

    /** A path of the data directory's layout, its name refused as the client's fault. */
    private static <T> T valid(Supplier<T> layoutPath) {
        try {
            return layoutPath.get();
        } catch (InvalidDataNameException e) {
            throw new InvalidJobException(e.getMessage());
        }
    }

    private Path baseModel(String baseModel) {
        Path model;
        if (DataNames.isValid(baseModel)) {
            model = dataDir.model(baseModel);
        } else {
            Path asked = Path.of(baseModel);
            if (!asked.isAbsolute()) {
                throw new InvalidJobException("baseModel '" + baseModel
                        + "' must be a model folder name under models/ or an absolute path");
            }
            model = asked.normalize();
            if (modelRoots.stream().noneMatch(model::startsWith)) {
                throw new InvalidJobException("baseModel '" + baseModel + "' is outside the allowed model roots "
                        + modelRoots);
            }
        }
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new InvalidJobException("baseModel '" + baseModel + "' not found (no config.json in " + model + ")");
        }
        return model;
    }

    private static JsonNode modelConfig(String baseModel, Path model) {
        try {
            return JSON.readTree(model.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new InvalidJobException("baseModel '" + baseModel + "': config.json cannot be read: " + e.getMessage());
        }
    }

    private Path datasetVersion(String name, String version) {
        DatasetVersionFiles files = valid(() -> dataDir.datasetVersion(name, version));
        Path folder = files.dir();
        if (!Files.isRegularFile(files.train())) {
            throw new InvalidJobException("dataset " + name + "/" + version + " not found (no "
                    + files.train().getFileName() + " in " + relative(folder) + ")");
        }
        return folder;
    }
}
