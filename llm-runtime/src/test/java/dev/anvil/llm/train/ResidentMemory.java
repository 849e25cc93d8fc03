package dev.anvil.llm.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident and peak resident memory, from /proc/self/status (Linux). */
final class ResidentMemory {

    private ResidentMemory() {
    }

    static long bytes() throws IOException {
        return field("VmRSS:");
    }

    static long peakBytes() throws IOException {
        return field("VmHWM:");
    }

    private static long field(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException(name + " not in /proc/self/status");
    }
}
