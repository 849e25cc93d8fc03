/**
 * Text in and out of a model: {@link dev.anvil.llm.text.Tokenizer} (a Hugging Face {@code tokenizer.json} run by
 * the Rust tokenizers library, with {@code tokenizer_config.json}), {@link dev.anvil.llm.text.ChatTemplate}
 * (the model's Jinja chat template, rendered as transformers does) and
 * {@link dev.anvil.llm.text.StreamingDetokenizer} (ids to text deltas that never split a character).
 */
package dev.anvil.llm.text;
