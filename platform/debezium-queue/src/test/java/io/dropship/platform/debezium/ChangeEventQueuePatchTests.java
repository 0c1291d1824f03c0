package io.dropship.platform.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.Sizeable;
import io.debezium.util.LoggingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The copy of Debezium's ChangeEventQueue: made from the Debezium beside it, still the same queue, and a poll returns
 * what has arrived.
 */
class ChangeEventQueuePatchTests {

    record Event(String name) implements Sizeable {
        @Override
        public long objectSize() {
            return 1;
        }
    }

    private static ChangeEventQueue<Event> queue(int maxBatchSize) {
        return new ChangeEventQueue.Builder<Event>()
                .pollInterval(Duration.ofMillis(50))
                .maxBatchSize(maxBatchSize)
                .maxQueueSize(maxBatchSize * 4)
                .loggingContextSupplier(() -> LoggingContext.forConnector("outbox", "test", "queue"))
                .build();
    }

    @Test
    void theCopyIsOfTheDebeziumBesideIt() throws Exception {
        PatchVersions.assertMadeFromTheDebeziumBesideIt(ChangeEventQueue.class);
    }

    @Test
    void aPollReturnsWhatWasQueuedAndAnEmptyPollReturnsNothing() throws Exception {
        ChangeEventQueue<Event> q = queue(10);
        assertEquals(List.of(), q.poll());
        q.enqueue(new Event("a"));
        q.enqueue(new Event("b"));
        assertEquals(List.of(new Event("a"), new Event("b")), q.poll());
        assertEquals(List.of(), q.poll());
    }

    @Test
    void aWaitingPollTakesARecordEnqueuedMeanwhileAndAFullBatchAtOnce() throws Exception {
        ChangeEventQueue<Event> q = queue(3);
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            Future<?> later = producer.schedule(
                    () -> {
                        q.enqueue(new Event("late"));
                        return null;
                    },
                    10,
                    TimeUnit.MILLISECONDS);
            List<Event> first = q.poll();
            later.get();
            assertEquals(List.of(new Event("late")), first.isEmpty() ? q.poll() : first);

            for (String name : List.of("x", "y", "z", "w")) {
                q.enqueue(new Event(name));
            }
            assertEquals(List.of(new Event("x"), new Event("y"), new Event("z")), q.poll());
            assertEquals(List.of(new Event("w")), q.poll());
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void aWaitingPollReturnsTheFirstRecordBeforeItsIntervalEnds() throws Exception {
        // Debezium's poll kept waiting for a full batch until its interval (here 5 s) ended.
        ChangeEventQueue<Event> q = new ChangeEventQueue.Builder<Event>()
                .pollInterval(Duration.ofSeconds(5))
                .maxBatchSize(100)
                .maxQueueSize(400)
                .loggingContextSupplier(() -> LoggingContext.forConnector("outbox", "test", "queue"))
                .build();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try {
            producer.schedule(
                    () -> {
                        q.enqueue(new Event("only"));
                        return null;
                    },
                    50,
                    TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            assertEquals(List.of(new Event("only")), q.poll());
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "the poll waited out its interval: " + waited);
        } finally {
            producer.shutdownNow();
        }
    }
}
