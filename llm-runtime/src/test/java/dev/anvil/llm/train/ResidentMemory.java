package dev.anvil.llm.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's resident memory, from /proc/self (Linux). */
final class ResidentMemory {

    private ResidentMemory() {
    }

    static long bytes() throws IOException {
        return statusField("VmRSS:");
    }

    static long peakBytes() throws IOException {
        return statusField("VmHWM:");
    }

    /**
     * Resident memory outside the Java heap: native allocations (libtorch, JavaCPP), code, stacks. The Java heap
     * keeps growing into pages it has committed but not touched yet for a few hundred steps of garbage, which says
     * nothing about native leaks; it is the largest anonymous mapping (reserved at its maximum size), so it is
     * left out by size.
     */
    static long outsideJavaHeapBytes() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        long total = 0;
        long largestSize = -1;
        long largestRss = 0;
        long size = 0;
        for (String line : lines) {
            if (line.startsWith("Size:")) {
                size = kilobytes(line);
            } else if (line.startsWith("Rss:")) {
                long rss = kilobytes(line);
                total += rss;
                if (size > largestSize) {
                    largestSize = size;
                    largestRss = rss;
                }
            }
        }
        if (largestSize < Runtime.getRuntime().maxMemory() * 9 / 10) {
            throw new IllegalStateException("no mapping as large as the Java heap (" + Runtime.getRuntime().maxMemory()
                    + " bytes) in /proc/self/smaps");
        }
        return total - largestRss;
    }

    private static long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(name)) return kilobytes(line);
        }
        throw new IllegalStateException(name + " not in /proc/self/status");
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
}
