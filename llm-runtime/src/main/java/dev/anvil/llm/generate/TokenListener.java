package dev.anvil.llm.generate;

/**
 * Receives generated text as it is produced, for streaming. Called on the generating thread, in order; the deltas
 * of a request concatenate to its final {@link Generation#text()}. Deltas never split a UTF-8 character and never
 * show any part of a stop string.
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

    /** The request has ended; called once per request, after its last {@link #onText}. */
    default void onFinish(int request, Generation generation) {
    }
}
