package dev.anvil.service.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers in the forms people write them: international ({@code +44 20 7946 0958}, {@code +1 (555) 123-4567}),
 * North American ({@code (555) 123-4567}, {@code 555-123-4567}, {@code 555.123.4567}) and national numbers with a
 * trunk prefix ({@code 030 1234567}, {@code 06 12 34 56 78}, {@code 0044 20 7946 0958}).
 *
 * <p>To stay clear of dates, versions and plain numbers: the national forms need separators between groups, a
 * trunk-prefix number needs 9 to 13 digits (a date like {@code 01/02/2024} has 8), an international one 8 to 15
 * (E.164), and no match may touch a letter, a dot followed by a digit, or another digit.
 */
final class PhoneDetector implements PiiDetector {
    private static final String END = "(?![\\w-]|[./]\\d)";
    private static final Pattern INTERNATIONAL = Pattern.compile(
            "(?<![\\w+])\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,5})){1,6}" + END);
    private static final Pattern NORTH_AMERICAN = Pattern.compile(
            "(?<![\\w+.-])(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}" + END);
    private static final Pattern TRUNK_PREFIX = Pattern.compile(
            "(?<![\\w+./-])0\\d{1,4}(?:[ /-]\\d{2,8}){1,4}" + END);

    @Override
    public boolean mayMatch(TextProfile profile) {
        return profile.runDigits() >= 8;
    }

    @Override
    public void find(String text, int from, List<PiiSpan> found) {
        collect(INTERNATIONAL, text, from, 8, 15, found);
        collect(NORTH_AMERICAN, text, from, 10, 10, found);
        collect(TRUNK_PREFIX, text, from, 9, 13, found);
    }

    private static void collect(Pattern pattern, String text, int from, int minDigits, int maxDigits,
                                List<PiiSpan> found) {
        Matcher m = PiiDetector.matcher(pattern, text, from);
        while (m.find()) {
            long digits = m.group().chars().filter(c -> c >= '0' && c <= '9').count();
            if (digits >= minDigits && digits <= maxDigits) {
                found.add(new PiiSpan(m.start(), m.end(), PiiType.PHONE));
            }
        }
    }
}
