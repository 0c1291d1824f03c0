package io.dropship.inventory.feeds;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A feed's body, cut off with an error once it passes the size cap: a supplier's feed cannot fill the service's memory or time. */
final class CappedInputStream extends FilterInputStream {

    private final long cap;
    private long read;

    CappedInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        read += n;
        if (read > cap) {
            throw new FeedParser.FeedException("the feed is larger than " + cap + " bytes");
        }
    }
}
