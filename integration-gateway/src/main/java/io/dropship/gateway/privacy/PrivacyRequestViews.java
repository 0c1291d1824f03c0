package io.dropship.gateway.privacy;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.dropship.platform.sql.SqlValues;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Privacy requests as the API shows them: each with every service's progress, the orders kept, and an export. */
@ApplicationScoped
public class PrivacyRequestViews {

    /** One service's progress: parts answered of how many, rows erased or exported. */
    public record ServiceProgress(String service, long partsDone, Integer parts, long records) {}

    /**
     * A request as the API shows it. status: IN_PROGRESS, then COMPLETED once every service holding customer data has
     * done its share. keptOrderIds: orders still being fulfilled, whose data a supplier still needs (erase them by
     * asking again once they are delivered or cancelled). export: EXPORT_CUSTOMER once completed, by service, until it
     * is deleted after its retention.
     */
    public record PrivacyRequestView(
            UUID requestId,
            String kind,
            String source,
            String storeId,
            String customerEmail,
            @JsonRawValue String storeOrderIds,
            String shopifyRequestId,
            String status,
            List<ServiceProgress> services,
            @JsonRawValue String keptOrderIds,
            @JsonRawValue String export,
            Instant requestedAt,
            Instant completedAt,
            Instant exportDeletedAt) {}

    private final Mutiny.SessionFactory sessions;

    public PrivacyRequestViews(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /**
     * Requests newest first, after the request ({@code at}, {@code afterId}) when given; a null {@code scope} is every
     * retailer's.
     */
    public Uni<List<PrivacyRequestView>> list(String scope, Instant at, UUID afterId, int limit) {
        return sessions.withSession(s -> {
                    var query = s.createNativeQuery(
                                    "select id from privacy_request where (cast(:r as text) is null"
                                            + " or retailer_id = cast(:r as text))"
                                            + (at == null
                                                    ? ""
                                                    : " and (requested_at < :at or (requested_at = :at and id > :id))")
                                            + " order by requested_at desc, id limit " + limit,
                                    UUID.class)
                            .setParameter("r", scope);
                    if (at != null) {
                        query.setParameter("at", at.atOffset(ZoneOffset.UTC)).setParameter("id", afterId);
                    }
                    return query.getResultList();
                })
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUniAndConcatenate(id -> view(id, scope))
                        .collect()
                        .asList());
    }

    /** One request, or null if there is none or it is not the retailer's ({@code retailerScope}, null for an admin). */
    public Uni<PrivacyRequestView> view(UUID id, String retailerScope) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select retailer_id, kind, source, store_id, customer_email,"
                                + " cast(store_order_ids as text), shopify_request, status, requested_at, completed_at, data_purged_at,"
                                + " gateway_records, cast(gateway_data as text) from privacy_request where id = :id",
                        Object[].class)
                .setParameter("id", id)
                .getSingleResultOrNull()
                .chain(r -> r == null || (retailerScope != null && !r[0].equals(retailerScope))
                        ? Uni.createFrom().nullItem()
                        : s.createNativeQuery(
                                        "select service, count(*), max(parts), sum(records),"
                                                + " (select cast(jsonb_agg(e) as text) from privacy_request_part k,"
                                                + " jsonb_array_elements_text(k.kept_order_ids) e where k.request_id = p.request_id"
                                                + " and k.service = p.service),"
                                                + " (select cast(jsonb_agg(d order by x.part) as text) from privacy_request_part x,"
                                                + " jsonb_array_elements(x.data) d where x.request_id = p.request_id and x.service = p.service)"
                                                + " from privacy_request_part p where request_id = :id group by request_id, service"
                                                + " order by service",
                                        Object[].class)
                                .setParameter("id", id)
                                .getResultList()
                                .map(parts -> of(id, r, parts))));
    }

    private static PrivacyRequestView of(UUID id, Object[] r, List<Object[]> parts) {
        List<ServiceProgress> services = new ArrayList<>();
        services.add(new ServiceProgress("integration-gateway", 1, 1, ((Number) r[11]).longValue()));
        StringBuilder kept = new StringBuilder("[");
        StringBuilder export = new StringBuilder("{\"integration-gateway\":").append(r[12] == null ? "[]" : r[12]);
        for (Object[] p : parts) {
            services.add(new ServiceProgress(
                    (String) p[0],
                    ((Number) p[1]).longValue(),
                    ((Number) p[2]).intValue(),
                    ((Number) p[3]).longValue()));
            if (p[4] != null) {
                kept.append(kept.length() > 1 ? "," : "").append(((String) p[4]), 1, ((String) p[4]).length() - 1);
            }
            export.append(",\"").append(p[0]).append("\":").append(p[5] == null ? "[]" : p[5]);
        }
        boolean exportReady = "EXPORT_CUSTOMER".equals(r[1]) && "COMPLETED".equals(r[7]) && r[10] == null;
        return new PrivacyRequestView(
                id,
                (String) r[1],
                (String) r[2],
                (String) r[3],
                (String) r[4],
                (String) r[5],
                (String) r[6],
                (String) r[7],
                services,
                kept.append(']').toString(),
                exportReady ? export.append('}').toString() : null,
                SqlValues.instant(r[8]),
                SqlValues.instant(r[9]),
                SqlValues.instant(r[10]));
    }
}
