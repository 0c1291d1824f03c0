package io.dropship.gateway.rest;

import io.dropship.gateway.privacy.PrivacyRequestViews;
import io.dropship.gateway.privacy.PrivacyRequestViews.PrivacyRequestView;
import io.dropship.gateway.privacy.PrivacyRequests;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A retailer's privacy requests for its stores' customers: erase a customer's personal data, or collect it to hand
 * over. Shopify stores send theirs as webhooks (customers/redact, customers/data_request, shop/redact) and they show
 * here too; WooCommerce and custom stores, which have no such webhooks, ask through this API. Exports hold the
 * customer's personal data, so support agents do not see them.
 */
@Path("/api/privacy-requests")
@Tag(name = "Privacy requests")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyRequestResource {

    public record NewRequest(
            @NotNull
            @Pattern(regexp = "REDACT_CUSTOMER|EXPORT_CUSTOMER", message = "must be REDACT_CUSTOMER or EXPORT_CUSTOMER")
            String kind,

            @Size(max = 40) String storeId,
            @Email @Size(max = 200) String customerEmail,
            @Size(max = 250) List<@NotNull @Size(min = 1, max = 100) String> storeOrderIds) {}

    private final Mutiny.SessionFactory sessions;
    private final PrivacyRequests requests;
    private final PrivacyRequestViews views;
    private final StoreConnections stores;
    private final Caller caller;

    public PrivacyRequestResource(
            Mutiny.SessionFactory sessions,
            PrivacyRequests requests,
            PrivacyRequestViews views,
            StoreConnections stores,
            Caller caller) {
        this.sessions = sessions;
        this.requests = requests;
        this.views = views;
        this.stores = stores;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Ask to erase or export a store customer's personal data",
            description =
                    "Names the customer by e-mail, by the store's order ids, or both. storeId: one of the caller's"
                            + " stores (404 otherwise); without it, the retailer's default custom store. Answers 202 with the"
                            + " request; it is COMPLETED once every service has done its share.")
    public Uni<Response> create(@Valid @NotNull NewRequest body) {
        String retailerId = caller.retailerId();
        boolean namesSomeone = (body.customerEmail() != null
                        && !body.customerEmail().isBlank())
                || (body.storeOrderIds() != null && !body.storeOrderIds().isEmpty());
        if (!namesSomeone) {
            throw ProblemException.badRequest("name the customer by customerEmail, storeOrderIds or both");
        }
        String ownDefault = "custom-" + retailerId;
        String storeId = body.storeId() == null || body.storeId().isBlank() ? ownDefault : body.storeId();
        Uni<Boolean> owned = storeId.equals(ownDefault)
                ? Uni.createFrom().item(true)
                : stores.of(retailerId).map(mine -> mine.stream().anyMatch(c -> c.id.equals(storeId)));
        return owned.chain(mine -> {
                    if (!mine) {
                        throw ProblemException.notFound("store " + storeId);
                    }
                    return sessions.withTransaction(s -> requests.start(
                            s,
                            PrivacyRequests.Kind.valueOf(body.kind()),
                            "API",
                            retailerId,
                            storeId,
                            new PrivacyRequests.Subject(body.customerEmail(), body.storeOrderIds(), null),
                            null));
                })
                .chain(this::view)
                .map(v -> Response.accepted(v)
                        .location(URI.create("/api/privacy-requests/" + v.requestId()))
                        .build());
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary = "The privacy requests of the caller's stores, newest first (an admin: of any retailer, or one)")
    public Uni<Page<PrivacyRequestView>> list(
            @QueryParam("retailerId") String retailerId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        String scope = caller.is(Roles.ADMIN)
                ? (retailerId == null || retailerId.isBlank() ? null : retailerId)
                : caller.retailerScope(retailerId).orElseThrow();
        Instant at = after == null ? null : Cursors.part(after[0], Instant::parse);
        UUID afterId = after == null ? null : Cursors.part(after[1], UUID::fromString);
        return views.list(scope, at, afterId, limit + 1)
                .map(rows -> Page.of(rows, limit, v -> new Object[] {v.requestedAt(), v.requestId()}));
    }

    @GET
    @Path("{requestId}")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(summary = "One privacy request: its progress, the orders kept, and an export's data once completed")
    public Uni<PrivacyRequestView> get(@PathParam("requestId") UUID requestId) {
        return view(requestId).invoke(v -> {
            // Not found, rather than forbidden, for another retailer's request: the id says nothing either way.
            if (v == null) {
                throw ProblemException.notFound("privacy request " + requestId);
            }
        });
    }

    private Uni<PrivacyRequestView> view(UUID id) {
        return views.view(id, caller.is(Roles.ADMIN) ? null : caller.retailerId());
    }
}
