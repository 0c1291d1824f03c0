package io.dropship.order.rest;

import io.dropship.order.service.OrderSettings;
import io.dropship.order.service.OrderSettings.Settings;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A retailer's choices for its orders that no supplier can take (ON_HOLD): by default they wait for the retailer or
 * support; with {@code cancelHeldAfterDays} set, one held longer than that is cancelled, what was paid for it is
 * refunded, and its store is told (Shopify cancels the order and refunds the customer, WooCommerce marks it
 * cancelled), the customer reading {@code customerMessage}.
 */
@Path("/api/retailers/{retailerId}/order-settings")
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderSettingsResource {

    /** cancelHeldAfterDays null: held orders are never cancelled on their own. */
    public record SettingsChange(
            @Min(1) @Max(60) Integer cancelHeldAfterDays,
            @Size(max = 500) String customerMessage) {}

    private final OrderSettings settings;
    private final Caller caller;

    public OrderSettingsResource(OrderSettings settings, Caller caller) {
        this.settings = settings;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "The retailer's order settings (a retailer its own): when held orders are cancelled on their own")
    public Uni<Settings> get(@PathParam("retailerId") String retailerId) {
        own(retailerId);
        return settings.of(retailerId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary =
                    "Set when the retailer's held orders are cancelled on their own (a retailer its own, or an admin)",
            description = "cancelHeldAfterDays 1 to 60, or null for never; customerMessage (at most 500 characters) is "
                    + "what the store's customer reads when the order is cancelled, the platform's default when null.")
    public Uni<Settings> put(@PathParam("retailerId") String retailerId, @Valid @NotNull SettingsChange change) {
        own(retailerId);
        String message =
                change.customerMessage() == null || change.customerMessage().isBlank()
                        ? null
                        : change.customerMessage().strip();
        return settings.save(retailerId, change.cancelHeldAfterDays(), message, caller.name());
    }

    private void own(String retailerId) {
        if (!caller.isStaff() && !retailerId.equals(caller.retailerId())) {
            throw ProblemException.notFound("order settings of retailer " + retailerId);
        }
    }
}
