package dev.anvil.service.pii;

/**
 * What one pass over a text tells the detectors, so that most texts skip the regular expressions altogether.
 *
 * @param runDigits   the most digits in one "number run": a stretch of digits and the characters that separate
 *                    groups in phone, card and IP numbers (space, {@code . - / ( ) +}); a letter ends a run
 * @param runDots     the most dots in a number run
 * @param colons      colons in the text (IPv6)
 * @param hasAt       an {@code @} (e-mail)
 * @param ibanStart   two upper-case letters followed by two digits somewhere (IBAN)
 */
record TextProfile(int runDigits, int runDots, int colons, boolean hasAt, boolean ibanStart) {
    static TextProfile of(String text) {
        int maxDigits = 0;
        int maxDots = 0;
        int digits = 0;
        int dots = 0;
        int colons = 0;
        boolean at = false;
        boolean iban = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                continue;
            }
            switch (c) {
                case '.' -> dots++;
                case ' ', '-', '/', '(', ')', '+' -> {
                }
                default -> {
                    maxDigits = Math.max(maxDigits, digits);
                    maxDots = Math.max(maxDots, dots);
                    digits = 0;
                    dots = 0;
                    if (c == ':') {
                        colons++;
                    } else if (c == '@') {
                        at = true;
                    } else if (!iban && c >= 'A' && c <= 'Z' && i + 3 < text.length()) {
                        iban = isUpper(text.charAt(i + 1)) && isDigit(text.charAt(i + 2)) && isDigit(text.charAt(i + 3));
                    }
                }
            }
        }
        return new TextProfile(Math.max(maxDigits, digits), Math.max(maxDots, dots), colons, at, iban);
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
