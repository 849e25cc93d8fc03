package dev.anvil.service.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International bank account numbers: country code, two check digits and 11 to 30 letters or digits, printed compact
 * or in groups of four, verified by the ISO 13616 mod-97 checksum. When a printed IBAN runs into a following word
 * the candidate is shortened group by group until the checksum holds.
 */
final class IbanDetector implements PiiDetector {
    private static final Pattern CANDIDATE = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b");

    @Override
    public boolean mayMatch(TextProfile profile) {
        return profile.ibanStart();
    }

    @Override
    public void find(String text, int from, List<PiiSpan> found) {
        Matcher m = PiiDetector.matcher(CANDIDATE, text, from);
        while (m.find()) {
            String candidate = m.group();
            while (!isValid(candidate)) {
                int space = candidate.lastIndexOf(' ');
                if (space < 0) {
                    break;
                }
                candidate = candidate.substring(0, space);
            }
            if (isValid(candidate)) {
                found.add(new PiiSpan(m.start(), m.start() + candidate.length(), PiiType.IBAN));
            }
        }
    }

    static boolean isValid(String printed) {
        String iban = printed.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder == 1;
    }
}
