/**
 * Training data: a dataset version read through the shared layout and canonical record reader
 * ({@link dev.anvil.trainer.data.DatasetReader}), rendered and labelled by llm-runtime's
 * {@link dev.anvil.llm.data.ExampleEncoder} (shared with evaluation, so both count the same tokens), packed
 * ({@link dev.anvil.trainer.data.Packer}) and batched in a seeded per-epoch order
 * ({@link dev.anvil.trainer.data.BatchPlan}).
 */
package dev.anvil.trainer.data;
