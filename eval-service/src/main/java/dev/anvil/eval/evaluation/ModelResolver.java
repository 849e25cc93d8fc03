package dev.anvil.eval.evaluation;

import dev.anvil.events.datadir.DataDirectory;
import dev.anvil.events.datadir.DataNames;
import dev.anvil.events.datadir.InvalidDataNameException;
import dev.anvil.events.datadir.RunFiles;
import dev.anvil.llm.weights.PeftAdapterFiles;
import dev.anvil.llm.weights.SafetensorsException;
import dev.anvil.service.http.RefusedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns the models a request names into {@link ModelUnderTest}s that exist: every path confined to the data
 * directory and holding what it must, every base model present under {@code models/}, an adapter only on the base it
 * was trained on. A refusal names the field at fault.
 */
final class ModelResolver {
    private final DataDirectory dataDir;

    ModelResolver(DataDirectory dataDir) {
        this.dataDir = dataDir;
    }

    ModelUnderTest resolve(EvaluationRequest.ModelSpec spec, String field) {
        if (spec == null) throw RefusedException.invalid(field + " is required");
        int given = count(spec.jobId()) + count(spec.adapterPath()) + count(spec.modelPath());
        if (given > 1) throw RefusedException.invalid(field + ": give one of jobId, adapterPath, modelPath");
        String base = spec.baseModel() == null ? null : name(spec.baseModel(), field + ".baseModel");
        if (spec.jobId() != null) return run(name(spec.jobId(), field + ".jobId"), base, field);
        if (spec.adapterPath() != null) {
            Path adapter = existing(spec.adapterPath(), field + ".adapterPath", PeftAdapterFiles.CONFIG_FILE);
            return onBase(adapter, base, field, field + ".adapterPath");
        }
        if (spec.modelPath() != null) {
            Path model = existing(spec.modelPath(), field + ".modelPath", "config.json");
            return new ModelUnderTest(base == null ? null : presentBase(base, field + ".baseModel"), null,
                    dataDir.relative(model));
        }
        if (base == null) throw RefusedException.invalid(field + ": give baseModel, jobId, adapterPath or modelPath");
        return ModelUnderTest.base(presentBase(base, field + ".baseModel"));
    }

    /** A run's exported adapter (on its base), else its merged or fully fine-tuned model. */
    private ModelUnderTest run(String jobId, String base, String field) {
        RunFiles run = dataDir.run(jobId);
        Optional<Path> adapter = run.exportedAdapter();
        if (adapter.isPresent()) return onBase(adapter.get(), base, field, field + ".jobId");
        Path model = run.exportedModel().orElseThrow(() -> RefusedException.invalid(field + ".jobId '" + jobId
                + "': " + dataDir.relative(run.dir()) + " holds no exported adapter/ nor merged/ or model/"));
        return new ModelUnderTest(base == null ? null : presentBase(base, field + ".baseModel"), null,
                dataDir.relative(model));
    }

    private ModelUnderTest onBase(Path adapter, String base, String field, String adapterField) {
        Optional<String> trainedOn;
        try {
            trainedOn = PeftAdapterFiles.baseModelName(adapter);
        } catch (SafetensorsException e) {
            throw RefusedException.invalid(adapterField + ": " + e.getMessage());
        }
        if (base != null && trainedOn.isPresent() && !trainedOn.get().equals(base)) {
            throw RefusedException.invalid(adapterField + ": the adapter was trained on '" + trainedOn.get()
                    + "', not on " + field + ".baseModel '" + base + "'");
        }
        String resolved = base != null ? base : trainedOn.orElseThrow(() -> RefusedException.invalid(
                field + ".baseModel is required: the adapter's config names no base_model_name_or_path"));
        return new ModelUnderTest(presentBase(resolved, field + ".baseModel"), dataDir.relative(adapter), null);
    }

    private String presentBase(String name, String field) {
        if (!Files.isRegularFile(dataDir.model(name).resolve("config.json"))) {
            throw RefusedException.invalid(field + " '" + name + "' is not a model under models/ of the data directory");
        }
        return name;
    }

    private Path existing(String value, String field, String file) {
        try {
            return dataDir.existing(value, field, file);
        } catch (InvalidDataNameException e) {
            throw RefusedException.invalid(e.getMessage());
        }
    }

    static String name(String value, String field) {
        try {
            return DataNames.require(value, field);
        } catch (InvalidDataNameException e) {
            throw RefusedException.invalid(e.getMessage());
        }
    }

    private static int count(String value) {
        return value == null ? 0 : 1;
    }
}
