/**
 * Fine-tuning jobs as a service: requests arrive on {@code training.requests} (from Kafka or {@code POST /jobs},
 * which publishes there so both paths run the same code), are recorded once per job id, validated, and run one at a
 * time by {@link dev.anvil.trainer.recipe.FineTuneRecipe}; lifecycle events go to {@code training.events}.
 */
package dev.anvil.trainer.job;
