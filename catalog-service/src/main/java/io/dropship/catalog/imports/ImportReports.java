package io.dropship.catalog.imports;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an import did: its progress while it runs and its report after. */
@ApplicationScoped
public class ImportReports {

    /** format: CSV or XLSX; delimiter: the CSV file's (null for a workbook). */
    public record Report(
            String importId,
            String state,
            String fileName,
            String format,
            Map<String, String> mapping,
            String delimiter,
            long rowsRead,
            long rowsChanged,
            long rowsUnchanged,
            long rowsRejected,
            Long rowsPerSecond,
            String failure,
            Instant startedAt,
            Instant finishedAt,
            List<RowError> firstErrors,
            List<UnmappedCategory> unmappedCategories) {}

    /** A category text of the file that maps onto no category of the taxonomy (GET /api/categories), and its rows. */
    public record UnmappedCategory(String category, int rows) {}

    public record RowError(long line, String sku, String reason) {}

    private static final String COLUMNS = "id, state, file_name, mapping::text, delimiter, rows_read, rows_changed,"
            + " rows_unchanged, rows_rejected, failure, started_at, finished_at, format, unmapped_categories::text";

    private final Pool pool;
    private final ObjectMapper mapper;

    public ImportReports(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    public Uni<Report> get(String supplierId, String importId) {
        return pool.preparedQuery("select " + COLUMNS + " from product_import where id = $1 and supplier_id = $2")
                .execute(Tuple.of(importId, supplierId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("import " + importId);
                    }
                    Row r = rows.iterator().next();
                    return errors(importId, 0, 20).map(errors -> report(r, errors));
                });
    }

    public Uni<List<Report>> recent(String supplierId) {
        return pool.preparedQuery("select " + COLUMNS + " from product_import where supplier_id = $1"
                        + " order by started_at desc limit 50")
                .execute(Tuple.of(supplierId))
                .map(rows -> {
                    List<Report> out = new ArrayList<>();
                    rows.forEach(r -> out.add(report(r, null)));
                    return out;
                });
    }

    public Uni<List<RowError>> errors(String supplierId, String importId, long afterLine, int limit) {
        return get(supplierId, importId).chain(found -> errors(importId, afterLine, limit));
    }

    private Uni<List<RowError>> errors(String importId, long afterLine, int limit) {
        return pool.preparedQuery(
                        "select line, sku, reason from product_import_error where import_id = $1 and line > $2"
                                + " order by line limit $3")
                .execute(Tuple.of(importId, afterLine, limit))
                .map(rows -> {
                    List<RowError> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new RowError(r.getLong(0), r.getString(1), r.getString(2))));
                    return out;
                });
    }

    private Report report(Row r, List<RowError> errors) {
        Map<String, String> mapping;
        try {
            mapping = mapper.readValue(r.getString(3), new TypeReference<>() {});
        } catch (Exception e) {
            throw new IllegalStateException("stored mapping is not readable: " + r.getString(3), e);
        }
        Instant started = r.getOffsetDateTime(10).toInstant();
        Instant finished =
                r.getOffsetDateTime(11) == null ? null : r.getOffsetDateTime(11).toInstant();
        long read = r.getLong(5);
        long millis = Duration.between(started, finished == null ? Instant.now() : finished)
                .toMillis();
        Long rate = millis > 0 ? read * 1000 / millis : null;
        List<UnmappedCategory> unmapped;
        try {
            unmapped =
                    r.getString(13) == null ? List.of() : mapper.readValue(r.getString(13), new TypeReference<>() {});
        } catch (Exception e) {
            throw new IllegalStateException("stored unmapped categories are not readable: " + r.getString(13), e);
        }
        return new Report(
                r.getString(0),
                r.getString(1),
                r.getString(2),
                r.getString(12),
                mapping,
                r.getString(4),
                read,
                r.getLong(6),
                r.getLong(7),
                r.getLong(8),
                rate,
                r.getString(9),
                started,
                finished,
                errors,
                unmapped);
    }
}
