package dev.anvil.llm.text;

/** A chat template that cannot be rendered: a syntax error, or the template's own {@code raise_exception}. */
public class ChatTemplateException extends RuntimeException {
    public ChatTemplateException(String message) {
        super(message);
    }
}
