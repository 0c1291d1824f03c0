package io.dropship.platform.web;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * A reader for record-by-record files (CSV) from a tenant: it counts the characters read since the caller last said a
 * record was done, and fails the read once they pass the limit. A parser buffers a field until it ends, so without
 * this one unterminated quote or a line without a break in a multi-gigabyte upload would be held in memory whole.
 * The count includes what the parser reads ahead, so the limit is a bound, not an exact record length.
 */
public final class BoundedRecordReader extends FilterReader {

    private final long limit;
    private long sinceRecord;

    public BoundedRecordReader(Reader in, long limit) {
        super(in);
        this.limit = limit;
    }

    /** The caller finished a record: the count starts again. */
    public void recordDone() {
        sinceRecord = 0;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count(1);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        sinceRecord += n;
        if (sinceRecord > limit) {
            throw new IOException(
                    "a record runs past " + limit + " characters (an unclosed quote, or not a CSV file?)");
        }
    }
}
