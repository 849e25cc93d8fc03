package dev.anvil.dataset.api;

import dev.anvil.dataset.ingest.InputLimitExceededException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read from an upload and refuses the upload once it passes the configured size, so the service
 * never has to know the size in advance nor hold the body.
 */
final class BoundedInputStream extends FilterInputStream {

    static final String MAX_BODY_BYTES = "anvil.dataset.max-body-bytes";

    private final long limit;
    private final String what;
    private long count;

    BoundedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw new InputLimitExceededException(MAX_BODY_BYTES, limit,
                    what + " is larger than " + MAX_BODY_BYTES + "=" + limit + " bytes");
        }
    }
}
