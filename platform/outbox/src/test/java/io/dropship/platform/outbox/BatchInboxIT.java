package io.dropship.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Inbox.applyAll: a poll's events in one transaction, each applied once; a record that cannot be read, or whose
 * effect fails, goes to the dead-letter topic alone and the rest of its poll is applied.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class BatchInboxIT {

    @Inject
    Pool pool;

    private static String increment(String key, int by) {
        return key == null ? "{\"by\":" + by + "}" : "{\"key\":\"" + key + "\",\"by\":" + by + "}";
    }

    @Test
    void aPollIsOneTransactionEachEventAppliedOnce() {
        OffsetDateTime start = pool.query("select now()")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getOffsetDateTime(0);
        String key = "batch-" + UUID.randomUUID();
        List<Map.Entry<String, String>> ones = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ones.add(Map.entry(key, increment(key, 1)));
        }
        TopicProbe.sendAll("BatchTally", ones);
        // One event delivered twice: counted once.
        Map<String, String> twice = Map.of(EventHeaders.ID, UUID.randomUUID().toString());
        TopicProbe.send("BatchTally", key, increment(key, 10), twice);
        TopicProbe.send("BatchTally", key, increment(key, 10), twice);

        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("50")));
        Row applied = pool.preparedQuery("select count(*), count(distinct consumed_at) from consumed_event"
                        + " where consumer = 'outbox-test.batch-tally' and consumed_at >= $1")
                .execute(Tuple.of(start))
                .await()
                .indefinitely()
                .iterator()
                .next();
        assertEquals(41, applied.getLong(0), "each event recorded once");
        assertTrue(
                applied.getLong(1) < 10,
                applied.getLong(0) + " events in " + applied.getLong(1) + " transactions, not one each");
    }

    @Test
    void aBadRecordGoesToTheDeadLetterTopicAloneAndItsPollIsApplied() {
        String key = "batch-" + UUID.randomUUID();
        String unreadable = "unreadable-" + UUID.randomUUID();
        String keyless = "keyless-" + UUID.randomUUID();
        String negative = "negative-" + UUID.randomUUID();
        List<Map.Entry<String, String>> poll = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            poll.add(Map.entry(key, increment(key, 1)));
        }
        poll.add(Map.entry(unreadable, "{not json"));
        poll.add(Map.entry(keyless, increment(null, 1)));
        poll.add(Map.entry(negative, increment(key, -5)));
        for (int i = 0; i < 5; i++) {
            poll.add(Map.entry(key, increment(key, 1)));
        }
        TopicProbe.sendAll("BatchTally", poll);

        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("10")));
        Set<String> dead = TopicProbe.collect(
                        "BatchTally.outbox-test.DLT",
                        r -> Set.of(unreadable, keyless, negative).contains(r.key()),
                        3,
                        Duration.ofSeconds(60))
                .stream()
                .map(r -> r.key() + ": "
                        + TopicProbe.header(r, "dead-letter-reason").orElse(""))
                .collect(Collectors.toSet());
        assertEquals(3, dead.size(), dead.toString());
        assertTrue(dead.stream().anyMatch(d -> d.startsWith(keyless) && d.contains("needs a key")), dead.toString());
        assertTrue(
                dead.stream().anyMatch(d -> d.startsWith(negative) && d.contains("only counts up")), dead.toString());
        given().get("/tally/" + key).then().body(is("10"));
    }
}
