package dev.anvil.llm.text;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Global functions that transformers makes available to chat templates. Public for Jinjava's reflection only. */
public final class TemplateFunctions {
    private TemplateFunctions() {
    }

    /** The template's own validation, e.g. "Conversation roles must alternate user/assistant/user/assistant/...". */
    public static Object raiseException(String message) {
        throw new ChatTemplateException(message);
    }

    /** Python's {@code datetime.now().strftime(format)} for the directives templates use (Llama 3.1: "%d %b %Y"). */
    public static String strftimeNow(String format) {
        LocalDateTime now = LocalDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char directive = format.charAt(++i);
            String pattern = switch (directive) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'y' -> "yy";
                case 'Y' -> "yyyy";
                case 'H' -> "HH";
                case 'I' -> "hh";
                case 'M' -> "mm";
                case 'S' -> "ss";
                case 'p' -> "a";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'j' -> "DDD";
                case '%' -> null;
                default -> throw new ChatTemplateException("strftime_now: unsupported directive %" + directive);
            };
            out.append(pattern == null ? "%" : DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(now));
        }
        return out.toString();
    }
}
