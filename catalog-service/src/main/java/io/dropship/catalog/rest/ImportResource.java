package io.dropship.catalog.rest;

import io.dropship.catalog.catalog.SupplierProducts;
import io.dropship.catalog.imports.CatalogImporter;
import io.dropship.catalog.imports.ImportField;
import io.dropship.catalog.imports.ImportReports;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A supplier loads its catalog from a CSV file or an Excel workbook in one upload. */
@Path("/api/supplier/imports")
@Tag(name = "Supplier catalog import")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class ImportResource {

    public record FieldView(String field, boolean required, List<String> recognisedHeaders) {}

    private final CatalogImporter importer;
    private final ImportReports reports;
    private final SupplierProducts products;
    private final Caller caller;

    public ImportResource(CatalogImporter importer, ImportReports reports, SupplierProducts products, Caller caller) {
        this.importer = importer;
        this.reports = reports;
        this.products = products;
        this.caller = caller;
    }

    @POST
    @Blocking
    @Consumes({
        "text/csv",
        MediaType.TEXT_PLAIN,
        MediaType.APPLICATION_OCTET_STREAM,
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    })
    @Operation(
            summary = "Import products from a CSV file or an Excel workbook (.xlsx), the request body",
            description = "The first row names the columns; they map to fields by name and common synonyms (see"
                    + " GET /api/supplier/imports/fields), and map=field:Header overrides that, once per field. Columns"
                    + " that map to no field become product attributes. Comma, semicolon and tab separated files and"
                    + " Excel's 'CSV UTF-8' (with its byte order mark) are recognised; charset=windows-1252 reads older"
                    + " Excel exports. An Excel workbook (.xlsx, recognised by its content) is read from its first sheet,"
                    + " streamed, with the same mapping; its row numbers are the lines. Rows are upserted by SKU; a bad row is reported with its line number and the"
                    + " others are imported. The upload is processed as it arrives; GET /api/supplier/imports shows the"
                    + " progress of a running import. The answer is the final report.")
    public Response upload(
            InputStream body,
            @QueryParam("map") List<String> map,
            @QueryParam("currency") @DefaultValue("USD") @Pattern(regexp = "[A-Z]{3}") String currency,
            @QueryParam("delimiter") @Pattern(regexp = "comma|semicolon|tab") String delimiter,
            @QueryParam("charset")
                    @DefaultValue("UTF-8")
                    @Pattern(regexp = "(?i)UTF-8|windows-1252|ISO-8859-1|ISO-8859-15")
                    String charset,
            @QueryParam("fileName") @jakarta.validation.constraints.Size(max = 300) String fileName) {
        String supplierId = caller.supplierId();
        SupplierProductResource.requireActive(products, supplierId).await().indefinitely();
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String m : map == null ? List.<String>of() : map) {
            int colon = m.indexOf(':');
            if (colon <= 0 || colon == m.length() - 1) {
                throw ProblemException.badRequest(
                        "map '" + m + "' is not field:Header, for example wholesalePrice:Our Cost");
            }
            if (mapping.put(
                            m.substring(0, colon).strip(),
                            m.substring(colon + 1).strip())
                    != null) {
                throw ProblemException.badRequest("map names field " + m.substring(0, colon) + " twice");
            }
        }
        Character sep = delimiter == null
                ? null
                : switch (delimiter) {
                    case "semicolon" -> ';';
                    case "tab" -> '\t';
                    default -> ',';
                };
        String id = importer.run(
                supplierId,
                body,
                new CatalogImporter.Options(fileName, mapping, currency, sep, Charset.forName(charset)));
        return Response.created(URI.create("/api/supplier/imports/" + id))
                .entity(reports.get(supplierId, id).await().indefinitely())
                .build();
    }

    @GET
    @Operation(summary = "The supplier's recent imports (the last 50), running ones with their progress")
    public Uni<Page<ImportReports.Report>> recent(
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(50) int limit, @QueryParam("cursor") String cursor) {
        return reports.recent(caller.supplierId()).map(l -> Page.slice(l, limit, cursor));
    }

    @GET
    @Path("fields")
    @Operation(summary = "The fields an import fills and the column names recognised for each")
    public List<FieldView> fields() {
        return Arrays.stream(ImportField.values())
                .map(f -> new FieldView(f.apiName(), f.required, f.synonyms()))
                .toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One import: progress while it runs, the report after, with its first rejected rows")
    public Uni<ImportReports.Report> get(@PathParam("id") String id) {
        return reports.get(caller.supplierId(), id);
    }

    @GET
    @Path("{id}/errors")
    @Operation(summary = "The rows an import rejected, by line number")
    public Uni<Page<ImportReports.RowError>> errors(
            @PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("500") @Min(1) @Max(5000) int limit,
            @QueryParam("cursor") String cursor) {
        Long after = Cursors.after(cursor, Long::parseLong);
        long afterLine = after == null ? 0 : after;
        return reports.errors(caller.supplierId(), id, afterLine, limit + 1)
                .map(rows -> Page.of(rows, limit, e -> new Object[] {e.line()}));
    }
}
