package dev.anvil.dataset.clean;

/** In strict mode, a bad line refuses the whole upload; this names the first one. */
public class StrictModeViolationException extends RuntimeException {
    private final Rejection rejection;

    public StrictModeViolationException(Rejection rejection) {
        super("strict mode: line " + rejection.line() + " is " + rejection.reason() + ": " + rejection.detail());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
