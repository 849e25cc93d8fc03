package dev.anvil.llm.text;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tojson} filter as transformers defines it for chat templates: {@code json.dumps(x,
 * ensure_ascii=False, indent=indent, sort_keys=sort_keys)}, so {@code {"a": 1, "b": [1, 2]}} with Python's
 * {@code ", "} and {@code ": "} separators and no HTML escaping. Jinjava's own {@code tojson} writes compact JSON,
 * which would change tool prompts byte for byte.
 */
final class PythonJson implements Filter {

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        Integer indent = args.length > 0 && args[0] != null ? Integer.valueOf(args[0]) : null;
        return dumps(var, indent, false);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
        boolean sortKeys = Boolean.TRUE.equals(kwargs.get("sort_keys"));
        return dumps(var, indent == null ? null : ((Number) indent).intValue(), sortKeys);
    }

    static String dumps(Object value, Integer indent, boolean sortKeys) {
        StringBuilder out = new StringBuilder();
        write(value, indent, sortKeys, 0, out);
        return out.toString();
    }

    private static void write(Object value, Integer indent, boolean sortKeys, int depth, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float) {
            out.append(pythonFloat(((Number) value).doubleValue()));
        } else if (value instanceof Number n) {
            out.append(n);
        } else if (value instanceof Map<?, ?> map) {
            Map<?, ?> entries = sortKeys ? new TreeMap<>(map) : map;
            writeContainer('{', '}', entries.entrySet(), indent, depth, out, (entry, o) -> {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
                writeString(String.valueOf(e.getKey()), o);
                o.append(": ");
                write(e.getValue(), indent, sortKeys, depth + 1, o);
            });
        } else if (value instanceof Collection<?> list) {
            writeContainer('[', ']', list, indent, depth, out, (item, o) -> write(item, indent, sortKeys, depth + 1, o));
        } else if (value instanceof Object[] array) {
            write(java.util.Arrays.asList(array), indent, sortKeys, depth, out);
        } else {
            writeString(value.toString(), out);
        }
    }

    private interface ItemWriter {
        void write(Object item, StringBuilder out);
    }

    private static void writeContainer(char open, char close, Collection<?> items, Integer indent, int depth,
            StringBuilder out, ItemWriter writer) {
        out.append(open);
        if (items.isEmpty()) {
            out.append(close);
            return;
        }
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(indent == null ? ", " : ",");
            }
            if (indent != null) {
                out.append('\n').append(" ".repeat(indent * (depth + 1)));
            }
            writer.write(item, out);
            first = false;
        }
        if (indent != null) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
        out.append(close);
    }

    /** Python's float repr for the common cases: 1.0, 0.5, 1e+20; non-finite values as Python writes them. */
    private static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return String.format(java.util.Locale.ROOT, "%.1f", d);
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String exponent = s.substring(e + 1);
        return s.substring(0, e).replaceAll("\\.0$", "") + "e" + (exponent.startsWith("-") ? "-" : "+")
                + String.format("%02d", Math.abs(Integer.parseInt(exponent)));
    }

    /** ensure_ascii=False: only the quote, the backslash and control characters are escaped. */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
