package io.dropship.settlement.rest;

import io.dropship.platform.web.Roles;
import io.dropship.settlement.service.Reconciliation;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/reconciliation")
@Tag(name = "Reconciliation")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciliation reconciliation;

    public ReconciliationResource(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "A day's money (UTC): the ledger against Stripe's balance transactions and the supplier orders"
                    + " shipped, per supplier, with every mismatch",
            description =
                    "date: YYYY-MM-DD, today if absent; supplierId narrows the suppliers and mismatches to one."
                            + " Mismatch kinds: MISSING_IN_STRIPE, AMOUNT_DIFFERS, UNKNOWN_TO_LEDGER, SHIPPED_NOT_PAID_OUT, LEDGER_UNBALANCED.")
    public Uni<Reconciliation.Report> day(
            @QueryParam("date") String date, @QueryParam("supplierId") String supplierId) {
        return reconciliation.day(Dates.day(date), supplierId == null || supplierId.isBlank() ? null : supplierId);
    }

    /** Days in query parameters. */
    static final class Dates {
        private Dates() {}

        static LocalDate day(String date) {
            if (date == null || date.isBlank()) {
                return LocalDate.now(ZoneOffset.UTC);
            }
            try {
                return LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                throw io.dropship.platform.web.ProblemException.badRequest(
                        "date must be YYYY-MM-DD, not '" + date + "'");
            }
        }
    }
}
