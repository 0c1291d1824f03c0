package io.dropship.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.work.OwnContext;
import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * This service's dead letters, as ops see them: listed per consumer with the reason, read one by one, replayed or
 * discarded. A replay sends the record back to its original topic with its original key, value and headers; every
 * consumer of that topic deduplicates by event id in its inbox, so only the consumers that never applied it apply it
 * now. A record without an event id cannot be deduplicated and is never replayed (it is poison: discard it), nor is
 * one older than the inbox's retention, whose id the other consumers may have forgotten.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** Headers the connector adds when it dead-letters a record; a replay leaves them off. */
    private static final String DEAD_LETTER_HEADER_PREFIX = "dead-letter-";

    public enum Status {
        DEAD,
        REPLAYED,
        DISCARDED
    }

    public record Summary(String consumer, long dead, long replayed, long discarded) {}

    public record Entry(
            long id,
            String consumer,
            String topic,
            String key,
            String eventId,
            String eventType,
            String reason,
            Instant deadAt,
            String status,
            int replays,
            Instant resolvedAt,
            String resolvedBy,
            String note) {}

    public record Detail(Entry entry, String value, Map<String, String> headers) {}

    public record Page(List<Entry> items, String nextCursor) {}

    /** Why a dead letter could not be replayed or discarded; the caller answers it as a conflict or not-found. */
    public static class Refused extends RuntimeException {
        public final boolean notFound;

        Refused(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }
    }

    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper mapper;
    private final OutboxConfig config;
    private final MeterRegistry meters;
    private final Vertx vertx;
    private final String bootstrapServers;
    private final Map<String, AtomicLong> deadPerConsumer = new ConcurrentHashMap<>();
    private volatile KafkaProducer<String, String> producer;
    private volatile PeriodicJob gauges;

    public DeadLetters(
            Mutiny.SessionFactory sessions,
            ObjectMapper mapper,
            OutboxConfig config,
            MeterRegistry meters,
            Vertx vertx,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.sessions = sessions;
        this.mapper = mapper;
        this.config = config;
        this.meters = meters;
        this.vertx = vertx;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        gauges = PeriodicJob.start(vertx, Duration.ofSeconds(15), "dead-letter gauges", this::refreshGauges);
    }

    void stop(@Observes ShutdownEvent event) {
        if (gauges != null) {
            gauges.stop();
        }
        KafkaProducer<String, String> p = producer;
        if (p != null) {
            p.close(Duration.ofSeconds(5));
        }
    }

    /** Records a record read from one of this service's dead-letter topics; a second reading of it changes nothing. */
    public Uni<Void> record(ConsumerRecord<String, String> dead) {
        Map<String, String> headers = headers(dead);
        String consumer = dead.topic().endsWith(".DLT")
                ? dead.topic().substring(0, dead.topic().length() - 4)
                : dead.topic();
        String topic = headers.getOrDefault(
                "dead-letter-topic", consumer.contains(".") ? consumer.substring(0, consumer.indexOf('.')) : consumer);
        ObjectNode headerJson = mapper.valueToTree(headers);
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "insert into dead_letter (consumer, dlt_topic, dlt_partition,"
                                        + " dlt_offset, topic, record_key, value, headers, event_id, event_type, reason, dead_at, status)"
                                        + " values (:consumer, :dlt, :partition, :offset, :topic, :key, :value, cast(cast(:headers as text) as jsonb),"
                                        + " :eventId, :type, :reason, :at, 'DEAD') on conflict do nothing")
                        .setParameter("consumer", consumer)
                        .setParameter("dlt", dead.topic())
                        .setParameter("partition", dead.partition())
                        .setParameter("offset", dead.offset())
                        .setParameter("topic", topic)
                        .setParameter("key", dead.key())
                        .setParameter("value", dead.value())
                        .setParameter("headers", headerJson.toString())
                        .setParameter("eventId", blankToNull(headers.get(EventHeaders.ID)))
                        .setParameter("type", headers.get(EventHeaders.TYPE))
                        .setParameter("reason", headers.getOrDefault("dead-letter-reason", "(no reason given)"))
                        .setParameter(
                                "at",
                                OffsetDateTime.ofInstant(
                                        Instant.ofEpochMilli(dead.timestamp()), java.time.ZoneOffset.UTC))
                        .executeUpdate())
                .invoke(rows -> {
                    if (rows == 1) {
                        meters.counter("dropship.dead_letters.recorded", "consumer", consumer)
                                .increment();
                        counter(consumer).incrementAndGet();
                        LOG.warnf(
                                "dead letter on %s: event %s (%s): %s",
                                dead.topic(),
                                headers.get(EventHeaders.ID),
                                headers.get(EventHeaders.TYPE),
                                headers.get("dead-letter-reason"));
                    }
                })
                .replaceWithVoid();
    }

    public Uni<List<Summary>> summary() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select consumer,"
                                        + " count(*) filter (where status = 'DEAD'), count(*) filter (where status = 'REPLAYED'),"
                                        + " count(*) filter (where status = 'DISCARDED') from dead_letter group by consumer order by consumer",
                                Object[].class)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new Summary(
                                (String) r[0],
                                ((Number) r[1]).longValue(),
                                ((Number) r[2]).longValue(),
                                ((Number) r[3]).longValue()))
                        .toList());
    }

    /** Newest first; {@code cursor} is the last id of the page before. */
    public Uni<Page> list(Status status, String consumer, int limit, Long cursor) {
        int size = Math.max(1, Math.min(limit, 200));
        return sessions.withSession(s -> s.createNativeQuery(
                                "select " + COLUMNS + " from dead_letter"
                                        + " where (cast(:status as text) is null or status = cast(:status as text))"
                                        + " and (cast(:consumer as text) is null or consumer = cast(:consumer as text))"
                                        + " and (cast(:cursor as bigint) is null or id < cast(:cursor as bigint))"
                                        + " order by id desc limit :limit",
                                Object[].class)
                        .setParameter("status", status == null ? null : status.name())
                        .setParameter("consumer", consumer)
                        .setParameter("cursor", cursor)
                        .setParameter("limit", size + 1)
                        .getResultList())
                .map(rows -> {
                    List<Entry> items = new ArrayList<>(
                            rows.stream().limit(size).map(DeadLetters::entry).toList());
                    String next = rows.size() > size
                            ? String.valueOf(items.get(items.size() - 1).id())
                            : null;
                    return new Page(items, next);
                });
    }

    public Uni<Detail> get(long id) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select " + COLUMNS + ", value, cast(headers as text)"
                                        + " from dead_letter where id = :id",
                                Object[].class)
                        .setParameter("id", id)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new Refused("dead letter " + id, true);
                    }
                    Object[] r = rows.get(0);
                    return new Detail(entry(r), (String) r[13], readHeaders((String) r[14]));
                });
    }

    /**
     * Sends the dead letter back to its topic and marks it REPLAYED, holding its row meanwhile so two replays of it
     * do not cross. Only a DEAD one with an event id, younger than the inbox's retention, is replayed.
     */
    public Uni<Entry> replay(long id, String by) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "select " + COLUMNS + ", value, cast(headers as text)"
                                + " from dead_letter where id = :id for update",
                        Object[].class)
                .setParameter("id", id)
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().failure(new Refused("dead letter " + id, true));
                    }
                    Object[] r = rows.get(0);
                    Entry e = entry(r);
                    if (!e.status().equals(Status.DEAD.name())) {
                        return Uni.createFrom().failure(new Refused("dead letter " + id + " is " + e.status(), false));
                    }
                    if (e.eventId() == null) {
                        return Uni.createFrom()
                                .failure(new Refused(
                                        "dead letter " + id + " has no event id, so its consumers"
                                                + " could not tell a replay from a new event; it can only be discarded",
                                        false));
                    }
                    if (e.deadAt().isBefore(Instant.now().minus(config.inbox().retention()))) {
                        return Uni.createFrom()
                                .failure(new Refused(
                                        "dead letter " + id + " is older than the inbox's retention ("
                                                + config.inbox().retention()
                                                + "): consumers that applied it may have forgotten its id",
                                        false));
                    }
                    return send(e.topic(), e.key(), (String) r[13], readHeaders((String) r[14]))
                            .chain(() -> s.createNativeQuery(
                                            "update dead_letter set status = 'REPLAYED', replays = replays + 1,"
                                                    + " resolved_at = now(), resolved_by = :by where id = :id")
                                    .setParameter("by", by)
                                    .setParameter("id", id)
                                    .executeUpdate())
                            .invoke(() -> {
                                meters.counter("dropship.dead_letters.replayed", "consumer", e.consumer())
                                        .increment();
                                counter(e.consumer()).decrementAndGet();
                                LOG.infof(
                                        "dead letter %d (event %s) replayed to %s by %s",
                                        id, e.eventId(), e.topic(), by);
                            })
                            .chain(() -> s.createNativeQuery(
                                            "select " + COLUMNS + " from dead_letter where id = :id", Object[].class)
                                    .setParameter("id", id)
                                    .getSingleResult()
                                    .map(DeadLetters::entry));
                }));
    }

    /** Replays every DEAD one (of one consumer, or all), oldest first; returns how many went and which were refused. */
    public Uni<Map<String, Object>> replayAll(String consumer, String by) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select id from dead_letter where status = 'DEAD'"
                                        + " and (cast(:consumer as text) is null or consumer = cast(:consumer as text)) order by id",
                                Long.class)
                        .setParameter("consumer", consumer)
                        .getResultList())
                .chain(ids -> {
                    List<Long> replayed = new ArrayList<>();
                    Map<Long, String> refused = new java.util.LinkedHashMap<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Long id : ids) {
                        chain = chain.chain(() -> OwnContext.run(vertx, () -> replay(id, by))
                                .invoke(e -> replayed.add(id))
                                .onFailure(Refused.class)
                                .recoverWithItem(x -> {
                                    refused.put(id, x.getMessage());
                                    return null;
                                })
                                .replaceWithVoid());
                    }
                    return chain.map(v -> Map.of("replayed", replayed, "refused", refused));
                });
    }

    public Uni<Entry> discard(long id, String by, String note) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                        "update dead_letter set status = 'DISCARDED', resolved_at = now(),"
                                + " resolved_by = :by, note = :note where id = :id and status = 'DEAD'")
                .setParameter("by", by)
                .setParameter("note", note == null ? null : note.length() > 1000 ? note.substring(0, 1000) : note)
                .setParameter("id", id)
                .executeUpdate()
                .chain(rows -> s.createNativeQuery(
                                "select " + COLUMNS + " from dead_letter where id = :id", Object[].class)
                        .setParameter("id", id)
                        .getResultList()
                        .map(found -> {
                            if (found.isEmpty()) {
                                throw new Refused("dead letter " + id, true);
                            }
                            Entry e = entry(found.get(0));
                            if (rows == 0) {
                                throw new Refused("dead letter " + id + " is " + e.status(), false);
                            }
                            counter(e.consumer()).decrementAndGet();
                            return e;
                        })));
    }

    /**
     * For a batch consumer: reads each record's payload as the event type and hands it to the taker. A record that
     * cannot be read, or that the taker refuses with a {@link PoisonMessageException}, goes to the channel's
     * dead-letter topic ({@link #deadLetter}) and the rest of the batch is kept.
     *
     * @return sends the dead letters; the batch's own work should follow it
     */
    public <T> Uni<Void> readEach(
            String channel,
            org.apache.kafka.clients.consumer.ConsumerRecords<String, String> records,
            Class<T> type,
            java.util.function.Consumer<T> taker) {
        return readEach(channel, records, type, null, null, null, (record, event) -> taker.accept(event));
    }

    /**
     * The same for a topic that carries, besides one event per record, a batch kind whose record holds many of them
     * (told apart by the record's {@code eventType} header; SupplierProductsChanged on SupplierProductChanged): a
     * record of the batch kind is read as {@code batchClass} and each of its events handed to the taker, with the
     * record it came in. A batch record that cannot be read, holds no event, or one of whose events the taker refuses
     * goes to the dead-letter topic whole; the events of it taken before the refusal are applied with the rest of the
     * poll (a replay of the dead letter applies them again, which consumers of such batches must take as a repeat).
     */
    public <T, B> Uni<Void> readEach(
            String channel,
            org.apache.kafka.clients.consumer.ConsumerRecords<String, String> records,
            Class<T> type,
            String batchType,
            Class<B> batchClass,
            java.util.function.Function<B, List<T>> batchEvents,
            java.util.function.BiConsumer<ConsumerRecord<String, String>, T> taker) {
        List<Uni<Void>> poison = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                IncomingEvent incoming = IncomingEvent.from(record);
                if (batchType != null && batchType.equals(incoming.type())) {
                    List<T> events = batchEvents.apply(read(incoming, batchClass));
                    if (events == null || events.isEmpty()) {
                        throw new PoisonMessageException(batchType + " without events");
                    }
                    for (T event : events) {
                        if (event == null) {
                            throw new PoisonMessageException(batchType + " holds a null event");
                        }
                        taker.accept(record, event);
                    }
                } else {
                    taker.accept(record, read(incoming, type));
                }
            } catch (PoisonMessageException e) {
                poison.add(Uni.createFrom().deferred(() -> deadLetter(channel, record, e.getMessage())));
            }
        }
        return poison.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(poison).andFailFast().replaceWithVoid();
    }

    private <T> T read(IncomingEvent incoming, Class<T> type) {
        T event;
        try {
            event = mapper.readValue(incoming.payload(), type);
        } catch (Exception e) {
            throw new PoisonMessageException(type.getSimpleName() + " that cannot be read: " + e.getMessage(), e);
        }
        if (event == null) {
            throw new PoisonMessageException(type.getSimpleName() + " is null");
        }
        return event;
    }

    /**
     * Sends a record that a batch consumer cannot apply (poison: unreadable, or missing what it needs) to the channel's
     * dead-letter topic with the headers the connector's dead-letter strategy writes, so that it is recorded, counted,
     * listed and replayed like any other dead letter while the rest of its batch is applied.
     */
    public Uni<Void> deadLetter(String channel, ConsumerRecord<String, String> record, String reason) {
        String topic = topicFor(topicOf(channel), record.topic());
        LOG.errorf("%s on %s at %d: %s; it goes to %s", channel, record.topic(), record.offset(), reason, topic);
        RecordHeaders out = deadLetterHeaders(record.headers(), record.topic(), record.partition(), record.offset());
        out.add(
                DEAD_LETTER_HEADER_PREFIX + "reason",
                SqlValues.fit(reason, 1000).getBytes(StandardCharsets.UTF_8));
        return produce(new ProducerRecord<>(topic, null, record.key(), record.value(), out));
    }

    /**
     * The same for a record a channel's consumer has given up on ({@link DeadLetterTopics}, which knows the channel's
     * dead-letter topic from its configuration), with the headers
     * SmallRye's dead-letter-queue strategy writes: the reason, its exception's class, and its cause's.
     */
    public Uni<Void> deadLetter(
            String topic,
            String channel,
            io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord<?, ?> record,
            Throwable reason) {
        LOG.errorf(
                "%s gave up on %s at %d: %s; it goes to %s",
                channel, record.getTopic(), record.getOffset(), message(reason), topic);
        RecordHeaders out =
                deadLetterHeaders(record.getHeaders(), record.getTopic(), record.getPartition(), record.getOffset());
        out.add(DEAD_LETTER_HEADER_PREFIX + "reason", utf8(SqlValues.fit(message(reason), 1000)));
        out.add(
                DEAD_LETTER_HEADER_PREFIX + "exception-class-name",
                utf8(reason.getClass().getName()));
        if (reason.getCause() != null) {
            out.add(DEAD_LETTER_HEADER_PREFIX + "cause", utf8(SqlValues.fit(message(reason.getCause()), 1000)));
            out.add(
                    DEAD_LETTER_HEADER_PREFIX + "cause-class-name",
                    utf8(reason.getCause().getClass().getName()));
        }
        return produce(new ProducerRecord<>(
                topic,
                null,
                record.getKey() == null ? null : record.getKey().toString(),
                record.getPayload() == null ? null : record.getPayload().toString(),
                out));
    }

    /**
     * A batch consumer's dead-letter topic: its channel's {@code dead-letter-queue.topic}, a {@link BatchHandlers}
     * handler's {@code dropship.handlers.<name>.dead-letter-topic}, or the default name.
     */
    private static String topicOf(String channel) {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        return config.getOptionalValue("mp.messaging.incoming." + channel + ".dead-letter-queue.topic", String.class)
                .or(() -> config.getOptionalValue("dropship.handlers." + channel + ".dead-letter-topic", String.class))
                .orElseGet(() -> defaultTopic(channel));
    }

    /**
     * A channel's dead-letter topic for a record read from {@code sourceTopic}: the configured name, in which
     * {@value #SOURCE_TOPIC} stands for the record's topic (a channel reading several topics keeps their dead letters
     * apart: {@code {topic}.order-service.DLT}).
     */
    public static String topicFor(String configured, String sourceTopic) {
        return configured.replace(SOURCE_TOPIC, sourceTopic);
    }

    /** In a channel's {@code dead-letter-queue.topic}, where the record's own topic goes. */
    public static final String SOURCE_TOPIC = "{topic}";

    /**
     * SmallRye's name for a channel's dead-letter topic when none is configured. A channel with {@code concurrency=n}
     * runs as {@code channel$1} to {@code channel$n}: they share the channel's topic.
     */
    static String defaultTopic(String channel) {
        return "dead-letter-topic-" + channel.replaceFirst("\\$\\d+$", "");
    }

    /** The record's own headers (without those of an earlier dying) and where it was read from. */
    private static RecordHeaders deadLetterHeaders(
            org.apache.kafka.common.header.Headers headers, String topic, int partition, long offset) {
        RecordHeaders out = new RecordHeaders();
        for (Header h : headers) {
            if (h.value() != null && !h.key().startsWith(DEAD_LETTER_HEADER_PREFIX)) {
                out.add(h.key(), h.value());
            }
        }
        out.add(DEAD_LETTER_HEADER_PREFIX + "topic", utf8(topic));
        out.add(DEAD_LETTER_HEADER_PREFIX + "partition", utf8(String.valueOf(partition)));
        out.add(DEAD_LETTER_HEADER_PREFIX + "offset", utf8(String.valueOf(offset)));
        return out;
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Uni<Void> send(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders out = new RecordHeaders();
        headers.forEach((k, v) -> {
            if (!k.startsWith(DEAD_LETTER_HEADER_PREFIX)) {
                out.add(k, v.getBytes(StandardCharsets.UTF_8));
            }
        });
        return produce(new ProducerRecord<>(topic, null, key, value, out));
    }

    private Uni<Void> produce(ProducerRecord<String, String> record) {
        String topic = record.topic();
        // The send blocks until Kafka acknowledges; it runs off the event loop and comes back on the caller's context,
        // where its Hibernate Reactive session lives.
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        java.util.concurrent.Callable<Object> acknowledged = () -> {
            try {
                return producer().send(record).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not take an event for " + topic, e);
            }
        };
        return Uni.createFrom()
                .completionStage(() -> (context != null ? context : vertx.getOrCreateContext())
                        .executeBlocking(acknowledged, false)
                        .toCompletionStage())
                .replaceWithVoid();
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    // The broker's security settings (kafka.security.protocol, sasl.*, ssl.*) as the channels and
                    // the relay take them: in a cluster this producer logs in like every other client of the service.
                    Map<String, Object> settings = new java.util.HashMap<>(
                            OutboxRelay.kafkaSettings(org.eclipse.microprofile.config.ConfigProvider.getConfig()));
                    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                    settings.put(ProducerConfig.ACKS_CONFIG, "all");
                    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    settings.put(ProducerConfig.CLIENT_ID_CONFIG, config.relay().name() + "-dead-letters");
                    producer = new KafkaProducer<>(settings);
                }
                p = producer;
            }
        }
        return p;
    }

    /** Re-reads the DEAD count per consumer for the gauge {@code dropship.dead_letters{consumer}}. */
    private Uni<Void> refreshGauges() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select consumer, count(*) filter (where status = 'DEAD')"
                                        + " from dead_letter group by consumer",
                                Object[].class)
                        .getResultList())
                .invoke(rows -> rows.forEach(r -> counter((String) r[0]).set(((Number) r[1]).longValue())))
                .replaceWithVoid();
    }

    /** The consumer's dead-letter gauge, at 0 until it has some. */
    public void track(String consumer) {
        counter(consumer);
    }

    private AtomicLong counter(String consumer) {
        return deadPerConsumer.computeIfAbsent(
                consumer, c -> meters.gauge("dropship.dead_letters", Tags.of("consumer", c), new AtomicLong()));
    }

    private static final String COLUMNS =
            "id, consumer, topic, record_key, event_id, event_type, reason, dead_at, status,"
                    + " replays, resolved_at, resolved_by, note";

    private static Entry entry(Object[] r) {
        return new Entry(
                ((Number) r[0]).longValue(),
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                SqlValues.instant(r[7]),
                (String) r[8],
                ((Number) r[9]).intValue(),
                SqlValues.instant(r[10]),
                (String) r[11],
                (String) r[12]);
    }

    private Map<String, String> readHeaders(String json) {
        try {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields =
                    mapper.readTree(json).fields();
            fields.forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
            return headers;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a dead letter's headers are not JSON", e);
        }
    }

    private static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Header h : record.headers()) {
            if (h.value() != null) {
                String value = new String(h.value(), StandardCharsets.UTF_8);
                headers.put(
                        h.key(),
                        h.key().equals(EventHeaders.ID) || h.key().equals(EventHeaders.TYPE)
                                ? IncomingEvent.unquote(value)
                                : value);
            }
        }
        return headers;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
