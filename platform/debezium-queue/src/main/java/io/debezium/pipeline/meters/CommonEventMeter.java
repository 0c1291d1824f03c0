/*
 * Copyright Debezium Authors.
 *
 * Licensed under the Apache Software License version 2.0, available at http://www.apache.org/licenses/LICENSE-2.0
 */
package io.debezium.pipeline.meters;

import io.debezium.annotation.ThreadSafe;
import io.debezium.data.Envelope.Operation;
import io.debezium.pipeline.metrics.traits.CommonEventMetricsMXBean;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.spi.schema.DataCollectionId;
import io.debezium.util.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;

/**
 * Carries common event metrics.
 */
@ThreadSafe
public class CommonEventMeter implements CommonEventMetricsMXBean {

    /**
     * dropship: Debezium 3.3.1.Final's CommonEventMeter with one change, carried until Debezium makes it: the "last
     * event" summary is written when it is read ({@link #getLastEvent()}, a JMX attribute), not for every event.
     * Debezium formatted each event's key into a JSON string for it, building a Jackson ObjectMapper each time
     * (SchemaUtil.asDetailedString): in a 300,000-row import that was 14 % of the relay's CPU and 28 % of what it
     * allocated. The meter keeps the last event's parts instead; PostgreSQL's EventMetadataProvider reads the position
     * from the event's own (immutable) source struct, so the summary is the same as Debezium's. Services load this
     * class instead of Debezium's (platform-outbox's {@code quarkus.class-loading.removed-resources});
     * CommonEventMeterPatchTests fails on another Debezium version.
     */
    public static final String PATCH = "3.3.1.Final: last event summarised when read";

    /** dropship: what {@link #getLastEvent()} summarises. */
    private record LastEvent(DataCollectionId source, OffsetContext offset, Object key, Struct value) {}

    protected final AtomicLong totalNumberOfEventsSeen = new AtomicLong();
    protected final AtomicLong totalNumberOfCreateEventsSeen = new AtomicLong();
    protected final AtomicLong totalNumberOfUpdateEventsSeen = new AtomicLong();
    protected final AtomicLong totalNumberOfDeleteEventsSeen = new AtomicLong();
    private final AtomicLong numberOfEventsFiltered = new AtomicLong();
    protected final AtomicLong numberOfErroneousEvents = new AtomicLong();
    protected final AtomicLong lastEventTimestamp = new AtomicLong(-1);
    private volatile LastEvent lastEvent;

    private final Clock clock;
    private final EventMetadataProvider metadataProvider;

    public CommonEventMeter(Clock clock, EventMetadataProvider metadataProvider) {
        this.clock = clock;
        this.metadataProvider = metadataProvider;
    }

    public void onEvent(DataCollectionId source, OffsetContext offset, Object key, Struct value, Operation operation) {
        updateCommonEventMetrics(operation);
        // dropship: summarised when read (see PATCH).
        lastEvent = new LastEvent(source, offset, key, value);
    }

    private void updateCommonEventMetrics() {
        updateCommonEventMetrics(null);
    }

    private void updateCommonEventMetrics(Operation operation) {
        totalNumberOfEventsSeen.incrementAndGet();
        lastEventTimestamp.set(clock.currentTimeInMillis());

        if (operation != null) {
            switch (operation) {
                case CREATE:
                    totalNumberOfCreateEventsSeen.incrementAndGet();
                    break;
                case UPDATE:
                    totalNumberOfUpdateEventsSeen.incrementAndGet();
                    break;
                case DELETE:
                    totalNumberOfDeleteEventsSeen.incrementAndGet();
                    break;
                default:
                    break;
            }
        }
    }

    public void onFilteredEvent() {
        numberOfEventsFiltered.incrementAndGet();
        updateCommonEventMetrics();
    }

    public void onFilteredEvent(Operation operation) {
        numberOfEventsFiltered.incrementAndGet();
        updateCommonEventMetrics(operation);
    }

    public void onErroneousEvent() {
        numberOfErroneousEvents.incrementAndGet();
        updateCommonEventMetrics();
    }

    public void onErroneousEvent(Operation operation) {
        numberOfErroneousEvents.incrementAndGet();
        updateCommonEventMetrics(operation);
    }

    @Override
    public String getLastEvent() {
        LastEvent last = lastEvent;
        return last == null
                ? null
                : metadataProvider.toSummaryString(last.source(), last.offset(), last.key(), last.value());
    }

    @Override
    public long getMilliSecondsSinceLastEvent() {
        return (lastEventTimestamp.get() == -1) ? -1 : (clock.currentTimeInMillis() - lastEventTimestamp.get());
    }

    @Override
    public long getTotalNumberOfEventsSeen() {
        return totalNumberOfEventsSeen.get();
    }

    @Override
    public long getTotalNumberOfCreateEventsSeen() {
        return totalNumberOfCreateEventsSeen.get();
    }

    @Override
    public long getTotalNumberOfUpdateEventsSeen() {
        return totalNumberOfUpdateEventsSeen.get();
    }

    @Override
    public long getTotalNumberOfDeleteEventsSeen() {
        return totalNumberOfDeleteEventsSeen.get();
    }

    @Override
    public long getNumberOfEventsFiltered() {
        return numberOfEventsFiltered.get();
    }

    @Override
    public long getNumberOfErroneousEvents() {
        return numberOfErroneousEvents.get();
    }

    public void reset() {
        totalNumberOfEventsSeen.set(0);
        totalNumberOfCreateEventsSeen.set(0);
        totalNumberOfUpdateEventsSeen.set(0);
        totalNumberOfDeleteEventsSeen.set(0);
        lastEventTimestamp.set(-1);
        numberOfEventsFiltered.set(0);
        numberOfErroneousEvents.set(0);
        lastEvent = null;
    }
}
