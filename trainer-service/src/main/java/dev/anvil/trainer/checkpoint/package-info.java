/** Atomic, pruned checkpoints of a run and the position they resume from. */
package dev.anvil.trainer.checkpoint;
