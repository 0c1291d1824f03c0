package io.dropship.gateway.stores;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * Reads a store's answer into memory up to a cap: past it the answer is refused ({@link TooLarge}) as soon as the cap
 * is crossed, so a store (or something pretending to be one) answering gigabytes costs the gateway at most the cap.
 */
final class CappedAnswer implements BodyCodec<Buffer> {

    /** The answer was larger than the cap; it was not read further. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long cap) {
            super("the store's answer was larger than " + cap + " bytes; it was not read");
        }
    }

    private final int cap;

    CappedAnswer(int cap) {
        this.cap = cap;
    }

    @Override
    public void create(Handler<AsyncResult<BodyStream<Buffer>>> handler) {
        handler.handle(Future.succeededFuture(new Stream(cap)));
    }

    private static final class Stream implements BodyStream<Buffer> {

        private final int cap;
        private final Promise<Buffer> result = Promise.promise();
        private final Buffer kept = Buffer.buffer();

        Stream(int cap) {
            this.cap = cap;
        }

        @Override
        public Future<Buffer> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            result.tryFail(failure);
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (result.future().isComplete()) {
                return Future.succeededFuture();
            }
            if (kept.length() + data.length() > cap) {
                result.tryFail(new TooLarge(cap));
                return Future.succeededFuture();
            }
            kept.appendBuffer(data);
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
            result.tryComplete(kept);
            if (handler != null) {
                handler.handle(Future.succeededFuture());
            }
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
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
}
