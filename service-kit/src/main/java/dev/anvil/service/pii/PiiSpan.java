package dev.anvil.service.pii;

/** A found piece of personal data: {@code text.substring(start, end)}. */
public record PiiSpan(int start, int end, PiiType type) {
    boolean overlaps(PiiSpan other) {
        return start < other.end && other.start < end;
    }
}
