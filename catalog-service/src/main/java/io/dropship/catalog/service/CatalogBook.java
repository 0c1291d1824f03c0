package io.dropship.catalog.service;

import io.dropship.catalog.messaging.CatalogEvents;
import io.dropship.catalog.repository.Listing;
import io.dropship.catalog.repository.ListingOffer;
import io.dropship.catalog.repository.SupplierProduct;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Supplier products and retailer listings. Each change is published for the other services' projections. */
@ApplicationScoped
public class CatalogBook {

    public record OfferRef(String supplierId, String sku) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public CatalogBook(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    /**
     * Creates or replaces the retailer's listing for one of its store SKUs: the first offer is the primary,
     * the others are backups in order. Every offer must be a product a supplier lists.
     */
    public Uni<Listing> putListing(String retailerId, String sku, String title, List<OfferRef> offers) {
        Set<OfferRef> distinct = new HashSet<>(offers);
        if (distinct.size() != offers.size()) {
            throw ProblemException.badRequest("an offer is named twice");
        }
        return sessions.withTransaction(s -> checkOffersExist(s, offers)
                .chain(() -> s.createSelectionQuery("from Listing l left join fetch l.offers where l.retailerId = :r and l.sku = :sku",
                                Listing.class)
                        .setParameter("r", retailerId).setParameter("sku", sku).getSingleResultOrNull())
                .chain(existing -> {
                    Instant now = Instant.now();
                    Listing listing = existing != null ? existing : new Listing();
                    if (existing == null) {
                        listing.id = "lst-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
                        listing.retailerId = retailerId;
                        listing.sku = sku;
                        listing.createdAt = now;
                    }
                    listing.title = title;
                    listing.status = "ACTIVE";
                    listing.updatedAt = now;
                    listing.offers.clear();
                    Uni<Void> flushRemoved = existing == null ? s.persist(listing) : s.flush();
                    return flushRemoved.invoke(() -> {
                        for (int i = 0; i < offers.size(); i++) {
                            ListingOffer offer = new ListingOffer();
                            offer.key = new ListingOffer.Key(listing.id, i);
                            offer.listing = listing;
                            offer.supplierId = offers.get(i).supplierId();
                            offer.sku = offers.get(i).sku();
                            listing.offers.add(offer);
                        }
                    }).chain(s::flush).chain(() -> outbox.publish(s, CatalogEvents.ListingChanged.TOPIC, listing.id,
                            changed(listing))).replaceWith(listing);
                }));
    }

    public Uni<List<Listing>> listings(String retailerId) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "select distinct l from Listing l left join fetch l.offers where l.retailerId = :r order by l.sku",
                        Listing.class)
                .setParameter("r", retailerId).getResultList());
    }

    private Uni<Void> checkOffersExist(Mutiny.Session s, List<OfferRef> offers) {
        // One session runs one operation at a time: the look-ups go one after the other.
        return Multi.createFrom().iterable(offers)
                .onItem().transformToUniAndConcatenate(o -> s.find(SupplierProduct.class,
                        new SupplierProduct.Key(o.supplierId(), o.sku())).map(found -> found == null
                        ? o.supplierId() + ":" + o.sku() : ""))
                .filter(missing -> !missing.isEmpty())
                .collect().asList()
                .invoke(missing -> {
                    if (!missing.isEmpty()) {
                        throw ProblemException.badRequest("unknown supplier products: " + String.join(", ", missing));
                    }
                }).replaceWithVoid();
    }

    static CatalogEvents.ListingChanged changed(Listing l) {
        return new CatalogEvents.ListingChanged(l.id, l.retailerId, l.sku, l.title, l.status,
                l.offers.stream().map(o -> new CatalogEvents.ListingChanged.Offer(o.supplierId + ":" + o.sku,
                        o.supplierId, o.sku, o.key.priority())).toList(), l.updatedAt);
    }
}
