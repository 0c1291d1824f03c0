package io.dropship.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;

/**
 * What the service under test published and consumed, read from its own database (the test JVM's "app" database).
 * The outbox is the only way a service publishes, and its row commits with the change, so "published exactly once"
 * and "published nothing" are exact counts here, with no window to wait out. "Nothing happened" is only meaningful
 * after the consumer got past the event in question: {@link #awaitConsumed} waits for that.
 */
public final class Outboxes {

    private Outboxes() {}

    /** How many events the service published to the topic under the key. */
    public static long published(String topic, String key) {
        return Rows.count("select count(*) from outbox_event where aggregatetype = ? and aggregateid = ?", topic, key);
    }

    /** How many events the service published to the topic under the key whose payload contains the text. */
    public static long publishedContaining(String topic, String key, String text) {
        return Rows.count(
                "select count(*) from outbox_event where aggregatetype = ? and aggregateid = ?"
                        + " and strpos(cast(payload as text), ?) > 0",
                topic,
                key,
                text);
    }

    /** How many events the service published to the topic under any of the keys. */
    public static long published(String topic, Collection<String> keys) {
        return Rows.count(
                "select count(*) from outbox_event where aggregatetype = ? and aggregateid = any(?)",
                topic,
                keys.toArray(String[]::new));
    }

    /** Waits until the consumer has applied (or, for a duplicate, skipped) the event: its inbox row is committed. */
    public static void awaitConsumed(String consumer, String eventId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count(
                                "select count(*) from consumed_event where consumer = ? and event_id = ?",
                                consumer,
                                eventId)
                        == 1);
    }
}
