package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.service.Statements;
import io.dropship.settlement.service.Statements.Statement;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A supplier's payout statement: what it was paid for which supplier orders, what is still owed and why, its payouts. */
@Path("/api/billing/statement")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class StatementResource {

    private final Statements statements;
    private final Caller caller;

    public StatementResource(Statements statements, Caller caller) {
        this.statements = statements;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.SUPPLIER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "The supplier's payout statement for [from, to) (UTC days; the current month if absent)",
            description = "paid: transfers to its Stripe connected account, per supplier order, less what was reversed;"
                    + " owed: shipped supplier orders whose transfer has not gone yet, and why; payouts: from its Stripe"
                    + " balance to its bank. A supplier sees its own; staff pass supplierId.")
    public Uni<Statement> statement(
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("supplierId") String supplierId) {
        String supplier = caller.isStaff() ? supplierId : caller.supplierId();
        if (supplier == null || supplier.isBlank()) {
            throw ProblemException.badRequest("supplierId is required for staff");
        }
        LocalDate start = from == null || from.isBlank()
                ? LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1)
                : ReconciliationResource.Dates.day(from);
        LocalDate end = to == null || to.isBlank() ? start.plusMonths(1) : ReconciliationResource.Dates.day(to);
        if (!end.isAfter(start) || end.isAfter(start.plusDays(366))) {
            throw ProblemException.badRequest("to must be after from, and at most a year later");
        }
        return statements.of(supplier, start, end);
    }
}
