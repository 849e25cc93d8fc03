package dev.anvil.service.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 13 to 19 digits, optionally grouped by spaces or dashes, that pass the Luhn check. A digit
 * run that fails the check (an order number, a phone number) is left alone.
 */
final class CreditCardDetector implements PiiDetector {
    private static final Pattern CANDIDATE = Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");

    @Override
    public boolean mayMatch(TextProfile profile) {
        return profile.runDigits() >= 13;
    }

    @Override
    public void find(String text, int from, List<PiiSpan> found) {
        Matcher m = PiiDetector.matcher(CANDIDATE, text, from);
        while (m.find()) {
            if (passesLuhn(m.group())) {
                found.add(new PiiSpan(m.start(), m.end(), PiiType.CREDIT_CARD));
            }
        }
    }

    static boolean passesLuhn(String number) {
        int sum = 0;
        int digits = 0;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (digits++ % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
