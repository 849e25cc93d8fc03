package dev.anvil.trainer.recipe;

import java.util.ArrayList;
import java.util.List;

import dev.anvil.events.training.Hyperparameters;
import dev.anvil.events.training.TrainingMethod;
import dev.anvil.llm.model.ModelConfig;
import dev.anvil.llm.model.ProjectionKind;
import dev.anvil.llm.torch.ComputeDevice;
import dev.anvil.llm.torch.DType;

/**
 * What the recipe checks about a request against its base model before any work: that the model can do the
 * method (dense checkpoint, known target projections, a LoRA rank the projections can hold), that the sequence
 * length fits the model's context, and that the {@link MemoryEstimate} fits the device. Each problem names the
 * request field at fault. Plain Java: only the model's {@code config.json} is needed.
 */
public final class Preflight {

    private Preflight() {
    }

    /**
     * @param model           the base model's shape
     * @param storedQuantized the checkpoint holds quantized weights ({@code quantization_config} in its config)
     * @param requested       the request's hyper-parameters as sent: a missing {@code maxSeqLength} means "the
     *                        default, capped at the model's context", an explicit one must fit the context
     * @param device          where the job trains
     * @param deviceBytes     the memory the job may use there
     * @return the problems, empty when the job can run
     */
    public static List<String> problems(ModelConfig model, boolean storedQuantized, TrainingMethod method,
            Hyperparameters requested, ComputeDevice.Kind device, long deviceBytes) {
        List<String> problems = new ArrayList<>();
        Hyperparameters hp = requested.withDefaults();
        if (storedQuantized) {
            problems.add("baseModel is stored quantized (quantization_config in its config.json): " + method.wireName()
                    + " fine-tuning starts from a dense checkpoint");
        }
        try {
            DType.parse(hp.computeDtype());
        } catch (IllegalArgumentException e) {
            problems.add("hyperparameters.computeDtype '" + hp.computeDtype() + "' is not supported (float32 or bfloat16)");
        }
        if (hp.microBatchSize() < 1) problems.add("hyperparameters.microBatchSize must be >= 1, got " + hp.microBatchSize());
        Integer seq = requested.maxSeqLength();
        if (seq != null && seq < 2) {
            problems.add("hyperparameters.maxSeqLength must be >= 2 (a causal LM loss needs two positions), got " + seq);
        } else if (seq != null && seq > model.maxPositions()) {
            problems.add("hyperparameters.maxSeqLength " + seq + " exceeds the model's context of "
                    + model.maxPositions() + " tokens (max_position_embeddings)");
        }
        if (method != TrainingMethod.FULL) problems.addAll(adapterProblems(model, hp));
        if (problems.isEmpty()) {
            MemoryEstimate estimate = MemoryEstimate.of(model, method, hp, device);
            if (estimate.totalBytes() > deviceBytes) problems.add(memoryProblem(estimate, method, hp, deviceBytes));
        }
        return problems;
    }

    private static List<String> adapterProblems(ModelConfig model, Hyperparameters hp) {
        List<String> problems = new ArrayList<>();
        if (hp.targetModules().isEmpty()) {
            problems.add("hyperparameters.targetModules must name at least one projection");
        }
        for (String name : hp.targetModules()) {
            ProjectionKind kind;
            try {
                kind = ProjectionKind.fromHfName(name);
            } catch (IllegalArgumentException e) {
                problems.add("hyperparameters.targetModules: '" + name + "' is not a projection of a "
                        + model.modelType() + " model (" + String.join(", ", Hyperparameters.ALL_PROJECTIONS) + ")");
                continue;
            }
            long[] shape = kind.weightShape(model);
            long smallest = Math.min(shape[0], shape[1]);
            if (hp.loraRank() > smallest) {
                problems.add("hyperparameters.loraRank " + hp.loraRank() + " exceeds " + name + "'s smaller dimension ("
                        + smallest + ") in this model: the adapter could not use that rank");
            }
        }
        return problems;
    }

    private static String memoryProblem(MemoryEstimate estimate, TrainingMethod method, Hyperparameters hp,
            long deviceBytes) {
        String hint = method == TrainingMethod.QLORA ? "" : ", or use method qlora";
        return "the job needs about " + estimate + ", more than the " + MemoryEstimate.human(deviceBytes)
                + " of anvil.trainer.device-memory; lower hyperparameters.microBatchSize (" + hp.microBatchSize()
                + ") or hyperparameters.maxSeqLength (" + hp.maxSeqLength() + ")" + hint;
    }
}
