package io.dropship.inventory.feeds;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.inventory.service.StockItems;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.work.PeriodicJob;
import io.dropship.platform.work.WorkQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Suppliers' stock feeds: each supplier may name one CSV or JSON file over HTTP that the platform fetches on the
 * supplier's interval. A fetch streams the file, applies its quantities in bulk (an older quantity never overwrites
 * a newer one, as with pushed updates) and records the outcome: the last successful sync, how many rows were read,
 * applied and rejected, or the error. Feeds are claimed with a lease, so several instances never fetch one twice.
 */
@ApplicationScoped
public class StockFeeds {

    public record Feed(
            String url,
            String format,
            int intervalMinutes,
            boolean enabled,
            boolean fetching,
            Instant nextRunAt,
            Instant lastAttemptAt,
            Instant lastSuccessAt,
            String lastError,
            Integer lastRows,
            Integer lastApplied,
            Integer lastRejected) {}

    private static final Logger LOG = Logger.getLogger(StockFeeds.class);
    static final int CHUNK = 5_000;
    static final String COLUMNS =
            "url, format, interval_minutes, enabled, next_run_at, last_attempt_at, last_success_at,"
                    + " last_error, last_rows, last_applied, last_rejected, coalesce(lease_until > now(), false)";

    private final Vertx vertx;
    private final Pool pool;
    private final StockItems stockItems;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final Duration poll;
    private final Duration timeout;
    private final boolean blockPrivateAddresses;
    private final FeedHttp http;
    private final long maxBytes;
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stock-feed-deadlines");
                t.setDaemon(true);
                return t;
            });
    private volatile PeriodicJob job;

    public StockFeeds(
            Vertx vertx,
            Pool pool,
            StockItems stockItems,
            ObjectMapper mapper,
            MeterRegistry meters,
            @ConfigProperty(name = "dropship.inventory.feeds.poll-interval", defaultValue = "PT5S") Duration poll,
            @ConfigProperty(name = "dropship.inventory.feeds.timeout", defaultValue = "PT2M") Duration timeout,
            @ConfigProperty(name = "dropship.inventory.feeds.block-private-addresses", defaultValue = "true")
                    boolean blockPrivateAddresses,
            @ConfigProperty(name = "dropship.inventory.feeds.max-bytes", defaultValue = "104857600") long maxBytes) {
        this.vertx = vertx;
        this.pool = pool;
        this.stockItems = stockItems;
        this.mapper = mapper;
        this.meters = meters;
        this.poll = poll;
        this.timeout = timeout;
        this.blockPrivateAddresses = blockPrivateAddresses;
        this.maxBytes = maxBytes;
        this.http = FeedHttp.system(blockPrivateAddresses, timeout);
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), poll, "stock feeds", this::poll);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** Sets the supplier's feed; it is fetched at once and then every {@code intervalMinutes}. */
    public Uni<Feed> put(String supplierId, String url, String format, int intervalMinutes, boolean enabled) {
        String problem = checkUrl(url);
        if (problem != null) {
            return Uni.createFrom().failure(ProblemException.badRequest(problem));
        }
        return pool.preparedQuery(
                        "insert into stock_feed (supplier_id, url, format, interval_minutes, enabled, next_run_at,"
                                + " updated_at) values ($1, $2, $3, $4, $5, now(), now()) on conflict (supplier_id) do update set"
                                + " url = excluded.url, format = excluded.format, interval_minutes = excluded.interval_minutes,"
                                + " enabled = excluded.enabled, next_run_at = now(), updated_at = now()")
                .execute(Tuple.of(supplierId, url, format, intervalMinutes, enabled))
                .chain(() -> get(supplierId));
    }

    public Uni<Feed> get(String supplierId) {
        return pool.preparedQuery("select " + COLUMNS + " from stock_feed where supplier_id = $1")
                .execute(Tuple.of(supplierId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("stock feed of supplier " + supplierId);
                    }
                    return feed(rows.iterator().next());
                });
    }

    public Uni<Void> delete(String supplierId) {
        return pool.preparedQuery("delete from stock_feed where supplier_id = $1")
                .execute(Tuple.of(supplierId))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound("stock feed of supplier " + supplierId);
                    }
                    return null;
                });
    }

    /** Fetches the feed at the next poll instead of at its time. */
    public Uni<Feed> runNow(String supplierId) {
        return pool.preparedQuery("update stock_feed set next_run_at = now() where supplier_id = $1 and enabled")
                .execute(Tuple.of(supplierId))
                .chain(rows -> rows.rowCount() == 0
                        ? get(supplierId).map(f -> {
                            throw new ProblemException(
                                    409, "Conflict", "the stock feed is disabled; enable it to run it");
                        })
                        : get(supplierId));
    }

    /**
     * Feeds due for a fetch, claimed with a lease of ten minutes (longer than a fetch's deadline); a feed runs on its
     * schedule, so it counts no attempts and has no backoff.
     */
    private static final WorkQueue QUEUE =
            new WorkQueue("stock_feed", "supplier_id", Duration.ofMinutes(10), null, 0, "lease_until", null);

    /** One poll: claims the feeds that are due and fetches them, each on its own worker thread. */
    Uni<Void> poll() {
        return pool.preparedQuery(QUEUE.claimSql(
                        "enabled and next_run_at <= now()",
                        "last_attempt_at = now()",
                        "next_run_at",
                        "5",
                        "supplier_id, url, format"))
                .execute()
                .chain(rows -> {
                    List<String[]> due = new ArrayList<>();
                    rows.forEach(r -> due.add(new String[] {r.getString(0), r.getString(1), r.getString(2)}));
                    if (due.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    // Each feed on a worker of its own: one that trickles or hangs holds only itself up (its lease
                    // keeps it from being claimed twice), never the other suppliers' feeds.
                    due.forEach(d -> Infrastructure.getDefaultWorkerPool()
                            .execute(() -> fetch(d[0], d[1], FeedParser.Format.valueOf(d[2]))));
                    return Uni.createFrom().voidItem();
                });
    }

    /** Fetches one feed and records how it went. Runs on a worker thread. */
    void fetch(String supplierId, String url, FeedParser.Format format) {
        Instant fetchedAt = Instant.now();
        long[] counts = new long[3]; // rows, applied, rejected
        List<String> firstErrors = new ArrayList<>();
        String error = null;
        boolean read = false;
        // The whole fetch has a deadline, not just the wait for the headers: a feed that sends a byte now and then
        // is cut off at it (aborting the request ends the read), and it may not be larger than the size cap.
        java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<FeedHttp.Fetch> open =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.ScheduledFuture<?> cutoff = DEADLINES.schedule(
                () -> {
                    late.set(true);
                    FeedHttp.Fetch f = open.get();
                    if (f != null) {
                        f.abort();
                    }
                },
                timeout.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        try (FeedHttp.Fetch response =
                http.get(url, format == FeedParser.Format.CSV ? "text/csv, */*" : "application/json")) {
            open.set(response);
            try {
                InputStream body = new CappedInputStream(response.body(), maxBytes);
                if (response.status() != 200) {
                    throw new FeedParser.FeedException("the feed answered HTTP " + response.status());
                }
                List<StockItems.Quantity> chunk = new ArrayList<>(CHUNK);
                FeedParser.parse(body, format, fetchedAt, mapper, new FeedParser.Sink() {
                    @Override
                    public void row(StockItems.Quantity quantity) {
                        counts[0]++;
                        chunk.add(quantity);
                        if (chunk.size() >= CHUNK) {
                            counts[1] += apply(supplierId, chunk);
                        }
                    }

                    @Override
                    public void bad(long where, String reason) {
                        counts[0]++;
                        counts[2]++;
                        if (firstErrors.size() < 3) {
                            firstErrors.add(
                                    (format == FeedParser.Format.CSV ? "line " : "item ") + where + ": " + reason);
                        }
                    }
                });
                counts[1] += apply(supplierId, chunk);
                read = true;
                body.close();
            } catch (IOException | RuntimeException e) {
                // Closing a body not read to its end would read the rest of it: cut the connection first.
                response.abort();
                if (late.get()) {
                    throw new FeedParser.FeedException(
                            "the feed took longer than " + timeout + " to read; cut off after " + counts[0] + " rows");
                }
                throw e;
            }
        } catch (FeedHttp.Refused e) {
            error = "url points into a private network (" + e.getMessage() + "); a feed must be on the internet";
        } catch (FeedParser.FeedException e) {
            error = e.getMessage();
        } catch (IOException | java.io.UncheckedIOException e) {
            error = "the feed could not be read: " + e.getMessage();
        } catch (RuntimeException e) {
            error = "the feed could not be applied: " + e.getMessage();
        } finally {
            cutoff.cancel(false);
        }
        if (error == null && !firstErrors.isEmpty()) {
            error = counts[2] + " rows rejected, e.g. " + String.join("; ", firstErrors);
        }
        // Read to the end, and not every row refused: a success, even with some rows rejected.
        boolean ok = read && (counts[2] == 0 || counts[2] < counts[0]);
        meters.counter("dropship.stock.feed.fetch", "outcome", ok ? "ok" : "failed")
                .increment();
        LOG.infof(
                "stock feed of %s: %d rows, %d applied, %d rejected%s",
                supplierId, counts[0], counts[1], counts[2], error == null ? "" : " (" + error + ")");
        String recorded = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
        pool.preparedQuery(
                        "update stock_feed set lease_until = null, next_run_at = now() + make_interval(mins => interval_minutes),"
                                + " last_success_at = case when $2 then $3 else last_success_at end, last_error = $4,"
                                + " last_rows = $5, last_applied = $6, last_rejected = $7 where supplier_id = $1")
                .execute(Tuple.from(List.of(supplierId, ok, fetchedAt.atOffset(java.time.ZoneOffset.UTC)))
                        .addString(recorded)
                        .addInteger((int) counts[0])
                        .addInteger((int) counts[1])
                        .addInteger((int) counts[2]))
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    private int apply(String supplierId, List<StockItems.Quantity> chunk) {
        if (chunk.isEmpty()) {
            return 0;
        }
        int applied = stockItems
                .setMany(supplierId, List.copyOf(chunk))
                .await()
                .atMost(Duration.ofMinutes(1))
                .applied();
        chunk.clear();
        return applied;
    }

    /** Only http(s); and, unless configured otherwise, never an address inside the platform's own network. */
    String checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "url is not a valid URL";
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            return "url must be an http or https URL with a host";
        }
        if (blockPrivateAddresses) {
            String why = io.dropship.platform.web.Egress.refusal(uri);
            if (why != null) {
                return why.endsWith("is not known")
                        ? "url's host " + uri.getHost() + " is not known"
                        : "url points into a private network (" + why + "); a feed must be on the internet";
            }
        }
        return null;
    }

    private static Feed feed(Row r) {
        return new Feed(
                r.getString(0),
                r.getString(1),
                r.getInteger(2),
                r.getBoolean(3),
                r.getBoolean(11),
                instant(r.getOffsetDateTime(4)),
                instant(r.getOffsetDateTime(5)),
                instant(r.getOffsetDateTime(6)),
                r.getString(7),
                r.getInteger(8),
                r.getInteger(9),
                r.getInteger(10));
    }
}
