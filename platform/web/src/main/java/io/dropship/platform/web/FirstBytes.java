package io.dropship.platform.web;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * Where an outside party's answer is piped when only its beginning matters (an error to show): the first bytes are
 * kept, the rest is read and dropped, so an answer of any size costs a fixed amount of memory.
 */
public final class FirstBytes implements WriteStream<Buffer> {

    private final int cap;
    private final Buffer kept = Buffer.buffer();
    private long total;

    public FirstBytes(int cap) {
        this.cap = cap;
    }

    /** The first bytes of the answer as text, marked when there was more. */
    public String text() {
        String s = kept.toString(StandardCharsets.UTF_8);
        return total > kept.length() ? s + "… (" + total + " bytes)" : s;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        total += data.length();
        int room = cap - kept.length();
        if (room > 0) {
            kept.appendBuffer(data, 0, Math.min(room, data.length()));
        }
        return Future.succeededFuture();
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data);
        if (handler != null) {
            handler.handle(Future.succeededFuture());
        }
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        if (handler != null) {
            handler.handle(Future.succeededFuture());
        }
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
    }
}
