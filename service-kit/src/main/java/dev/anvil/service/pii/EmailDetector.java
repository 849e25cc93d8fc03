package dev.anvil.service.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code local@domain.tld}: the dot-atom local part and a domain of hyphenated labels ending in a 2+ letter TLD. */
final class EmailDetector implements PiiDetector {
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
                    + "(?![\\w-])");

    @Override
    public boolean mayMatch(TextProfile profile) {
        return profile.hasAt();
    }

    @Override
    public void find(String text, int from, List<PiiSpan> found) {
        Matcher m = PiiDetector.matcher(EMAIL, text, from);
        while (m.find()) {
            found.add(new PiiSpan(m.start(), m.end(), PiiType.EMAIL));
        }
    }
}
