package dev.anvil.trainer.job;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory a job may use, from {@code anvil.trainer.device-memory}: a size such as {@code 24GiB}, {@code 24G},
 * {@code 512MiB} or plain bytes (units are binary, case-insensitive: K, M, G, T with an optional {@code B} or
 * {@code iB}). Unset, it is this machine's physical memory (the container's limit inside one), which is right for
 * the CPU; a GPU's memory must be configured.
 */
final class DeviceMemory {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

    private DeviceMemory() {
    }

    static long bytes(Optional<String> configured) {
        return configured.filter(s -> !s.isBlank()).map(DeviceMemory::parse).orElseGet(DeviceMemory::physical);
    }

    static long parse(String size) {
        Matcher m = SIZE.matcher(size.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || (m.group(3) != null && m.group(2).isEmpty() && m.group(3).equals("ib"))) {
            throw new IllegalArgumentException("anvil.trainer.device-memory '" + size
                    + "' is not a size (e.g. 24GiB, 512MiB, 24G or a number of bytes)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (bytes < 1 || bytes >= Long.MAX_VALUE) {
            throw new IllegalArgumentException("anvil.trainer.device-memory '" + size + "' is out of range");
        }
        return (long) bytes;
    }

    private static long physical() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
