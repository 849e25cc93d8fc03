package dev.anvil.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.anvil.events.JsonTerms;
import dev.anvil.events.Require;

/**
 * A JSON body that could not be read, described for its client: the path of the field at fault
 * ({@code templates[2].prompt}), the JSON type it should have had, and where in the text; never a Java type name,
 * which Jackson's own messages are full of.
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** E.g. "templates: expected an array (line 1, column 14)". */
    public static String describe(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping ? JsonTerms.path(mapping.getPath()) : "";
        String what;
        if (e instanceof UnrecognizedPropertyException) {
            what = "unknown field '" + path + "'";
            path = "";
        } else {
            what = what(e);
        }
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return (path.isEmpty() ? what : path + ": " + what) + where;
    }

    private static String what(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null) {
            // A record's constructor refused the value: its message is written for clients.
            return invalid.getCause().getMessage();
        }
        if (e instanceof InvalidFormatException format) {
            return Require.quote(String.valueOf(format.getValue())) + " is not "
                    + JsonTerms.expected(format.getTargetType());
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Trailing token")) {
            return "unexpected content after the JSON value";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            if (message.startsWith("No content") || message.contains("end-of-input")) {
                return "the body is empty or ends early";
            }
            return "expected " + JsonTerms.expected(mismatch.getTargetType());
        }
        // Syntax errors ("Unexpected character ...", "Duplicate field 'x'") carry no Java types, but quote input.
        return Require.escape(message);
    }
}
