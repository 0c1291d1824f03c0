package io.dropship.platform.outbox;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

/**
 * Debezium's PostgreSQL connector with a task that sleeps while nothing waits to be relayed.
 *
 * <p>Debezium's {@code ChangeEventQueue.poll()} waits for records in whole milliseconds and stops when more than the
 * poll interval has passed, so in the last millisecond of every interval it computes a wait of 0 and loops without
 * sleeping: an idle relay busy-waits about 1 ms of every 50 (0.02 of a core per service, half of an idle fleet's
 * relays' CPU; Debezium 3.3 to 3.6). This task looks at the queue first and, while it is empty, sleeps in short
 * steps; once a record is there it polls as Debezium does, which batches the interval's records as before. Kafka
 * Connect in production (deploy/k8s/components/kafka-connect) runs Debezium's own connector.
 */
public class IdlePostgresConnector extends PostgresConnector {

    @Override
    public Class<? extends Task> taskClass() {
        return IdleTask.class;
    }

    /** Debezium's task picks its snapshot services by the connector class it is configured with: Debezium's. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return super.taskConfigs(maxTasks).stream()
                .map(c -> {
                    Map<String, String> task = new HashMap<>(c);
                    task.put("connector.class", PostgresConnector.class.getName());
                    return task;
                })
                .toList();
    }

    /** The task: Debezium's, with a look at the queue before each poll. */
    public static class IdleTask extends PostgresConnectorTask {

        private static final Logger LOG = Logger.getLogger(IdleTask.class);

        /** How often an empty queue is looked at: the latency this task adds to the first record after a pause. */
        static final long STEP_MILLIS = 5;

        /** How long an empty poll waits before it returns, so the engine still commits offsets and heartbeats. */
        static final long EMPTY_POLL_MILLIS = 500;

        private static final Field QUEUE = queueField();

        private volatile ChangeEventQueue<?> queue;

        @Override
        public List<SourceRecord> doPoll() throws InterruptedException {
            ChangeEventQueue<?> q = queue();
            if (q != null) {
                long until = System.nanoTime() + EMPTY_POLL_MILLIS * 1_000_000;
                // The size is read without the queue's lock: a hint; a record missed now is seen at the next step.
                while (q.remainingCapacity() == q.totalCapacity()) {
                    if (System.nanoTime() - until >= 0) {
                        return List.of();
                    }
                    Thread.sleep(STEP_MILLIS);
                }
            }
            return super.doPoll();
        }

        /** Whether this Debezium's task has the queue field the task looks at (else it polls as Debezium does). */
        static boolean seesTheQueue() {
            return QUEUE != null && QUEUE.getType() == ChangeEventQueue.class;
        }

        private ChangeEventQueue<?> queue() {
            ChangeEventQueue<?> q = queue;
            if (q == null && QUEUE != null) {
                try {
                    q = (ChangeEventQueue<?>) QUEUE.get(this);
                    queue = q;
                } catch (IllegalAccessException e) {
                    return null;
                }
            }
            return q;
        }

        private static Field queueField() {
            try {
                Field f = PostgresConnectorTask.class.getDeclaredField("queue");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException | RuntimeException e) {
                // A later Debezium without the field: relay as Debezium does, spin included.
                LOG.warnf("Debezium's task has no queue field (%s); the relay polls as Debezium does", e);
                return null;
            }
        }
    }
}
