package dev.anvil.gateway.admin;

import dev.anvil.service.http.RefusedException;

/** What the admin resources share; service-kit's guard answers their refusals as RFC 9457 problem details. */
final class AdminProblems {

    private AdminProblems() {
    }

    /** A POST or PUT without a body: Jackson hands the resource null. */
    static <T> T required(T body) {
        if (body == null) throw RefusedException.invalid("a JSON object body is required");
        return body;
    }
}
