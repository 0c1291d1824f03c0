package io.dropship.catalog.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.catalog.catalog.ProductInput;
import io.dropship.catalog.catalog.ProductRows;
import io.dropship.catalog.catalog.SupplierProducts;
import io.dropship.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Imports a supplier's catalog from a CSV file or an Excel workbook as the upload arrives ({@link RowSource}): rows are
 * parsed one by one and never held whole. Good rows are upserted by SKU in batches (each batch one statement and one
 * transaction, with its SupplierProductsChanged events of up to 200 changed products each). Rows go to one of a few
 * writer lanes by their SKU's hash; each lane writes one batch at a time while the next rows are parsed, so the lanes
 * use the database's cores side by side, while every row of one SKU still goes through one lane in file order (the
 * last one wins) and two lanes never wait on each other's rows. A bad row is reported with its line number and reason
 * and the rest go on. Progress is written as it goes, so a second request can watch it.
 */
@ApplicationScoped
public class CatalogImporter {

    /** delimiter and charset are CSV's; a workbook is recognised by its first bytes whatever the request says. */
    public record Options(
            String fileName, Map<String, String> mapping, String currency, Character delimiter, Charset charset) {}

    private static final Logger LOG = Logger.getLogger(CatalogImporter.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_STORED_ERRORS = 10_000;

    private final Pool pool;
    private final SupplierProducts products;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final int batchSize;
    private final int writers;
    private final Duration progressEvery;
    private final long maxWorkbookBytes;
    private final io.dropship.catalog.categories.Categories categories;

    /** How many distinct category texts an import keeps count of, to report those that map onto no category. */
    static final int MAX_CATEGORY_TEXTS = 1_000;

    public CatalogImporter(
            Pool pool,
            SupplierProducts products,
            ObjectMapper mapper,
            MeterRegistry metrics,
            io.dropship.catalog.categories.Categories categories,
            @ConfigProperty(name = "dropship.import.batch-size", defaultValue = "2000") int batchSize,
            @ConfigProperty(name = "dropship.import.writers", defaultValue = "2") int writers,
            @ConfigProperty(name = "dropship.import.progress-every", defaultValue = "PT1S") Duration progressEvery,
            @ConfigProperty(name = "dropship.import.max-workbook-bytes", defaultValue = "209715200")
                    long maxWorkbookBytes) {
        this.pool = pool;
        this.products = products;
        this.mapper = mapper;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.writers = Math.max(1, writers);
        this.progressEvery = progressEvery;
        this.maxWorkbookBytes = maxWorkbookBytes;
        this.categories = categories;
    }

    /** Updated by the lanes' completions, which may run on different threads. */
    private static final class Counts {
        long read;
        long changed;
        long unchanged;
        long rejected;
        final List<Object[]> newErrors = new ArrayList<>();
        long storedErrors;
    }

    /** Runs on a worker thread: it blocks on the upload stream and on each batch's write. */
    public String run(String supplierId, InputStream body, Options options) {
        PushbackInputStream in = new PushbackInputStream(body, 4);
        try (RowSource source = workbook(in)
                ? XlsxRows.open(in, maxWorkbookBytes)
                : CsvRows.open(in, options.delimiter(), options.charset())) {
            Run run = new Run(supplierId, options, source);
            try {
                source.read(run::row);
            } catch (RowSource.Unreadable e) {
                if (run.id == null) {
                    throw ProblemException.badRequest(e.getMessage());
                }
                throw run.failed(new UploadBroken(e.getMessage()));
            } catch (ProblemException e) {
                throw e;
            } catch (RuntimeException e) {
                if (run.id == null) {
                    throw e;
                }
                throw run.failed(e);
            }
            if (run.id == null) {
                throw ProblemException.badRequest(
                        "the file is empty; it needs a header row and then one product per row");
            }
            try {
                return run.finish();
            } catch (RuntimeException e) {
                throw run.failed(e);
            }
        }
    }

    /** A zip's first bytes (PK, 3, 4): an .xlsx workbook; a CSV file never starts so. */
    private static boolean workbook(PushbackInputStream in) {
        try {
            byte[] head = new byte[4];
            int n = in.readNBytes(head, 0, 4);
            if (n > 0) {
                in.unread(head, 0, n);
            }
            return n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (java.io.IOException e) {
            throw new UploadBroken("the upload broke off: " + e.getMessage());
        }
    }

    /** One import: its header and mapping once the first row came, its counts, lanes and progress. */
    private final class Run {
        final String supplierId;
        final Options options;
        final RowSource source;
        final Counts counts = new Counts();
        final Lane[] lanes = new Lane[writers];
        final long started = System.nanoTime();
        /** Rows per category text (the first MAX_CATEGORY_TEXTS texts). */
        final Map<String, Integer> categoryRows = new java.util.LinkedHashMap<>();

        String id;
        ColumnMapping mapping;
        RowParser rows;
        Ticker ticker;

        Run(String supplierId, Options options, RowSource source) {
            this.supplierId = supplierId;
            this.options = options;
            this.source = source;
            for (int l = 0; l < writers; l++) {
                lanes[l] = new Lane();
            }
        }

        void row(long line, List<String> cells) {
            if (mapping == null) {
                header(cells);
                return;
            }
            ProductInput row = null;
            synchronized (counts) {
                counts.read++;
            }
            try {
                row = rows.parse(cells);
            } catch (RowParser.RowError e) {
                synchronized (counts) { // the progress ticker takes the new errors from another thread
                    counts.rejected++;
                    if (counts.storedErrors + counts.newErrors.size() < MAX_STORED_ERRORS) {
                        Integer skuColumn = mapping.column(ImportField.SKU);
                        String sku = skuColumn != null && cells.size() > skuColumn ? cells.get(skuColumn) : null;
                        counts.newErrors.add(new Object[] {
                            line, sku == null || sku.length() > 100 ? null : sku, "line " + line + " " + e.getMessage()
                        });
                    }
                }
            }
            if (row != null) {
                if (row.category() != null
                        && (categoryRows.containsKey(row.category()) || categoryRows.size() < MAX_CATEGORY_TEXTS)) {
                    categoryRows.merge(row.category(), 1, Integer::sum);
                }
                Lane lane = lanes[Math.floorMod(row.sku().hashCode(), writers)];
                lane.rows.add(row);
                if (lane.rows.size() >= batchSize) {
                    lane.write(supplierId, counts);
                }
            }
        }

        private void header(List<String> header) {
            mapping = ColumnMapping.of(header, options.mapping());
            rows = new RowParser(mapping, options.currency());
            id = "imp-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
            pool.preparedQuery(
                            "insert into product_import (id, supplier_id, state, file_name, mapping, delimiter, format, started_at)"
                                    + " values ($1, $2, 'RUNNING', $3, $4::text::jsonb, $5, $6, now())")
                    .execute(Tuple.of(
                            id,
                            supplierId,
                            options.fileName(),
                            json(mapping.describe()),
                            source.delimiter(),
                            source.format()))
                    .await()
                    .indefinitely();
            // Progress is written on a timer, not between rows: an upload that pauses still shows how far it got.
            ticker = new Ticker(() -> progress(id, counts, null, null));
        }

        String finish() {
            for (Lane lane : lanes) {
                if (lane.rows.size() > 0) {
                    lane.write(supplierId, counts);
                }
            }
            for (Lane lane : lanes) {
                lane.inFlight.join();
            }
            ticker.stop();
            progress(id, counts, "COMPLETED", null);
            unmappedCategories();
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.infof(
                    "import %s (%s) for %s: %d rows read, %d changed, %d unchanged, %d rejected in %.1f s",
                    id,
                    source.format(),
                    supplierId,
                    counts.read,
                    counts.changed,
                    counts.unchanged,
                    counts.rejected,
                    seconds);
            metrics.counter("dropship_import_rows_total", "outcome", "imported")
                    .increment(counts.changed + counts.unchanged);
            metrics.counter("dropship_import_rows_total", "outcome", "rejected").increment(counts.rejected);
            return id;
        }

        /** The file's category texts that map onto no category of the taxonomy, with their row counts, on the report. */
        private void unmappedCategories() {
            List<String> unmapped = categories
                    .unmapped(new ArrayList<>(categoryRows.keySet()))
                    .await()
                    .indefinitely();
            if (unmapped.isEmpty()) {
                return;
            }
            List<Map<String, Object>> report = unmapped.stream()
                    .map(t -> Map.<String, Object>of("category", t, "rows", categoryRows.get(t)))
                    .toList();
            pool.preparedQuery("update product_import set unmapped_categories = $2::text::jsonb where id = $1")
                    .execute(Tuple.of(id, json(report)))
                    .await()
                    .indefinitely();
        }

        /** Records the import FAILED (the rows before count) and says what the caller is answered. */
        RuntimeException failed(RuntimeException e) {
            for (Lane lane : lanes) {
                try {
                    lane.inFlight.exceptionally(x -> null).join();
                } catch (RuntimeException ignored) {
                    // reported below
                }
            }
            String why = e instanceof UploadBroken
                    ? e.getMessage()
                    : "stopped after line " + source.lastLine() + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            LOG.warnf("import %s for %s failed: %s", id, supplierId, why);
            ticker.stop();
            progress(id, counts, "FAILED", why);
            String detail =
                    "import " + id + " " + why + "; the rows before it are imported, see /api/supplier/imports/" + id;
            return e instanceof UploadBroken
                    ? ProblemException.badRequest(detail)
                    : new ProblemException(503, "Service Unavailable", detail);
        }
    }

    private static final class UploadBroken extends RuntimeException {
        UploadBroken(String message) {
            super(message, null, false, false);
        }
    }

    private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "import-progress");
        t.setDaemon(true);
        return t;
    });

    /** Writes an import's progress every progressEvery until stopped; stop() returns once no write is under way. */
    private final class Ticker {
        private final ScheduledFuture<?> task;
        private boolean stopped;

        Ticker(Runnable write) {
            long every = Math.max(1, progressEvery.toMillis());
            task = TICKS.scheduleWithFixedDelay(
                    () -> {
                        synchronized (this) {
                            if (!stopped) {
                                try {
                                    write.run();
                                } catch (RuntimeException e) {
                                    LOG.debugf(e, "progress not written; the next tick tries again");
                                }
                            }
                        }
                    },
                    every,
                    every,
                    TimeUnit.MILLISECONDS);
        }

        synchronized void stop() {
            stopped = true;
            task.cancel(false);
        }
    }

    /** One writer: the rows it is gathering (as the statement's columns), and the batch it has in flight. */
    private final class Lane {
        ProductRows rows = products.rows();
        CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

        /** Waits for this lane's batch before (a failure surfaces here), then sends the rows gathered. */
        void write(String supplierId, Counts counts) {
            inFlight.join();
            ProductRows batch = rows;
            rows = products.rows();
            int size = batch.size();
            inFlight = products.importBatch(supplierId, batch)
                    .subscribeAsCompletionStage()
                    .thenAccept(changed -> {
                        synchronized (counts) {
                            counts.changed += changed;
                            // the rest is unchanged, a SKU's rows after its first in the batch too
                            counts.unchanged += size - changed;
                        }
                    });
        }
    }

    private void progress(String id, Counts counts, String state, String failure) {
        List<Object[]> errors;
        List<Object> figures;
        synchronized (counts) {
            errors = new ArrayList<>(counts.newErrors);
            counts.newErrors.clear();
            counts.storedErrors += errors.size();
            figures = List.of(id, counts.read, counts.changed, counts.unchanged, counts.rejected);
        }
        pool.withTransaction(c -> {
                    var update = c.preparedQuery(
                                    "update product_import set rows_read = $2, rows_changed = $3, rows_unchanged = $4,"
                                            + " rows_rejected = $5, state = coalesce($6, state), failure = $7,"
                                            + " finished_at = case when $6 is null then null else now() end where id = $1")
                            .execute(Tuple.from(figures).addString(state).addString(failure));
                    if (errors.isEmpty()) {
                        return update;
                    }
                    List<Tuple> tuples = errors.stream()
                            .map(e -> Tuple.of(id, e[0], e[1], e[2]))
                            .toList();
                    return update.chain(
                            () -> c.preparedQuery("insert into product_import_error (import_id, line, sku, reason)"
                                            + " values ($1, $2, $3, $4) on conflict do nothing")
                                    .executeBatch(tuples));
                })
                .await()
                .indefinitely();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
