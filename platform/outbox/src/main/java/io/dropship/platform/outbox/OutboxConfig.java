package io.dropship.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "dropship.outbox")
public interface OutboxConfig {

    Relay relay();

    Inbox inbox();

    interface Relay {
        /**
         * Whether this process relays its database's outbox to Kafka. Switch it off where Kafka Connect runs
         * the Debezium connector with the same outbox router settings instead.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Whether Debezium on Kafka Connect relays this database's outbox (deploy/k8s/components/kafka-connect)
         * instead of the embedded engine. The process then relays nothing; its active instance (the same lock) still
         * deletes rows past retention and reports how much WAL the connector's slot holds.
         */
        @WithDefault("false")
        boolean external();

        /** Names the replication slot and the lock; unique per database cluster. Defaults to the application name. */
        @WithDefault("${quarkus.application.name}")
        String name();

        /**
         * Debezium's poll.interval.ms. With platform-debezium-queue's copies it no longer sets the relay's latency (a
         * quiet stream waits on the replication socket, and the queue hands over what has arrived at once); it is the
         * pause between reads only where pgjdbc's socket cannot be reached, and how long a full queue holds up the
         * stream.
         */
        @WithDefault("50ms")
        Duration pollInterval();

        /**
         * The most the relay's change queue holds, in bytes (Debezium's max.queue.size.in.bytes): a full queue holds up
         * the stream until the relay has handed events to Kafka.
         */
        @WithDefault("16777216")
        long maxQueueBytes();

        /** How long a standby instance waits before trying again to become the active relay. */
        @WithDefault("5s")
        Duration standbyRetry();

        /** How long relayed rows stay in the outbox table for inspection before the active relay deletes them. */
        @WithDefault("P3D")
        Duration retention();

        /** How often the active relay deletes outbox rows and consumed-event records past their retention. */
        @WithDefault("1h")
        Duration cleanupEvery();

        /**
         * How often the relay writes a heartbeat row to its own outbox and confirms the position it has read to. The
         * WAL is shared by every database on the server: without it, a service whose outbox is quiet never confirms
         * its slot's position, and PostgreSQL keeps every WAL segment the busy databases write since then.
         */
        @WithDefault("30s")
        Duration heartbeat();
    }

    interface Inbox {
        /**
         * How many more times an event that fails for an unknown reason is tried before it goes to the dead-letter
         * topic. A transient failure (the database or broker unreachable) is retried without limit; poison never.
         */
        @WithDefault("3")
        int retries();

        @WithDefault("200ms")
        Duration firstBackoff();

        /** The longest wait between two tries of an event whose dependency is down. */
        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * How long a consumed event's id is kept to recognise a redelivery. Keep it longer than any topic's
         * retention (Kafka's default is 7 days), since an event can only be redelivered while its topic holds it.
         */
        @WithDefault("P14D")
        Duration retention();
    }
}
