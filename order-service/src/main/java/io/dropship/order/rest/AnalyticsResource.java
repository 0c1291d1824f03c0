package io.dropship.order.rest;

import io.dropship.order.analytics.SalesAnalytics;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sales analytics for a retailer (its own; staff name the retailer). */
@Path("/api/analytics")
@Tag(name = "Analytics")
public class AnalyticsResource {

    private final SalesAnalytics analytics;
    private final Caller caller;

    public AnalyticsResource(SalesAnalytics analytics, Caller caller) {
        this.analytics = analytics;
        this.caller = caller;
    }

    @GET
    @Path("sales")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "Sales, cost, fees and profit by day, week or month, and by store, listing, product or supplier",
            description =
                    "from and to (YYYY-MM-DD, UTC days, both included; the last 30 days unless given, at most 2 years); "
                            + "orders, units, revenue at the retailer's prices, cost (wholesale plus shipping), the platform's fees, "
                            + "profit, average order value, average hours from routing to shipping; per currency, with totals. "
                            + "format=csv (or Accept: text/csv) for a spreadsheet.")
    public Uni<Response> sales(
            @QueryParam("retailerId") @Size(max = 100) String retailerId,
            @QueryParam("from") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String from,
            @QueryParam("to") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String to,
            @QueryParam("granularity") @DefaultValue("DAY") SalesAnalytics.Granularity granularity,
            @QueryParam("groupBy") @DefaultValue("NONE") SalesAnalytics.GroupBy groupBy,
            @QueryParam("format") @Pattern(regexp = "json|csv") String format,
            @jakarta.ws.rs.HeaderParam("Accept") String accept) {
        String retailer = subject(retailerId, "retailer: retailerId", caller::retailerId);
        LocalDate[] range = range(from, to);
        LocalDate start = range[0];
        LocalDate end = range[1];
        boolean csv = "csv".equals(format)
                || (format == null
                        && accept != null
                        && accept.contains("text/csv")
                        && !accept.contains(MediaType.APPLICATION_JSON));
        return analytics
                .sales(retailer, start, end, granularity, groupBy)
                .map(report -> csv
                        ? Response.ok(SalesAnalytics.csv(report), "text/csv; charset=UTF-8")
                                .header(
                                        "Content-Disposition",
                                        "attachment; filename=\"sales-" + start + "-" + end + ".csv\"")
                                .build()
                        : Response.ok(report, MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("supplier-sales")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SUPPLIER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "A supplier's units and revenue (what it is paid: wholesale plus shipping) by period and product",
            description =
                    "Its own for a supplier; staff name it. Acceptance and on-time rates: GET /api/supplier-performance/{id}; "
                            + "returns and payouts: settlement-service's statement (GET /api/billing/statement).")
    public Uni<SalesAnalytics.SupplierReport> supplierSales(
            @QueryParam("supplierId") @Size(max = 40) String supplierId,
            @QueryParam("from") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String from,
            @QueryParam("to") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String to,
            @QueryParam("granularity") @DefaultValue("DAY") SalesAnalytics.Granularity granularity,
            @QueryParam("groupBy") @DefaultValue("NONE") @Pattern(regexp = "NONE|PRODUCT") String groupBy) {
        String supplier = subject(supplierId, "supplier: supplierId", caller::supplierId);
        LocalDate[] range = range(from, to);
        return analytics.supplierSales(
                supplier, range[0], range[1], granularity, SalesAnalytics.GroupBy.valueOf(groupBy));
    }

    @GET
    @Path("platform")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary =
                    "The platform's GMV, fees and listing fees, take rate, orders per hour, active retailers and suppliers, top products and suppliers, subscription revenue")
    public Uni<SalesAnalytics.PlatformReport> platform(
            @QueryParam("from") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String from,
            @QueryParam("to") @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}") String to,
            @QueryParam("granularity") @DefaultValue("DAY") SalesAnalytics.Granularity granularity) {
        LocalDate[] range = range(from, to);
        return analytics.platform(range[0], range[1], granularity);
    }

    /** Whose figures: the caller's own, or for staff the one they name (400 when they name none). */
    private String subject(String named, String what, java.util.function.Supplier<String> own) {
        if (!caller.isStaff()) {
            return own.get();
        }
        if (named == null || named.isBlank()) {
            throw ProblemException.badRequest("name the " + what);
        }
        return named;
    }

    /** from and to as UTC days, both included: the last 30 days unless given, at most two years. */
    private static LocalDate[] range(String from, String to) {
        LocalDate end;
        LocalDate start;
        try {
            end = to == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(to);
            start = from == null ? end.minusDays(29) : LocalDate.parse(from);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("from and to are dates as YYYY-MM-DD: " + e.getParsedString());
        }
        if (start.isAfter(end) || start.isBefore(end.minusYears(2))) {
            throw ProblemException.badRequest("from is on or before to, at most two years before it");
        }
        return new LocalDate[] {start, end};
    }
}
