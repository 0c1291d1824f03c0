package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.connector.postgresql.PostgresConnector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdlePostgresConnectorTests {

    @Test
    void theTaskSeesDebeziumsQueueSoAnIdleRelaySleeps() {
        // Fails on a Debezium whose task keeps its queue elsewhere: the relay would busy-wait again.
        assertTrue(IdlePostgresConnector.IdleTask.seesTheQueue());
    }

    @Test
    void theTaskIsConfiguredAsDebeziumsConnectorForItsSnapshotServices() {
        IdlePostgresConnector connector = new IdlePostgresConnector();
        connector.start(Map.of(
                "connector.class", IdlePostgresConnector.class.getName(), "topic.prefix", "t", "slot.name", "s"));
        Map<String, String> task = connector.taskConfigs(1).get(0);
        assertEquals(PostgresConnector.class.getName(), task.get("connector.class"));
        assertEquals("s", task.get("slot.name"));
        assertEquals(IdlePostgresConnector.IdleTask.class, connector.taskClass());
    }
}
