package io.dropship.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class OutboxAndInboxIT {

    @Inject
    OutboxRelay relay;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    private static String note(String topic, String key, String text, boolean fail) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("text", text, "topic", topic, "key", key, "failAfterPublish", fail))
                .post("/notes")
                .then()
                .statusCode(fail ? 500 : 200)
                .extract()
                .asString();
    }

    @Test
    void theApplicationsMapperReadsInstantsThroughEventInstants() throws Exception {
        // Registered after Quarkus' own modules (its customizer's priority), so its reader is the one asked.
        var context = ((com.fasterxml.jackson.databind.deser.DefaultDeserializationContext)
                        mapper.getDeserializationContext())
                .createInstance(mapper.getDeserializationConfig(), null, null);
        assertEquals(
                EventInstants.Reader.class,
                context.findRootValueDeserializer(mapper.constructType(java.time.Instant.class))
                        .getClass());
    }

    @Test
    void theRelayRunsThePlatformsCopiesOfDebeziumsPatchedClasses() {
        // quarkus.class-loading.removed-resources leaves Debezium's own copies of the patched classes out of the
        // application.
        assertEquals(List.of(), OutboxRelay.missingDebeziumPatches(), "Debezium's own classes are loaded");
    }

    @Test
    void anEventCommittedWithItsStateIsPublishedWithKeyAndHeaders() {
        String key = "agg-" + UUID.randomUUID();
        note("Notes", key, "hello", false);

        ConsumerRecord<String, String> record =
                TopicProbe.await("Notes", r -> key.equals(r.key()), Duration.ofSeconds(60));

        assertTrue(
                record.value().startsWith("{")
                        && record.value().replace(" ", "").contains("\"text\":\"hello\""),
                record.value());
        assertEquals("NoteWritten", TopicProbe.header(record, EventHeaders.TYPE).orElseThrow());
        assertTrue(TopicProbe.header(record, EventHeaders.ID).orElseThrow().matches("[0-9a-f-]{36}"));
        assertEquals(
                7,
                UUID.fromString(TopicProbe.header(record, EventHeaders.ID).orElseThrow())
                        .version(),
                "event ids are ordered by time");
        assertTrue(TopicProbe.header(record, EventHeaders.OCCURRED_AT).isPresent());
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        String key = "agg-" + UUID.randomUUID();
        long notesBefore = Long.parseLong(given().get("/notes/count").asString());
        note("Notes", key, "never happened", true);
        // Same key, so same partition and order: once the marker is there, anything before it is too.
        note("Notes", key, "marker", false);

        List<ConsumerRecord<String, String>> records = TopicProbe.collectUntil(
                "Notes",
                r -> key.equals(r.key()),
                found -> found.stream().anyMatch(r -> r.value().contains("marker")),
                Duration.ofSeconds(60));

        assertEquals(1, records.size(), "only the committed event is published");
        assertTrue(records.get(0).value().contains("marker"));
        assertFalse(records.stream().anyMatch(r -> r.value().contains("never happened")));
        given().get("/notes/count").then().body(is(String.valueOf(notesBefore + 1)));
    }

    @Test
    void anEventDeliveredTwiceChangesStateOnce() {
        String key = "tally-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        Map<String, String> headers = Map.of(EventHeaders.ID, eventId, EventHeaders.TYPE, "Increment");
        String body = "{\"key\":\"" + key + "\",\"by\":5}";

        TopicProbe.send("Tally", key, body, headers);
        TopicProbe.send("Tally", key, body, headers);
        // A different event for the same key is applied: the dedupe is by event id, not by content.
        TopicProbe.send(
                "Tally", key, body, Map.of(EventHeaders.ID, UUID.randomUUID().toString()));

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("10")));
        // The duplicate may still be in flight: give it the time to do harm, then check it did none.
        String marker = "marker-" + UUID.randomUUID();
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + marker + "\",\"by\":1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + marker).then().body(is("1")));
        given().get("/tally/" + key).then().body(is("10"));
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterTopicAndLaterMessagesAreStillApplied() {
        String key = "tally-" + UUID.randomUUID();
        TopicProbe.send(
                "Tally",
                key,
                "{this is not json",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        TopicProbe.send(
                "Tally",
                key,
                "{\"by\":1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        TopicProbe.send("Tally", key, "{\"key\":\"" + key + "\",\"by\":3}", Map.of());
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + key + "\",\"by\":2}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("2")));
        List<ConsumerRecord<String, String>> dead =
                TopicProbe.collect("Tally.outbox-test.DLT", r -> key.equals(r.key()), 3, Duration.ofSeconds(30));
        assertEquals(3, dead.size(), "the malformed body, the missing field and the missing id are dead-lettered");
        for (ConsumerRecord<String, String> r : dead) {
            String reason = TopicProbe.header(r, "dead-letter-reason").orElseThrow();
            assertFalse(reason.isBlank());
        }
        assertTrue(dead.stream()
                .anyMatch(r ->
                        TopicProbe.header(r, "dead-letter-reason").orElse("").contains("no 'id' header")));
    }

    @Test
    void aRelayStoppedAndRestartedMidStreamLosesNothing() {
        String key = "stream-" + UUID.randomUUID();
        int total = 60;
        for (int i = 0; i < 20; i++) {
            note("Stream", key, "event-" + i, false);
        }
        relay.stop();
        assertEquals(OutboxRelay.State.STOPPED, relay.state());
        for (int i = 20; i < 40; i++) {
            note("Stream", key, "event-" + i, false);
        }
        relay.start();
        for (int i = 40; i < total; i++) {
            note("Stream", key, "event-" + i, false);
        }

        Set<String> seen = new HashSet<>();
        List<ConsumerRecord<String, String>> records = TopicProbe.collectUntil(
                "Stream",
                r -> key.equals(r.key()),
                found -> {
                    found.forEach(r -> seen.add(r.value().replaceAll(".*(event-[0-9]+).*", "$1")));
                    return seen.size() == total;
                },
                Duration.ofSeconds(60));
        for (int i = 0; i < total; i++) {
            assertTrue(seen.contains("event-" + i), "event-" + i + " was lost; saw " + seen.size());
        }
        // Order within a key survives the restart: the last event written is the last one read.
        assertTrue(records.get(records.size() - 1).value().contains("event-" + (total - 1)));
        await().atMost(30, TimeUnit.SECONDS).until(() -> relay.state() == OutboxRelay.State.RUNNING);
    }

    /**
     * The WAL is shared by every database on the server: a relay whose outbox is quiet still confirms its slot's
     * position past what a busy neighbour wrote, through its heartbeat, so PostgreSQL can recycle those segments.
     */
    @Test
    void aQuietOutboxStillConfirmsItsSlotPastABusyNeighboursWal() throws Exception {
        io.dropship.infra.LocalPostgres pg =
                io.dropship.testkit.SharedInfrastructure.get().postgres();
        pg.ensureDatabase("busy_neighbour");
        String target;
        try (java.sql.Connection c = pg.connect("busy_neighbour");
                java.sql.Statement st = c.createStatement()) {
            st.execute("create table if not exists churn (id bigserial primary key, pad text)");
            st.execute("insert into churn (pad) select repeat('x', 200) from generate_series(1, 20000)");
            try (java.sql.ResultSet rs = st.executeQuery("select cast(pg_current_wal_lsn() as text)")) {
                rs.next();
                target = rs.getString(1);
            }
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            try (java.sql.Connection c = pg.connect("app");
                    java.sql.PreparedStatement s = c.prepareStatement(
                            "select confirmed_flush_lsn >= cast(? as pg_lsn) from pg_replication_slots where slot_name = 'outbox_test_outbox'")) {
                s.setString(1, target);
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    /** A long-running fleet keeps neither relayed outbox rows nor consumed-event ids forever. */
    @Test
    void recordsPastTheirRetentionArePrunedAndRecentOnesKept() throws Exception {
        io.dropship.infra.LocalPostgres pg =
                io.dropship.testkit.SharedInfrastructure.get().postgres();
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        UUID oldRow = UUID.randomUUID();
        try (java.sql.Connection c = pg.connect("app");
                java.sql.Statement st = c.createStatement()) {
            st.execute("insert into consumed_event (consumer, event_id, consumed_at) values ('prune-test', '" + old
                    + "', now() - interval '15 days'), ('prune-test', '" + recent + "', now() - interval '13 days')");
            st.execute("insert into outbox_event (id, aggregatetype, aggregateid, type, payload, occurredat) values ('"
                    + oldRow + "', 'Pruned', 'k', 'Old', '{}', now() - interval '4 days')");
        }
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> count("select count(*) from consumed_event where event_id = '" + old + "'") == 0
                        && count("select count(*) from outbox_event where id = '" + oldRow + "'") == 0);
        assertEquals(
                1,
                count("select count(*) from consumed_event where event_id = '" + recent + "'"),
                "an id younger than the 14-day retention is still recognised");
    }

    @Test
    void idsMadeByAStatementAreVersionSevenWithTheStatementsClock() throws Exception {
        List<UUID> ids = new java.util.ArrayList<>();
        try (java.sql.Connection c = io.dropship.testkit.SharedInfrastructure.get()
                        .postgres()
                        .connect("app");
                java.sql.Statement st = c.createStatement()) {
            for (int round = 0; round < 2; round++) {
                try (java.sql.ResultSet rs = st.executeQuery(
                        "select " + TimeOrderedIds.SQL
                                + ", floor(extract(epoch from clock_timestamp()) * 1000)::bigint from generate_series(1, 500)")) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        long clock = rs.getLong(2);
                        assertEquals(7, id.version(), id::toString);
                        assertEquals(2, id.variant(), id::toString);
                        long millis = id.getMostSignificantBits() >>> 16;
                        // The id's clock is read just before the row's.
                        assertTrue(millis <= clock && clock - millis < 1_000, millis + " against " + clock);
                        ids.add(id);
                    }
                }
                Thread.sleep(5);
            }
        }
        assertEquals(1_000, new HashSet<>(ids).size(), "no id repeats");
        // A later statement's ids sort after an earlier one's, as text (the inbox's varchar) and as uuid.
        assertTrue(ids.get(999).toString().compareTo(ids.get(0).toString()) > 0);
        assertTrue(Long.compareUnsigned(
                        ids.get(999).getMostSignificantBits(), ids.get(0).getMostSignificantBits())
                > 0);
    }

    private static long count(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = io.dropship.testkit.SharedInfrastructure.get()
                        .postgres()
                        .connect("app");
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
