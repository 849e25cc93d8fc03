package dev.anvil.eval.evaluation;

import dev.anvil.eval.verdict.Policy;

/**
 * {@code POST /evaluations}: a candidate against a baseline (the candidate's base model when absent) on a dataset
 * version's validation split.
 *
 * @param maxExamples the first examples of the split to evaluate (default {@code anvil.eval.max-examples})
 * @param generation  how the sides answer for the generation metrics (default: greedy,
 *                    {@code anvil.eval.generation.max-new-tokens})
 * @param policy      the verdict's rules: each field set here replaces the configured one ({@code anvil.eval.policy.*})
 * @param route       the gateway route the candidate is meant for, passed on in its EvaluationCompleted; optional
 */
public record EvaluationRequest(ModelSpec candidate, ModelSpec baseline, DatasetSpec dataset, Integer maxExamples,
                                GenerationSettings generation, Policy policy, String route) {

    /**
     * A model as a request names it: exactly one of {@code jobId} (the run's exported adapter or model),
     * {@code adapterPath} (a PEFT adapter folder, on {@code baseModel} or the base its config names),
     * {@code modelPath} (a model folder in Hugging Face layout), or {@code baseModel} alone.
     */
    public record ModelSpec(String baseModel, String adapterPath, String modelPath, String jobId) {
    }

    public record DatasetSpec(String name, String version) {
    }
}
