package dev.anvil.llm.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command: {@code --name value} pairs and bare {@code --flag}s, each at most once. Unknown
 * options, missing values and malformed numbers are {@link UsageException}s naming the option.
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    /**
     * @param args    the arguments after the command name
     * @param options the options that take a value
     * @param flags   the options that take none
     */
    Args(List<String> args, Set<String> options, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
            String name = arg.substring(2);
            String value;
            if (flags.contains(name)) {
                value = "true";
            } else if (options.contains(name)) {
                if (i + 1 >= args.size()) throw new UsageException("--" + name + " needs a value");
                value = args.get(++i);
            } else {
                throw new UsageException("unknown option --" + name);
            }
            if (values.put(name, value) != null) throw new UsageException("--" + name + " given twice");
        }
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) throw new UsageException("--" + name + " is required");
        return v;
    }

    String optional(String name) {
        return values.get(name);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int intValue(String name, int min, int max, Integer fallback) {
        String v = fallback == null ? required(name) : values.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    double doubleValue(String name, Double fallback) {
        String v = fallback == null ? required(name) : values.get(name);
        if (v == null) return fallback;
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }
}
