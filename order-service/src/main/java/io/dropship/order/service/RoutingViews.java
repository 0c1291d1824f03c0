package io.dropship.order.service;

import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** What routing sees of a listing, as projected from the catalog's events ({@code listing_view} and its offers). */
@ApplicationScoped
public class RoutingViews {

    public record OfferView(
            int priority,
            String supplierId,
            String sku,
            String supplierStatus,
            String shipFromRegion,
            String offerStatus,
            BigDecimal wholesalePrice,
            BigDecimal shippingCost) {}

    public record ListingView(String listingId, String retailerId, String sku, String status, List<OfferView> offers) {}

    private final Mutiny.SessionFactory sessions;

    public RoutingViews(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** A listing's offers in priority order, with each supplier's and product's state; 404 if routing does not know it. */
    public Uni<ListingView> listing(String listingId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select l.listing_id, l.retailer_id, l.sku, l.status,"
                                        + " cast(o.value ->> 'priority' as int), o.value ->> 'supplierId', o.value ->> 'sku',"
                                        + " sv.status, sv.ship_from_region, ov.status, ov.wholesale_price, ov.shipping_cost"
                                        + " from listing_view l cross join lateral jsonb_array_elements(l.offers) o"
                                        + " left join supplier_view sv on sv.supplier_id = o.value ->> 'supplierId'"
                                        + " left join supplier_product_view ov on ov.supplier_id = o.value ->> 'supplierId' and ov.sku = o.value ->> 'sku'"
                                        + " where l.listing_id = :id order by 5",
                                Object[].class)
                        .setParameter("id", listingId)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("listing " + listingId + " in routing's view");
                    }
                    Object[] f = rows.get(0);
                    return new ListingView(
                            (String) f[0],
                            (String) f[1],
                            (String) f[2],
                            (String) f[3],
                            rows.stream()
                                    .map(r -> new OfferView(
                                            ((Number) r[4]).intValue(),
                                            (String) r[5],
                                            (String) r[6],
                                            (String) r[7],
                                            (String) r[8],
                                            (String) r[9],
                                            (BigDecimal) r[10],
                                            (BigDecimal) r[11]))
                                    .toList());
                });
    }
}
