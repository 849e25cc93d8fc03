/**
 * Training data: a dataset version read through the shared layout and canonical record reader ({@link dev.anvil.trainer.data.DatasetReader}),
 * rendered with the model's chat template and labelled ({@link dev.anvil.trainer.data.ExampleEncoder}), packed
 * ({@link dev.anvil.trainer.data.Packer}) and batched in a seeded per-epoch order
 * ({@link dev.anvil.trainer.data.BatchPlan}).
 */
package dev.anvil.trainer.data;
