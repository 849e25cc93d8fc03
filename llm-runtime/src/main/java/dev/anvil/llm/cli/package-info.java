/**
 * The {@code anvil-llm} command line ({@link dev.anvil.llm.cli.AnvilLlm}): generate, score, merge and random-model
 * on top of the library's public API, with a small hand-written option parser and validated paths.
 */
package dev.anvil.llm.cli;
