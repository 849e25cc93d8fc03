package dev.anvil.dataset.pii;

/** Counts gathered in one pass over a text, so that detectors can skip texts that cannot hold their kind of data. */
record TextProfile(int digits, int colons, int dots, boolean hasAt) {
    static TextProfile of(String text) {
        int digits = 0;
        int colons = 0;
        int dots = 0;
        boolean at = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == ':') {
                colons++;
            } else if (c == '.') {
                dots++;
            } else if (c == '@') {
                at = true;
            }
        }
        return new TextProfile(digits, colons, dots, at);
    }
}
