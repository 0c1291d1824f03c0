package io.dropship.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;

import static org.awaitility.Awaitility.await;

/**
 * What the service under test published and consumed, read from its own database (the test JVM's "app" database).
 * The outbox is the only way a service publishes, and its row commits with the change, so "published exactly once"
 * and "published nothing" are exact counts here, with no window to wait out. "Nothing happened" is only meaningful
 * after the consumer got past the event in question: {@link #awaitConsumed} waits for that.
 */
public final class Outboxes {

    private Outboxes() {
    }

    /** How many events the service published to the topic under the key. */
    public static long published(String topic, String key) {
        return count("select count(*) from outbox_event where aggregatetype = ? and aggregateid = ?", topic, key);
    }

    /** How many events the service published to the topic under the key whose payload contains the text. */
    public static long publishedContaining(String topic, String key, String text) {
        return count("select count(*) from outbox_event where aggregatetype = ? and aggregateid = ?"
                + " and strpos(cast(payload as text), ?) > 0", topic, key, text);
    }

    /** How many events the service published to the topic under any of the keys. */
    public static long published(String topic, Collection<String> keys) {
        return count("select count(*) from outbox_event where aggregatetype = ? and aggregateid = any(?)", topic,
                keys.toArray(String[]::new));
    }

    /** Waits until the consumer has applied (or, for a duplicate, skipped) the event: its inbox row is committed. */
    public static void awaitConsumed(String consumer, String eventId) {
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("select count(*) from consumed_event where consumer = ? and event_id = ?", consumer, eventId) == 1);
    }

    /** Waits until the query finds a row: the state that proves a step happened. */
    public static void awaitRow(String sql, Object... parameters) {
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from (" + sql + ") found", parameters) > 0);
    }

    /** The number a {@code select count(*)} query answers, in the service's database. */
    public static long count(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app"); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A query's rows as text, a line each: what a test prints when a wait runs out, to say where things stood. */
    public static String rows(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app"); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            StringBuilder out = new StringBuilder();
            try (ResultSet rs = s.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        out.append(i == 1 ? "" : " | ").append(rs.getMetaData().getColumnLabel(i)).append('=').append(rs.getString(i));
                    }
                    out.append('\n');
                }
            }
            return out.toString();
        } catch (SQLException e) {
            return "(could not read: " + e.getMessage() + ")";
        }
    }

    /** Runs a statement in the service's database: for arranging what a test needs that no API makes. */
    public static int execute(String sql, Object... parameters) {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app"); PreparedStatement s = c.prepareStatement(sql)) {
            bind(c, s, parameters);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(Connection c, PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof String[] array) {
                s.setArray(i + 1, c.createArrayOf("text", array));
            } else {
                s.setObject(i + 1, parameters[i]);
            }
        }
    }
}
