package dev.anvil.service.pii;

/** The kinds of personal data that are replaced, each by its placeholder. */
public enum PiiType {
    EMAIL("[EMAIL]"),
    PHONE("[PHONE]"),
    CREDIT_CARD("[CREDIT_CARD]"),
    IBAN("[IBAN]"),
    IP_ADDRESS("[IP_ADDRESS]");

    private final String placeholder;

    PiiType(String placeholder) {
        this.placeholder = placeholder;
    }

    public String placeholder() {
        return placeholder;
    }
}
