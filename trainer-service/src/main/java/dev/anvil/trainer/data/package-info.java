/**
 * Training data: a dataset version's JSONL read with bounded lines ({@link dev.anvil.trainer.data.DatasetReader}),
 * rendered with the model's chat template and labelled ({@link dev.anvil.trainer.data.ExampleEncoder}), packed
 * ({@link dev.anvil.trainer.data.Packer}) and batched in a seeded per-epoch order
 * ({@link dev.anvil.trainer.data.BatchPlan}).
 */
package dev.anvil.trainer.data;
