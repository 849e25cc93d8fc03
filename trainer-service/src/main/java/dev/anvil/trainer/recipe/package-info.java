/**
 * The fine-tuning recipe as plain steps ({@link dev.anvil.trainer.recipe.FineTuneRecipe}: set up, train, validate,
 * export), its schedule, early stopping, progress reporting and metrics log. No framework: the service calls it.
 */
package dev.anvil.trainer.recipe;
