package io.dropship.platform.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Relays this service's outbox table to Kafka with the Debezium embedded engine and the outbox
 * EventRouter: topic = aggregatetype, key = aggregateid, headers id, eventType and occurredAt.
 *
 * <p>Only one instance per database relays at a time: the active one holds a PostgreSQL advisory lock
 * on a connection it keeps open; the others wait as standbys and take over when that session ends.
 * Offsets live in the service's own database ({@code outbox_relay_offset}), and a batch's offsets are
 * committed only after Kafka acknowledged every record of it, so a restart resends rather than skips.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    public enum State {
        STOPPED,
        STANDBY,
        STARTING,
        RUNNING,
        FAILED
    }

    private final OutboxConfig config;
    private final String bootstrapServers;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final MeterRegistry meters;
    private final Map<String, Object> kafkaSettings;
    private final Timer delay;
    private final AtomicLong slotRetainedBytes = new AtomicLong();

    private final AtomicReference<State> state = new AtomicReference<>(State.STOPPED);
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile Thread leader;
    private ExecutorService engineExecutor;

    public OutboxRelay(
            OutboxConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            Config all,
            MeterRegistry meters) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.meters = meters;
        this.kafkaSettings = kafkaSettings(all);
        // From an event's occurredAt to Kafka's acknowledgement; the relay's heartbeat rows keep it measured when
        // nothing else happens, so a stuck relay shows as a growing delay, not as silence.
        this.delay = Timer.builder("dropship.outbox.relay.delay")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram(false)
                .register(meters);
        if (!config.relay().external()) {
            meters.gauge("dropship.outbox.relay.active", state, s -> s.get() == State.RUNNING ? 1 : 0);
        }
        // How much WAL this database's relay slot holds back from recycling (the same slot name for Kafka Connect).
        meters.gauge("dropship.outbox.slot.retained.bytes", slotRetainedBytes);
        meters.gauge("dropship.outcomes.waiting", Retrying.WAITING);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relay().enabled()) {
            for (String missing : missingDebeziumPatches()) {
                LOG.warn("Debezium's own " + missing + " is loaded, not platform-debezium-queue's copy: "
                        + DEBEZIUM_PATCHES.get(missing));
            }
            start();
        }
    }

    /**
     * The Debezium classes platform-debezium-queue carries fixed copies of (each with a PATCH field), and what running
     * Debezium's own instead costs.
     */
    static final Map<String, String> DEBEZIUM_PATCHES = Map.of(
            "io.debezium.connector.base.ChangeEventQueue",
            "the relay busy-waits the last millisecond of every poll interval",
            "io.debezium.pipeline.meters.CommonEventMeter",
            "the relay formats every event into a summary string, with a new ObjectMapper each",
            "io.debezium.connector.postgresql.PostgresStreamingChangeEventSource",
            "a quiet relay reads its replication stream about a hundred times a second and sleeps between reads",
            "io.debezium.time.ZonedTimestamp",
            "the relay builds three date-time formatters for every event's occurredat");

    /** The patched Debezium classes this process does not run the copies of (platform-debezium-queue). */
    static List<String> missingDebeziumPatches() {
        List<String> missing = new ArrayList<>();
        for (String name : DEBEZIUM_PATCHES.keySet().stream().sorted().toList()) {
            try {
                Class.forName(name, false, OutboxRelay.class.getClassLoader()).getField("PATCH");
            } catch (ReflectiveOperationException e) {
                missing.add(name);
            }
        }
        return missing;
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (leader != null) {
            return;
        }
        stopping = false;
        engineExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "outbox-relay-engine"));
        leader = new Thread(this::lead, "outbox-relay");
        leader.setDaemon(true);
        leader.start();
    }

    /** Stops relaying and gives up the lock; events written meanwhile wait in the outbox. */
    public synchronized void stop() {
        if (leader == null) {
            return;
        }
        stopping = true;
        closeEngine();
        try {
            // The leader notices within half a second and closes its producer; an interrupt would cut that short.
            leader.join(TimeUnit.SECONDS.toMillis(10));
            if (leader.isAlive()) {
                leader.interrupt();
                leader.join(TimeUnit.SECONDS.toMillis(20));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engineExecutor.shutdownNow();
        leader = null;
        state.set(State.STOPPED);
    }

    public State state() {
        return state.get();
    }

    public String lastError() {
        return lastError.get();
    }

    private void lead() {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            try (Connection lock = DriverManager.getConnection(jdbcUrl, user, password)) {
                if (!tryLock(lock)) {
                    state.set(State.STANDBY);
                    sleepUnlessStopping(config.relay().standbyRetry());
                    continue;
                }
                LOG.infof(
                        "outbox relay %s is active%s",
                        config.relay().name(),
                        config.relay().external()
                                ? " (Kafka Connect relays; this instance keeps the outbox tidy)"
                                : "");
                state.set(State.STARTING);
                if (config.relay().external()) {
                    state.set(State.RUNNING);
                    keepTidyWhileHoldingLock(lock);
                } else {
                    relayWhileHoldingLock(lock);
                }
                backoff = Duration.ofSeconds(1);
            } catch (Exception e) {
                if (stopping) {
                    break;
                }
                lastError.set(e.toString());
                state.set(State.FAILED);
                LOG.errorf(
                        e,
                        "outbox relay %s failed; retrying in %s",
                        config.relay().name(),
                        backoff);
                sleepUnlessStopping(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                        ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            } finally {
                closeEngine();
            }
        }
    }

    private boolean tryLock(Connection lock) throws SQLException {
        try (PreparedStatement s = lock.prepareStatement("select pg_try_advisory_lock(hashtext(?))")) {
            s.setString(1, "dropship-outbox-relay:" + config.relay().name());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void relayWhileHoldingLock(Connection lock) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> built = DebeziumEngine.create(
                            ChangeEventFormat.of(Connect.class))
                    .using(engineConfig())
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            state.set(State.RUNNING);
                            lastError.set(null);
                        }
                    })
                    .using((success, message, error) -> {
                        if (!success && !stopping) {
                            failure.set(error != null ? error : new IllegalStateException(message));
                        }
                    })
                    .notifying((records, committer) -> {
                        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
                        List<Instant> occurred = new ArrayList<>(records.size());
                        for (RecordChangeEvent<SourceRecord> change : records) {
                            Instant at = occurredAt(change.record());
                            if (at != null) {
                                occurred.add(at);
                            }
                            ProducerRecord<String, String> out = toKafka(change.record());
                            if (out != null) {
                                sent.add(producer.send(out));
                            }
                        }
                        producer.flush();
                        for (Future<RecordMetadata> ack : sent) {
                            try {
                                ack.get();
                            } catch (Exception e) {
                                // Offsets stay where they were: the batch is resent after the restart.
                                throw new IllegalStateException("Kafka did not take an outbox event", e);
                            }
                        }
                        for (Future<RecordMetadata> ack : sent) {
                            relayed(ack);
                        }
                        Instant acked = Instant.now();
                        for (Instant at : occurred) {
                            delay.record(
                                    Duration.between(at, acked).isNegative()
                                            ? Duration.ZERO
                                            : Duration.between(at, acked));
                        }
                        for (RecordChangeEvent<SourceRecord> change : records) {
                            committer.markProcessed(change);
                        }
                        committer.markBatchFinished();
                    })
                    .build();
            engine = built;
            Future<?> running = engineExecutor.submit(built);
            holdLockWhile(lock, () -> !running.isDone());
            if (!stopping && failure.get() != null) {
                throw new IllegalStateException("the Debezium engine stopped", failure.get());
            }
        }
    }

    /** With Kafka Connect relaying: hold the lock and do the housekeeping only, until stopped. */
    private void keepTidyWhileHoldingLock(Connection lock) throws SQLException {
        holdLockWhile(lock, () -> true);
    }

    private void holdLockWhile(Connection lock, java.util.function.BooleanSupplier running) throws SQLException {
        Instant nextCleanup = Instant.now()
                .plus(
                        config.relay().cleanupEvery().compareTo(Duration.ofSeconds(60)) < 0
                                ? config.relay().cleanupEvery()
                                : Duration.ofSeconds(60));
        Instant nextSlotReading = Instant.now();
        while (!stopping && running.getAsBoolean()) {
            sleep(Duration.ofMillis(500));
            if (!lock.isValid(5)) {
                throw new SQLException("lost the relay lock's database session");
            }
            if (Instant.now().isAfter(nextSlotReading)) {
                readSlot(lock);
                nextSlotReading = Instant.now().plusSeconds(15);
            }
            if (Instant.now().isAfter(nextCleanup)) {
                deleteRowsPastRetention(lock);
                nextCleanup = Instant.now().plus(config.relay().cleanupEvery());
            }
        }
    }

    /** The slot's confirmed position behind the server's current WAL position, in bytes (0 until the slot exists). */
    private void readSlot(Connection lock) throws SQLException {
        try (PreparedStatement s = lock.prepareStatement("select coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(),"
                + " confirmed_flush_lsn), 0)::bigint from pg_replication_slots where slot_name = ?")) {
            s.setString(1, slotName());
            try (ResultSet rs = s.executeQuery()) {
                slotRetainedBytes.set(rs.next() ? rs.getLong(1) : 0);
            }
        }
    }

    String slotName() {
        return config.relay().name().toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_outbox";
    }

    private void relayed(Future<RecordMetadata> ack) {
        try {
            meters.counter("dropship.outbox.relayed", "topic", ack.get().topic())
                    .increment();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's occurredAt header (Debezium renders the timestamptz column as ISO-8601), or null. */
    static Instant occurredAt(SourceRecord record) {
        if (record == null) {
            return null;
        }
        Header h = record.headers().lastWithName(EventHeaders.OCCURRED_AT);
        if (h == null || h.value() == null) {
            return null;
        }
        return EventTimes.parse(String.valueOf(h.value()));
    }

    /**
     * The broker's client settings for the relay's producer: every {@code kafka.*} property the producer knows
     * (security.protocol, sasl.*, ssl.*), the same ones SmallRye's channels take, so TLS and SASL/SCRAM are one
     * configuration for the whole service.
     */
    static Map<String, Object> kafkaSettings(Config all) {
        Map<String, Object> settings = new HashMap<>();
        for (String name : all.getPropertyNames()) {
            if (name.startsWith("kafka.")) {
                String key = name.substring("kafka.".length());
                if (ProducerConfig.configNames().contains(key)
                        && !key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                    all.getOptionalValue(name, String.class).ifPresent(v -> settings.put(key, v));
                }
            }
        }
        return settings;
    }

    /** Housekeeping on the active relay only: one instance per database does it. */
    void deleteRowsPastRetention(Connection lock) throws SQLException {
        try (PreparedStatement s =
                lock.prepareStatement("delete from outbox_event where occurredat < now() - make_interval(secs => ?)"
                        + " or (aggregatetype = '" + HEARTBEAT + "' and occurredat < now() - interval '1 hour')")) {
            s.setLong(1, config.relay().retention().toSeconds());
            int deleted = s.executeUpdate();
            if (deleted > 0) {
                LOG.debugf("deleted %d relayed outbox rows past retention", deleted);
            }
        }
        // The inbox's memory of consumed events, kept longer than any topic keeps an event to redeliver.
        try (PreparedStatement s = lock.prepareStatement(
                "delete from consumed_event where consumed_at < now() - make_interval(secs => ?)")) {
            s.setLong(1, config.inbox().retention().toSeconds());
            int deleted = s.executeUpdate();
            if (deleted > 0) {
                LOG.debugf("deleted %d consumed-event records past retention", deleted);
            }
        }
    }

    /** The aggregate type of the relay's own heartbeat rows: relayed to no topic, they only move the slot on. */
    static final String HEARTBEAT = "dropship-relay-heartbeat";

    static ProducerRecord<String, String> toKafka(SourceRecord record) {
        if (record == null
                || record.topic() == null
                || record.value() == null
                || record.topic().equals(HEARTBEAT)
                || record.topic().startsWith("__debezium-heartbeat")) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (h.value() != null) {
                headers.add(h.key(), String.valueOf(h.value()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new ProducerRecord<>(
                record.topic(),
                null,
                record.timestamp(),
                record.key() == null ? null : String.valueOf(record.key()),
                String.valueOf(record.value()),
                headers);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>(kafkaSettings);
        c.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                2,
                ProducerConfig.CLIENT_ID_CONFIG,
                config.relay().name() + "-outbox-relay"));
        return c;
    }

    private Properties engineConfig() {
        URI db = URI.create(jdbcUrl.substring("jdbc:".length()));
        String slot = slotName();
        Properties p = new Properties();
        p.setProperty("name", config.relay().name() + "-outbox-relay");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.hostname", db.getHost());
        p.setProperty("database.port", String.valueOf(db.getPort() > 0 ? db.getPort() : 5432));
        p.setProperty("database.user", user);
        p.setProperty("database.password", password);
        p.setProperty("database.dbname", db.getPath().substring(1));
        p.setProperty("topic.prefix", slot);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slot);
        p.setProperty("publication.name", "dropship_outbox");
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", "public.outbox_event");
        // The first start reads rows written before the slot existed; later starts resume from the offsets.
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty(
                "poll.interval.ms", String.valueOf(config.relay().pollInterval().toMillis()));
        p.setProperty("offset.flush.interval.ms", "1000");
        // The change queue bounded by bytes as well as by its 8,192 events: an import's SupplierProductsChanged is up
        // to about 200 KB, and a queue of them held while Kafka is down would outgrow the service's heap.
        p.setProperty("max.queue.size.in.bytes", String.valueOf(config.relay().maxQueueBytes()));
        // A heartbeat row in this database's own outbox: a change the slot sees, so its position moves on (see
        // heartbeat()).
        p.setProperty(
                "heartbeat.interval.ms",
                String.valueOf(config.relay().heartbeat().toMillis()));
        p.setProperty(
                "heartbeat.action.query",
                "insert into outbox_event (id, aggregatetype, aggregateid, type, payload)" + " values ("
                        + TimeOrderedIds.SQL + ", '" + HEARTBEAT + "', 'relay', 'RelayHeartbeat', '{}')");
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", jdbcUrl);
        p.setProperty("offset.storage.jdbc.connection.user", user);
        p.setProperty("offset.storage.jdbc.connection.password", password);
        p.setProperty("offset.storage.jdbc.table.name", "outbox_relay_offset");
        p.setProperty("transforms", "outbox");
        p.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        p.setProperty("transforms.outbox.route.by.field", "aggregatetype");
        p.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
        p.setProperty("transforms.outbox.table.expand.json.payload", "false");
        p.setProperty(
                "transforms.outbox.table.fields.additional.placement",
                "type:header:" + EventHeaders.TYPE + ",occurredat:header:" + EventHeaders.OCCURRED_AT
                        + ",traceparent:header:" + EventHeaders.TRACEPARENT);
        return p;
    }

    private void closeEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> current = engine;
        engine = null;
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                LOG.warn("closing the Debezium engine failed", e);
            }
        }
    }

    private void sleepUnlessStopping(Duration d) {
        Instant until = Instant.now().plus(d);
        while (!stopping && Instant.now().isBefore(until)) {
            sleep(Duration.ofMillis(Math.min(
                    200, Math.max(1, Duration.between(Instant.now(), until).toMillis()))));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and ops tooling: how many rows wait in the outbox table. */
    public long outboxRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from outbox_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
