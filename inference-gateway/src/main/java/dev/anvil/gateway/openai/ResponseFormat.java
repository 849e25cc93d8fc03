package dev.anvil.gateway.openai;

import dev.anvil.llm.generate.Generation;
import dev.anvil.llm.serve.Delta;

import java.util.List;

/** How one OpenAI API shapes its answer: whole, or as the chunks of a stream. */
interface ResponseFormat {

    /** The non-streaming body. */
    Object whole(List<Generation> choices);

    /** The chunk opening a choice's stream, or null when the API has none. */
    Object opening(int choice);

    /** The chunk carrying a delta's text (and the logprobs of its tokens), or null when it adds nothing. */
    Object text(Delta delta);

    /** The chunk ending a choice, with its finish reason. */
    Object finish(int choice, Generation generation);

    /** The last chunk when the client asked for usage ({@code stream_options.include_usage}). */
    Object usage(WireTypes.Usage usage);
}
