package dev.anvil.service.pii;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 addresses in dotted-quad form (each part 0-255, not part of a longer dotted number such as a version
 * {@code 1.2.3.4.5}) and IPv6 addresses in any RFC 4291 text form (compressed {@code ::}, embedded IPv4, zone id).
 * IPv6 candidates are runs of hex digits, colons and dots that are validated by parsing, not by one huge regex; a
 * candidate without any digit ({@code a::b}, a C++ scope) is not taken for an address.
 */
final class IpAddressDetector implements PiiDetector {
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(
            "(?<![\\w.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\w]|\\.\\d)");

    @Override
    public boolean mayMatch(TextProfile profile) {
        return (profile.runDigits() >= 4 && profile.runDots() >= 3) || profile.colons() >= 2;
    }

    @Override
    public void find(String text, int from, List<PiiSpan> found) {
        findIpv6(text, from, found);
        Matcher m = PiiDetector.matcher(IPV4, text, from);
        while (m.find()) {
            PiiSpan span = new PiiSpan(m.start(), m.end(), PiiType.IP_ADDRESS);
            if (found.stream().noneMatch(span::overlaps)) {
                found.add(span);
            }
        }
    }

    private static void findIpv6(String text, int from, List<PiiSpan> found) {
        int i = from;
        while (i < text.length()) {
            if (!isIpv6Char(text.charAt(i)) || (i > 0 && isWordChar(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = i;
            while (end < text.length() && isIpv6Char(text.charAt(end))) {
                end++;
            }
            int zoneEnd = end;
            if (zoneEnd < text.length() && text.charAt(zoneEnd) == '%') {
                zoneEnd++;
                while (zoneEnd < text.length() && Character.isLetterOrDigit(text.charAt(zoneEnd))) {
                    zoneEnd++;
                }
            }
            int stop = end;
            while (stop > i && text.charAt(stop - 1) == '.') {
                stop--;
            }
            boolean boundary = zoneEnd >= text.length() || !isWordChar(text.charAt(zoneEnd));
            if (boundary && isIpv6(text.substring(i, stop))) {
                found.add(new PiiSpan(i, stop == end ? zoneEnd : stop, PiiType.IP_ADDRESS));
            }
            i = Math.max(zoneEnd, i + 1);
        }
    }

    static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0 || s.chars().noneMatch(Character::isDigit)) {
            return false;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int groups = 0;
        String[] halves = doubleColon >= 0
                ? new String[]{s.substring(0, doubleColon), s.substring(doubleColon + 2)} : new String[]{s};
        for (int h = 0; h < halves.length; h++) {
            if (halves[h].isEmpty()) {
                continue;
            }
            String[] parts = halves[h].split(":", -1);
            for (int p = 0; p < parts.length; p++) {
                String part = parts[p];
                boolean last = h == halves.length - 1 && p == parts.length - 1;
                if (last && part.indexOf('.') >= 0) {
                    if (!IPV4.matcher(part).matches()) {
                        return false;
                    }
                    groups += 2;
                } else if (part.isEmpty() || part.length() > 4 || !isHex(part)) {
                    return false;
                } else {
                    groups++;
                }
            }
        }
        return doubleColon >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6Char(char c) {
        return c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
