package dev.anvil.dataset.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anvil.dataset.InvalidInputException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands templates into JSON lines: each template yields one record per combination of the values of the slots
 * it uses. The request is checked as a whole (unknown slots, missing fields, the record limit) before anything is
 * written, and records are written one at a time, so memory does not grow with the expansion.
 */
public final class TemplateExpander {

    public static final String MAX_RECORDS_KEY = "anvil.dataset.synthetic.max-records";
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\s*([A-Za-z0-9_-]+)(?:\\.([A-Za-z0-9_-]+))?\\s*}}");

    private final ObjectMapper json;
    private final Map<String, List<JsonNode>> slots;
    private final List<Plan> plans;
    private final long records;

    /** A checked template: where its texts are, which slots it varies over. */
    private record Plan(SyntheticRequest.Template template, List<String> slots) {
    }

    /**
     * Checks {@code request} and prepares its expansion.
     *
     * @throws InvalidInputException naming the template, slot or limit at fault
     */
    public TemplateExpander(SyntheticRequest request, long maxRecords, ObjectMapper json) {
        this.json = json;
        if (request == null || request.templates() == null || request.templates().isEmpty()) {
            throw new InvalidInputException("templates: at least one template is required");
        }
        this.slots = request.slots() == null ? Map.of() : request.slots();
        slots.forEach(TemplateExpander::checkValues);
        List<Plan> checked = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < request.templates().size(); i++) {
            Plan plan = plan("templates[" + i + "]", request.templates().get(i));
            checked.add(plan);
            total = saturatingAdd(total, combinations(plan));
        }
        if (total > maxRecords) {
            throw new InvalidInputException("the templates expand to " + (total == Long.MAX_VALUE ? "more than "
                    + Long.MAX_VALUE : total) + " records, more than " + MAX_RECORDS_KEY + "=" + maxRecords);
        }
        this.plans = List.copyOf(checked);
        this.records = total;
    }

    /** How many records {@link #writeTo} writes. */
    public long records() {
        return records;
    }

    /** Writes every record as one JSON line ({@code prompt}/{@code completion} or {@code messages}). */
    public void writeTo(OutputStream out) throws IOException {
        for (Plan plan : plans) {
            int[] index = new int[plan.slots().size()];
            for (long n = combinations(plan); n > 0; n--) {
                Map<String, JsonNode> values = new LinkedHashMap<>();
                for (int s = 0; s < index.length; s++) {
                    values.put(plan.slots().get(s), slots.get(plan.slots().get(s)).get(index[s]));
                }
                out.write(json.writeValueAsBytes(render(plan.template(), values)));
                out.write('\n');
                advance(index, plan);
            }
        }
    }

    private Plan plan(String where, SyntheticRequest.Template template) {
        if (template == null) {
            throw new InvalidInputException(where + ": a template is an object");
        }
        boolean promptForm = template.prompt() != null || template.completion() != null;
        boolean chatForm = template.messages() != null;
        if (promptForm == chatForm) {
            throw new InvalidInputException(where + ": give either 'prompt' and 'completion', or 'messages'");
        }
        Set<String> used = new LinkedHashSet<>();
        if (promptForm) {
            collect(where + ".prompt", template.prompt(), used);
            collect(where + ".completion", template.completion(), used);
        } else {
            if (template.messages().isEmpty()) {
                throw new InvalidInputException(where + ".messages: at least one message is required");
            }
            for (int m = 0; m < template.messages().size(); m++) {
                SyntheticRequest.TemplateMessage message = template.messages().get(m);
                String at = where + ".messages[" + m + "]";
                if (message == null || message.role() == null || message.role().isBlank()) {
                    throw new InvalidInputException(at + ".role: is required");
                }
                collect(at + ".content", message.content(), used);
            }
        }
        return new Plan(template, List.copyOf(used));
    }

    /** Adds the slots {@code text} refers to, checking each exists and has the fields used. */
    private void collect(String where, String text, Set<String> used) {
        if (text == null) {
            throw new InvalidInputException(where + ": is required");
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String slot = m.group(1);
            String field = m.group(2);
            List<JsonNode> values = slots.get(slot);
            if (values == null) {
                throw new InvalidInputException(where + ": unknown slot '" + slot + "' (slots are "
                        + slots.keySet() + ")");
            }
            for (int i = 0; i < values.size(); i++) {
                JsonNode value = values.get(i);
                if (field == null && value.isObject()) {
                    throw new InvalidInputException("slots." + slot + "[" + i + "]: is an object, so " + where
                            + " must name one of its fields as {{" + slot + ".field}}");
                }
                if (field != null && !(value.isObject() && value.hasNonNull(field))) {
                    throw new InvalidInputException("slots." + slot + "[" + i + "]: has no field '" + field
                            + "' used by " + where);
                }
            }
            used.add(slot);
        }
    }

    private static void checkValues(String slot, List<JsonNode> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidInputException("slots." + slot + ": needs at least one value");
        }
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            boolean scalar = value != null && value.isValueNode() && !value.isNull();
            boolean fields = value != null && value.isObject();
            if (fields) {
                var it = value.fields();
                while (it.hasNext()) {
                    var field = it.next();
                    if (!field.getValue().isValueNode()) {
                        throw new InvalidInputException("slots." + slot + "[" + i + "]." + field.getKey()
                                + ": must be a string or a number");
                    }
                }
            }
            if (!scalar && !fields) {
                throw new InvalidInputException("slots." + slot + "[" + i
                        + "]: a value is a string, a number or an object of strings");
            }
        }
    }

    private ObjectNode render(SyntheticRequest.Template template, Map<String, JsonNode> values) {
        ObjectNode record = json.createObjectNode();
        if (template.messages() == null) {
            record.put("prompt", fill(template.prompt(), values));
            record.put("completion", fill(template.completion(), values));
        } else {
            ArrayNode messages = record.putArray("messages");
            for (SyntheticRequest.TemplateMessage message : template.messages()) {
                messages.addObject().put("role", message.role()).put("content", fill(message.content(), values));
            }
        }
        return record;
    }

    private static String fill(String text, Map<String, JsonNode> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (m.find()) {
            JsonNode value = values.get(m.group(1));
            String replacement = m.group(2) == null ? value.asText() : value.get(m.group(2)).asText();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private long combinations(Plan plan) {
        long product = 1;
        for (String slot : plan.slots()) {
            product = saturatingMultiply(product, slots.get(slot).size());
        }
        return product;
    }

    /** The next combination, the last slot varying fastest. */
    private void advance(int[] index, Plan plan) {
        for (int s = index.length - 1; s >= 0; s--) {
            if (++index[s] < slots.get(plan.slots().get(s)).size()) {
                return;
            }
            index[s] = 0;
        }
    }

    private static long saturatingMultiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatingAdd(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
