package io.dropship.platform.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.debezium.data.Envelope.Operation;
import io.debezium.pipeline.meters.CommonEventMeter;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.relational.TableId;
import io.debezium.spi.schema.DataCollectionId;
import io.debezium.util.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** The copy of Debezium's CommonEventMeter: made from the Debezium beside it, the same meter, summarising when read. */
class CommonEventMeterPatchTests {

    private static final Schema KEY =
            SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
    private static final Schema SOURCE =
            SchemaBuilder.struct().field("lsn", Schema.INT64_SCHEMA).build();
    private static final Schema VALUE = SchemaBuilder.struct()
            .field("op", Schema.STRING_SCHEMA)
            .field("source", SOURCE)
            .build();
    private static final TableId OUTBOX = new TableId("orders", "public", "outbox_event");

    /** A provider like PostgreSQL's: the position from the event's source struct; counts the summaries made. */
    static final class CountingProvider implements EventMetadataProvider {
        final AtomicInteger summaries = new AtomicInteger();

        @Override
        public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return null;
        }

        @Override
        public Map<String, String> getEventSourcePosition(
                DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return Map.of("lsn", Long.toString(value.getStruct("source").getInt64("lsn")));
        }

        @Override
        public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return null;
        }

        @Override
        public String toSummaryString(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            summaries.incrementAndGet();
            return EventMetadataProvider.super.toSummaryString(source, offset, key, value);
        }
    }

    private static Struct key(String id) {
        return new Struct(KEY).put("id", id);
    }

    private static Struct value(long lsn) {
        return new Struct(VALUE).put("op", "c").put("source", new Struct(SOURCE).put("lsn", lsn));
    }

    @Test
    void theCopyIsOfTheDebeziumBesideIt() throws Exception {
        PatchVersions.assertMadeFromTheDebeziumBesideIt(CommonEventMeter.class);
    }

    @Test
    void eventsAreCountedAndTheLastIsSummarisedOnlyWhenRead() {
        CountingProvider provider = new CountingProvider();
        CommonEventMeter meter = new CommonEventMeter(Clock.SYSTEM, provider);
        assertNull(meter.getLastEvent());

        for (int i = 1; i <= 1000; i++) {
            meter.onEvent(OUTBOX, null, key("e" + i), value(i), Operation.CREATE);
        }
        meter.onEvent(OUTBOX, null, key("u"), value(1001), Operation.UPDATE);
        assertEquals(0, provider.summaries.get(), "no summary is made while events pass");
        assertEquals(1001, meter.getTotalNumberOfEventsSeen());
        assertEquals(1000, meter.getTotalNumberOfCreateEventsSeen());
        assertEquals(1, meter.getTotalNumberOfUpdateEventsSeen());

        // What Debezium's own meter stored for the last event, made the same way.
        String expected = new CountingProvider().toSummaryString(OUTBOX, null, key("u"), value(1001));
        assertEquals(expected, meter.getLastEvent());
        assertEquals(1, provider.summaries.get());
        assertEquals("position: {lsn: 1001}, key: {\"id\" : \"u\"}", meter.getLastEvent());

        meter.reset();
        assertNull(meter.getLastEvent());
        assertEquals(0, meter.getTotalNumberOfEventsSeen());
    }
}
