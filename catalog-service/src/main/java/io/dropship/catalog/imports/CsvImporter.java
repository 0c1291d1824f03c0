package io.dropship.catalog.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.catalog.catalog.ProductInput;
import io.dropship.catalog.catalog.ProductStore;
import io.dropship.platform.web.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Imports a supplier's catalog from a CSV file as the upload arrives: the body is parsed record by record and never
 * held whole. Good rows are upserted by SKU in batches (each batch one statement and one transaction, with its
 * SupplierProductChanged events). Rows go to one of a few writer lanes by their SKU's hash; each lane writes one batch
 * at a time while the next rows are parsed, so the lanes use the database's cores side by side, while every row of
 * one SKU still goes through one lane in file order (the last one wins) and two lanes never wait on each other's
 * rows. A bad row is reported
 * with its line number and reason and the rest go on. Progress is written as it goes, so a second request can
 * watch it.
 */
@ApplicationScoped
public class CsvImporter {

    public record Options(String fileName, Map<String, String> mapping, String currency, Character delimiter,
                          Charset charset) {
    }

    private static final Logger LOG = Logger.getLogger(CsvImporter.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_STORED_ERRORS = 10_000;

    private final Pool pool;
    private final ProductStore products;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;
    private final int batchSize;
    private final int writers;
    private final Duration progressEvery;

    public CsvImporter(Pool pool, ProductStore products, ObjectMapper mapper, MeterRegistry metrics,
                       @ConfigProperty(name = "dropship.import.batch-size", defaultValue = "2000") int batchSize,
                       @ConfigProperty(name = "dropship.import.writers", defaultValue = "2") int writers,
                       @ConfigProperty(name = "dropship.import.progress-every", defaultValue = "PT1S") Duration progressEvery) {
        this.pool = pool;
        this.products = products;
        this.mapper = mapper;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.writers = Math.max(1, writers);
        this.progressEvery = progressEvery;
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

    /** A product row longer than this (with read-ahead) is not a product row: the import stops there, nothing held. */
    static final long MAX_RECORD_CHARS = 1 << 20;

    /** Runs on a worker thread: it blocks on the upload stream and on each batch's write. */
    public String run(String supplierId, InputStream body, Options options) {
        BufferedReader buffered = reader(body, options.charset());
        char delimiter = options.delimiter() != null ? options.delimiter() : sniff(buffered);
        io.dropship.platform.web.BoundedRecordReader reader = new io.dropship.platform.web.BoundedRecordReader(buffered,
                MAX_RECORD_CHARS);
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(false).setTrim(false).get();
        CSVParser parser;
        List<String> header;
        try {
            parser = CSVParser.builder().setReader(reader).setFormat(format).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Iterator<CSVRecord> records = parser.iterator();
        if (!records.hasNext()) {
            throw ProblemException.badRequest("the file is empty; it needs a header row and then one product per row");
        }
        try {
            header = records.next().toList();
        } catch (UncheckedIOException e) {
            throw ProblemException.badRequest("the header row cannot be read: " + e.getCause().getMessage());
        }
        reader.recordDone();
        ColumnMapping mapping = ColumnMapping.of(header, options.mapping());
        RowParser rows = new RowParser(mapping, options.currency());

        String id = "imp-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
        pool.preparedQuery("insert into product_import (id, supplier_id, state, file_name, mapping, delimiter, started_at)"
                        + " values ($1, $2, 'RUNNING', $3, $4::text::jsonb, $5, now())")
                .execute(Tuple.of(id, supplierId, options.fileName(), json(mapping.describe()), String.valueOf(delimiter)))
                .await().indefinitely();

        Counts counts = new Counts();
        long started = System.nanoTime();
        // Progress is written on a timer, not between rows: an upload that pauses still shows how far it got.
        Ticker ticker = new Ticker(() -> progress(id, counts, null, null));
        long lastLine = parser.getCurrentLineNumber();
        Lane[] lanes = new Lane[writers];
        for (int l = 0; l < writers; l++) {
            lanes[l] = new Lane();
        }
        try {
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                    reader.recordDone();
                } catch (UncheckedIOException e) {
                    throw new UploadBroken("could not read the file after line " + lastLine + ": " + e.getCause().getMessage());
                }
                long line = lastLine + 1;
                lastLine = parser.getCurrentLineNumber();
                ProductInput row = null;
                synchronized (counts) {
                    counts.read++;
                }
                try {
                    row = rows.parse(record);
                } catch (RowParser.RowError e) {
                    synchronized (counts) {
                        counts.rejected++;
                    }
                    synchronized (counts) {   // the progress ticker takes the new errors from another thread
                        if (counts.storedErrors + counts.newErrors.size() < MAX_STORED_ERRORS) {
                            String sku = mapping.column(ImportField.SKU) != null && record.size() > mapping.column(ImportField.SKU)
                                    ? record.get(mapping.column(ImportField.SKU)) : null;
                            counts.newErrors.add(new Object[]{line, sku == null || sku.length() > 100 ? null : sku,
                                    "line " + line + " " + e.getMessage()});
                        }
                    }
                }
                if (row != null) {
                    Lane lane = lanes[Math.floorMod(row.sku().hashCode(), writers)];
                    lane.rows.add(row);
                    if (lane.rows.size() >= batchSize) {
                        lane.write(supplierId, counts);
                    }
                }
            }
            for (Lane lane : lanes) {
                if (!lane.rows.isEmpty()) {
                    lane.write(supplierId, counts);
                }
            }
            for (Lane lane : lanes) {
                lane.inFlight.join();
            }
            ticker.stop();
            progress(id, counts, "COMPLETED", null);
            double seconds = (System.nanoTime() - started) / 1e9;
            LOG.infof("import %s for %s: %d rows read, %d changed, %d unchanged, %d rejected in %.1f s", id, supplierId,
                    counts.read, counts.changed, counts.unchanged, counts.rejected, seconds);
            metrics.counter("dropship_import_rows_total", "outcome", "imported").increment(counts.changed + counts.unchanged);
            metrics.counter("dropship_import_rows_total", "outcome", "rejected").increment(counts.rejected);
            return id;
        } catch (RuntimeException e) {
            for (Lane lane : lanes) {
                try {
                    lane.inFlight.exceptionally(x -> null).join();
                } catch (RuntimeException ignored) {
                    // reported below
                }
            }
            String why = e instanceof UploadBroken ? e.getMessage()
                    : "stopped after line " + lastLine + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            LOG.warnf("import %s for %s failed: %s", id, supplierId, why);
            ticker.stop();
            progress(id, counts, "FAILED", why);
            String detail = "import " + id + " " + why + "; the rows before it are imported, see /api/supplier/imports/" + id;
            throw e instanceof UploadBroken ? ProblemException.badRequest(detail)
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
            task = TICKS.scheduleWithFixedDelay(() -> {
                synchronized (this) {
                    if (!stopped) {
                        try {
                            write.run();
                        } catch (RuntimeException e) {
                            LOG.debugf(e, "progress not written; the next tick tries again");
                        }
                    }
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }

        synchronized void stop() {
            stopped = true;
            task.cancel(false);
        }
    }

    /** One writer: the rows it is gathering, and the batch it has in flight. */
    private final class Lane {
        List<ProductInput> rows = new ArrayList<>(batchSize);
        CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

        /** Waits for this lane's batch before (a failure surfaces here), then sends the rows gathered. */
        void write(String supplierId, Counts counts) {
            inFlight.join();
            List<ProductInput> batch = rows;
            rows = new ArrayList<>(batchSize);
            int distinct = (int) batch.stream().map(ProductInput::sku).distinct().count();
            inFlight = products.upsert(supplierId, batch).subscribeAsCompletionStage().thenAccept(changed -> {
                synchronized (counts) {
                    counts.changed += changed;
                    counts.unchanged += distinct - changed;
                    // A SKU named twice in one batch counts once: its other rows are neither changed nor unchanged.
                    counts.unchanged += batch.size() - distinct;
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
            var update = c.preparedQuery("update product_import set rows_read = $2, rows_changed = $3, rows_unchanged = $4,"
                            + " rows_rejected = $5, state = coalesce($6, state), failure = $7,"
                            + " finished_at = case when $6 is null then null else now() end where id = $1")
                    .execute(Tuple.from(figures)
                            .addString(state).addString(failure));
            if (errors.isEmpty()) {
                return update;
            }
            List<Tuple> tuples = errors.stream().map(e -> Tuple.of(id, e[0], e[1], e[2])).toList();
            return update.chain(() -> c.preparedQuery("insert into product_import_error (import_id, line, sku, reason)"
                    + " values ($1, $2, $3, $4) on conflict do nothing").executeBatch(tuples));
        }).await().indefinitely();
    }

    private static BufferedReader reader(InputStream body, Charset charset) {
        try {
            // Excel writes a byte order mark at the start of "CSV UTF-8"; it is not part of the first header.
            PushbackInputStream in = new PushbackInputStream(body, 3);
            byte[] bom = new byte[3];
            int n = in.readNBytes(bom, 0, 3);
            boolean isBom = n == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF;
            if (!isBom && n > 0) {
                in.unread(bom, 0, n);
            }
            return new BufferedReader(new InputStreamReader(in, charset == null ? StandardCharsets.UTF_8 : charset), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Comma, semicolon (Excel in countries with a decimal comma) or tab: whichever the header line holds most of. */
    static char sniff(BufferedReader reader) {
        try {
            reader.mark(1 << 15);
            char[] buf = new char[1 << 15];
            int n = reader.read(buf);
            reader.reset();
            int comma = 0, semicolon = 0, tab = 0;
            boolean quoted = false;
            for (int i = 0; i < Math.max(n, 0); i++) {
                char c = buf[i];
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && (c == '\n' || c == '\r')) {
                    break;
                } else if (!quoted) {
                    if (c == ',') comma++;
                    else if (c == ';') semicolon++;
                    else if (c == '\t') tab++;
                }
            }
            return tab > comma && tab > semicolon ? '\t' : semicolon > comma ? ';' : ',';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
