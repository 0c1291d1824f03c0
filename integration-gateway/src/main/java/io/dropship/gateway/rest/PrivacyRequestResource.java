package io.dropship.gateway.rest;

import io.dropship.platform.web.Page;
import io.dropship.platform.web.Cursors;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.dropship.gateway.privacy.PrivacyRequests;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.outbox.SqlValues;
import io.dropship.platform.web.Caller;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
            @NotNull @Pattern(regexp = "REDACT_CUSTOMER|EXPORT_CUSTOMER", message = "must be REDACT_CUSTOMER or EXPORT_CUSTOMER") String kind,
            @Size(max = 40) String storeId,
            @Email @Size(max = 200) String customerEmail,
            @Size(max = 250) List<@NotNull @Size(min = 1, max = 100) String> storeOrderIds) {
    }

    /** One service's progress: parts answered of how many, rows erased or exported. */
    public record ServiceProgress(String service, long partsDone, Integer parts, long records) {
    }

    /**
     * A request as the API shows it. status: IN_PROGRESS, then COMPLETED once every service holding customer data has
     * done its share. keptOrderIds: orders still being fulfilled, whose data a supplier still needs (erase them by
     * asking again once they are delivered or cancelled). export: EXPORT_CUSTOMER once completed, by service, until it
     * is deleted after its retention.
     */
    public record PrivacyRequestView(UUID requestId, String kind, String source, String storeId, String customerEmail,
                                     @JsonRawValue String storeOrderIds, String shopifyRequestId, String status,
                                     List<ServiceProgress> services, @JsonRawValue String keptOrderIds,
                                     @JsonRawValue String export, Instant requestedAt, Instant completedAt,
                                     Instant exportDeletedAt) {
    }

    private final Mutiny.SessionFactory sessions;
    private final PrivacyRequests requests;
    private final StoreConnections stores;
    private final Caller caller;

    public PrivacyRequestResource(Mutiny.SessionFactory sessions, PrivacyRequests requests, StoreConnections stores,
                                  Caller caller) {
        this.sessions = sessions;
        this.requests = requests;
        this.stores = stores;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.RETAILER)
    @Operation(summary = "Ask to erase or export a store customer's personal data",
            description = "Names the customer by e-mail, by the store's order ids, or both. storeId: one of the caller's"
                    + " stores (404 otherwise); without it, the retailer's default custom store. Answers 202 with the"
                    + " request; it is COMPLETED once every service has done its share.")
    public Uni<Response> create(@Valid @NotNull NewRequest body) {
        String retailerId = caller.retailerId();
        boolean namesSomeone = (body.customerEmail() != null && !body.customerEmail().isBlank())
                || (body.storeOrderIds() != null && !body.storeOrderIds().isEmpty());
        if (!namesSomeone) {
            throw ProblemException.badRequest("name the customer by customerEmail, storeOrderIds or both");
        }
        String ownDefault = "custom-" + retailerId;
        String storeId = body.storeId() == null || body.storeId().isBlank() ? ownDefault : body.storeId();
        Uni<Boolean> owned = storeId.equals(ownDefault) ? Uni.createFrom().item(true)
                : stores.of(retailerId).map(mine -> mine.stream().anyMatch(c -> c.id.equals(storeId)));
        return owned.chain(mine -> {
            if (!mine) {
                throw ProblemException.notFound("store " + storeId);
            }
            return sessions.withTransaction(s -> requests.start(s, PrivacyRequests.Kind.valueOf(body.kind()), "API",
                    retailerId, storeId, new PrivacyRequests.Subject(body.customerEmail(), body.storeOrderIds(), null), null));
        }).chain(this::view).map(v -> Response.accepted(v).location(URI.create("/api/privacy-requests/" + v.requestId())).build());
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(summary = "The privacy requests of the caller's stores, newest first (an admin: of any retailer, or one)")
    public Uni<Page<PrivacyRequestView>> list(@QueryParam("retailerId") String retailerId,
                                              @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(100) int limit,
                                              @QueryParam("cursor") String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        String scope = caller.is(Roles.ADMIN) ? (retailerId == null || retailerId.isBlank() ? null : retailerId)
                : caller.retailerScope(retailerId).orElseThrow();
        Instant at = after == null ? null : Cursors.part(after[0], Instant::parse);
        UUID afterId = after == null ? null : Cursors.part(after[1], UUID::fromString);
        return sessions.withSession(s -> {
                    var query = s.createNativeQuery("select id, requested_at from privacy_request where (cast(:r as text) is null"
                            + " or retailer_id = cast(:r as text))"
                            + (at == null ? "" : " and (requested_at < :at or (requested_at = :at and id > :id))")
                            + " order by requested_at desc, id limit " + (limit + 1), Object[].class).setParameter("r", scope);
                    if (at != null) {
                        query.setParameter("at", at.atOffset(ZoneOffset.UTC)).setParameter("id", afterId);
                    }
                    return query.getResultList();
                })
                .chain(rows -> {
                    Page<Object[]> page = Page.of(rows, limit, r -> new Object[] {SqlValues.instant(r[1]), r[0]});
                    return io.smallrye.mutiny.Multi.createFrom().iterable(page.items())
                            .onItem().transformToUniAndConcatenate(r -> view((UUID) r[0])).collect().asList()
                            .map(views -> new Page<>(views, page.nextCursor()));
                });
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
        return sessions.withSession(s -> s.createNativeQuery("select retailer_id, kind, source, store_id, customer_email,"
                                + " cast(store_order_ids as text), shopify_request, status, requested_at, completed_at, data_purged_at,"
                                + " gateway_records, cast(gateway_data as text) from privacy_request where id = :id", Object[].class)
                        .setParameter("id", id).getSingleResultOrNull()
                        .chain(r -> r == null || !(caller.is(Roles.ADMIN) || r[0].equals(caller.retailerId()))
                                ? Uni.createFrom().nullItem()
                                : s.createNativeQuery("select service, count(*), max(parts), sum(records),"
                                        + " (select cast(jsonb_agg(e) as text) from privacy_request_part k,"
                                        + " jsonb_array_elements_text(k.kept_order_ids) e where k.request_id = p.request_id"
                                        + " and k.service = p.service),"
                                        + " (select cast(jsonb_agg(d order by x.part) as text) from privacy_request_part x,"
                                        + " jsonb_array_elements(x.data) d where x.request_id = p.request_id and x.service = p.service)"
                                        + " from privacy_request_part p where request_id = :id group by request_id, service"
                                        + " order by service", Object[].class)
                                .setParameter("id", id).getResultList().map(parts -> of(id, r, parts))));
    }

    private static PrivacyRequestView of(UUID id, Object[] r, List<Object[]> parts) {
        List<ServiceProgress> services = new ArrayList<>();
        services.add(new ServiceProgress("integration-gateway", 1, 1, ((Number) r[11]).longValue()));
        StringBuilder kept = new StringBuilder("[");
        StringBuilder export = new StringBuilder("{\"integration-gateway\":").append(r[12] == null ? "[]" : r[12]);
        for (Object[] p : parts) {
            services.add(new ServiceProgress((String) p[0], ((Number) p[1]).longValue(), ((Number) p[2]).intValue(),
                    ((Number) p[3]).longValue()));
            if (p[4] != null) {
                kept.append(kept.length() > 1 ? "," : "").append(((String) p[4]), 1, ((String) p[4]).length() - 1);
            }
            export.append(",\"").append(p[0]).append("\":").append(p[5] == null ? "[]" : p[5]);
        }
        boolean exportReady = "EXPORT_CUSTOMER".equals(r[1]) && "COMPLETED".equals(r[7]) && r[10] == null;
        return new PrivacyRequestView(id, (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                (String) r[6], (String) r[7], services, kept.append(']').toString(), exportReady ? export.append('}').toString() : null,
                SqlValues.instant(r[8]), SqlValues.instant(r[9]), SqlValues.instant(r[10]));
    }
}
