package dev.anvil.service.http;

/**
 * A request a service refuses, with the status and problem type to answer (RFC 9457; {@link ProblemGuard} maps it).
 * Application services throw it, so that the resources stay thin; the message names the field or the thing at fault.
 */
public final class RefusedException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String title;

    private RefusedException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** 400: the request itself is wrong; {@code detail} names the field. */
    public static RefusedException invalid(String detail) {
        return new RefusedException(400, "invalid-request", "Invalid request", detail);
    }

    public static RefusedException notFound(String detail) {
        return new RefusedException(404, "not-found", "Not found", detail);
    }

    /** 409: the request is fine but the state forbids it (an id taken, a version a route still serves). */
    public static RefusedException conflict(String detail) {
        return new RefusedException(409, "conflict", "Conflict", detail);
    }

    /** 503: the service cannot take this now (a bound on open streams, say); the client may retry later. */
    public static RefusedException unavailable(String detail) {
        return new RefusedException(503, "unavailable", "Service unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
