/**
 * Serving: the small interface the inference gateway talks to, so that it never touches a model.
 * {@link dev.anvil.llm.serve.ServingEngine#submit} takes a {@link dev.anvil.llm.serve.ServeRequest} (prompt ids,
 * sampling, {@code n}, an optional adapter) and pushes {@link dev.anvil.llm.serve.Delta}s to a
 * {@link dev.anvil.llm.serve.DeltaSink}; {@link dev.anvil.llm.serve.ServingEngine#cancel} stops one. The engine owns
 * the decode thread and the model on it: adapters are attached and detached there
 * ({@link dev.anvil.llm.serve.AdapterCache}), never by a caller's thread.
 *
 * <p>{@link dev.anvil.llm.serve.BatchingEngine} is the first implementation: the requests waiting when the decode
 * thread is free go into one batched {@link dev.anvil.llm.generate.TextGenerator#generate} call (rows with different
 * adapters in one batch); the queue is bounded and a full queue refuses at once
 * ({@link dev.anvil.llm.serve.EngineOverloadedException}). Continuous batching can replace its inside without
 * changing this interface.
 */
package dev.anvil.llm.serve;
