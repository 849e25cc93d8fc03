package dev.anvil.llm.generate;

/**
 * Receives generated tokens and text as they are produced, for streaming. Called on the generating thread, in
 * order; the deltas of a request concatenate to its final {@link Generation#text()}. Deltas never split a UTF-8
 * character and never show any part of a stop string.
 */
public interface TokenListener {

    TokenListener NONE = new TokenListener() {
        @Override
        public void onText(int request, String delta) {
        }
    };

    /**
     * @param request index of the request in the list given to {@link TextGenerator#generate}
     * @param delta   new text, never empty
     */
    void onText(int request, String delta);

    /**
     * A token was generated: called for every token (EOS included), before any text it completes goes to
     * {@link #onText}. A token often shows no text at once (part of a character, a special token, a possible stop
     * string), so a stream that reports per-token data (logprobs) hears of it here.
     *
     * @param logprob its log-probabilities, or null when the request did not ask for them
     */
    default void onToken(int request, int tokenId, TokenLogprob logprob) {
    }

    /** The request has ended; called once per request, after its last {@link #onText}. */
    default void onFinish(int request, Generation generation) {
    }
}
