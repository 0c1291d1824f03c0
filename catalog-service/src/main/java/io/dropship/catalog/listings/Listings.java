package io.dropship.catalog.listings;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.catalog.entity.Listing;
import io.dropship.catalog.entity.ListingOffer;
import io.dropship.catalog.messaging.events.CatalogEvents;
import io.dropship.catalog.pricing.Pricer;
import io.dropship.catalog.pricing.PricingRule;
import io.dropship.catalog.pricing.Repricing;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Retailer listings: which supplier offers stand behind a store SKU, the store it is sold in, and its price by the
 * retailer's {@link PricingRule}. Every change is published as ListingChanged (order-service routes by it, the
 * gateway pushes it to the store). A supplier's cost change re-prices the listings it is primary for; a move beyond
 * the retailer's tolerance waits in {@code listing_price_change} for the retailer instead of going live.
 */
@ApplicationScoped
public class Listings {

    private static final Logger LOG = Logger.getLogger(Listings.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    public record OfferRef(String supplierId, String sku) {}

    /** One product to list in a store, under the store SKU given (default: the supplier's SKU) and title (default: the product's). */
    public record ImportItem(String supplierId, String sku, String listingSku, String title) {}

    /** What became of one import item: CREATED, UPDATED, UNCHANGED or REJECTED with the reason. */
    public record ImportOutcome(
            String supplierId,
            String sku,
            String listingSku,
            String listingId,
            String result,
            BigDecimal price,
            BigDecimal compareAtPrice,
            String currency,
            List<String> pricing,
            String reason) {}

    public record PriceChange(
            long id,
            String listingId,
            String listingSku,
            BigDecimal oldPrice,
            BigDecimal newPrice,
            BigDecimal oldCost,
            BigDecimal newCost,
            BigDecimal changePercent,
            String reason,
            String status,
            Instant createdAt,
            Instant decidedAt,
            String decidedBy) {}

    /** The primary product as pricing and the store need it. */
    record ProductFacts(
            String title,
            String description,
            BigDecimal wholesale,
            BigDecimal shipping,
            String currency,
            String status,
            BigDecimal msrp,
            BigDecimal mapPrice,
            List<String> images,
            String supplierStatus) {
        PricingRule.Cost cost() {
            return new PricingRule.Cost(wholesale, shipping, msrp, mapPrice);
        }
    }

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final PricingRules rules;
    private final ObjectMapper mapper;

    private final int defaultSupplierLimit;

    public Listings(
            Mutiny.SessionFactory sessions,
            Outbox outbox,
            PricingRules rules,
            ObjectMapper mapper,
            @org.eclipse.microprofile.config.inject.ConfigProperty(
                            name = "dropship.plans.default-supplier-limit",
                            defaultValue = "5")
                    int defaultSupplierLimit) {
        this.defaultSupplierLimit = defaultSupplierLimit;
        this.sessions = sessions;
        this.outbox = outbox;
        this.rules = rules;
        this.mapper = mapper;
    }

    /**
     * Creates or replaces the retailer's listing for one of its store SKUs: the first offer is the primary, the
     * others are backups in order. Every offer must be a product a supplier lists; the price comes from the
     * retailer's rule on the primary offer, and a product the rule cannot price is refused with the reason.
     */
    public Uni<Listing> putListing(String retailerId, String sku, String title, List<OfferRef> offers, String storeId) {
        Set<OfferRef> distinct = new HashSet<>(offers);
        if (distinct.size() != offers.size()) {
            throw ProblemException.badRequest("an offer is named twice");
        }
        return sessions.withTransaction(s -> offerFacts(s, offers)
                .chain(found -> find(s, retailerId, sku)
                        .chain(existing -> pricer(s, retailerId, existing).chain(pricer -> {
                            ProductFacts primary = found.get(0);
                            PricingRule.Quote quote = pricer.quote(primary.cost());
                            if (!quote.priced()) {
                                throw ProblemException.conflict("the " + pricer.name() + " cannot price "
                                        + offers.get(0).supplierId() + ":"
                                        + offers.get(0).sku() + ": " + quote.problem());
                            }
                            return supplierLimit(s, retailerId, sku, offers).chain(refused -> {
                                if (refused != null) {
                                    throw ProblemException.conflict(refused);
                                }
                                return save(s, existing, retailerId, sku, title, storeId, quote, primary, offers);
                            });
                        }))));
    }

    /**
     * Why listing these offers under this SKU would pass the retailer's plan's supplier limit (its products of one
     * supplier too many), with the way up; null when it fits. Suppliers already behind its other active listings
     * count once; the listing being replaced does not count against itself.
     */
    Uni<String> supplierLimit(Mutiny.Session s, String retailerId, String sku, List<OfferRef> offers) {
        return s.createNativeQuery(
                        "select (select plan from retailer_plan_limit p where p.retailer_id = :retailerId),"
                                + " (select supplier_limit from retailer_plan_limit p where p.retailer_id = :retailerId),"
                                + " (select string_agg(distinct o.supplier_id, ',') from listing l join listing_offer o on o.listing_id = l.id"
                                + " where l.retailer_id = :retailerId and l.status = 'ACTIVE' and l.sku <> :sku)",
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .setParameter("sku", sku)
                .getSingleResult()
                .map(r -> {
                    // No plan known: BASIC's pay-as-you-go terms; a plan with no supplier limit: unlimited.
                    Integer limit = r[0] == null ? Integer.valueOf(defaultSupplierLimit) : (Integer) r[1];
                    if (limit == null) {
                        return null;
                    }
                    String plan = r[0] == null ? "BASIC" : (String) r[0];
                    String listed = (String) r[2];
                    Set<String> suppliers = new HashSet<>();
                    if (listed != null) {
                        suppliers.addAll(List.of(listed.split(",")));
                    }
                    int before = suppliers.size();
                    offers.forEach(o -> suppliers.add(o.supplierId()));
                    if (suppliers.size() <= limit || suppliers.size() == before) {
                        return null;
                    }
                    return plan + " lets a retailer list products of " + limit
                            + " suppliers and this would be supplier " + suppliers.size()
                            + "; move up a plan (PUT /api/billing/subscription) for unlimited suppliers";
                });
    }

    private Uni<Pricer> pricer(Mutiny.Session s, String retailerId, Listing listing) {
        return rules.rule(s, retailerId).map(general -> pricer(general, listing));
    }

    private Pricer pricer(PricingRule general, Listing listing) {
        if (listing == null) {
            return new Pricer(general, null, null);
        }
        try {
            return new Pricer(
                    general,
                    listing.ownRule == null ? null : mapper.readValue(listing.ownRule, PricingRule.class),
                    listing.fixedPrice);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("listing " + listing.id + " keeps a rule that is not one", e);
        }
    }

    /**
     * Sets the listing's own price: a fixed price or a rule of its own (exactly one), or neither to go back to the
     * retailer's general rule. The listing is re-priced at once and the new price published; a price the guards refuse
     * (the landed cost, MAP, MSRP, the minimum margin) is answered 409 with the reason and nothing changes.
     */
    public Uni<Listing> ownPrice(String retailerId, String sku, BigDecimal fixed, PricingRule own) {
        if (own != null && !own.problems().isEmpty()) {
            throw ProblemException.badRequest(String.join("; ", own.problems()));
        }
        return sessions.withTransaction(s -> s.createSelectionQuery(
                        "from Listing l left join fetch l.offers where l.retailerId = :retailerId"
                                + " and l.sku = :sku",
                        Listing.class)
                .setParameter("retailerId", retailerId)
                .setParameter("sku", sku)
                .getResultList()
                .chain(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("listing " + sku);
                    }
                    Listing listing = found.get(0);
                    return rules.rule(s, retailerId)
                            .chain(general -> facts(s, listing.offers.get(0).supplierId, listing.offers.get(0).sku)
                                    .chain(primary -> {
                                        Pricer pricer = new Pricer(general, own, fixed);
                                        PricingRule.Quote quote = pricer.quote(primary.cost());
                                        if (!quote.priced()) {
                                            throw ProblemException.conflict("the " + pricer.name() + " cannot price "
                                                    + sku + ": " + quote.problem());
                                        }
                                        boolean moved = !sameMoney(quote.price(), listing.retailPrice)
                                                || !sameMoney(quote.compareAtPrice(), listing.compareAtPrice);
                                        listing.fixedPrice = fixed == null ? null : quote.price();
                                        listing.ownRule = own == null ? null : json(own);
                                        price(listing, quote, primary.currency());
                                        listing.updatedAt = Instant.now();
                                        return supersede(s, listing.id)
                                                .chain(s::flush)
                                                .chain(() -> moved
                                                        ? publish(s, listing, primary)
                                                        : Uni.createFrom().voidItem())
                                                .replaceWith(listing);
                                    }));
                }));
    }

    /**
     * Lists many supplier products in one of the retailer's stores in one transaction. Each item is priced by the
     * retailer's rule; an item that cannot be listed is REJECTED with the reason and the others go ahead. The whole
     * import reads its products, the listings it replaces and the plan's supplier limit once, writes the new listings
     * with two statements (the ones it changes with one flush) and their events with one: a few round trips however many items, where one item at a time
     * took six or seven each and summed the retailer's suppliers over all its listings for every one.
     */
    public Uni<List<ImportOutcome>> importToStore(String retailerId, String storeId, List<ImportItem> items) {
        List<String> listingSkus = items.stream().map(Listings::listingSku).toList();
        return sessions.withTransaction(s -> rules.rule(s, retailerId)
                .chain(rule -> factsOf(
                                s,
                                items.stream()
                                        .map(i -> new OfferRef(i.supplierId(), i.sku()))
                                        .toList())
                        .chain(facts -> existing(s, retailerId, listingSkus)
                                .chain(existing -> suppliersBeside(s, retailerId, listingSkus)
                                        .chain(limit -> {
                                            ImportRun run = new ImportRun(storeId, rule, facts, existing, limit);
                                            items.forEach(run::decide);
                                            return run.write(s, retailerId);
                                        })))));
    }

    private static String listingSku(ImportItem item) {
        return item.listingSku() != null ? item.listingSku() : item.sku();
    }

    /** One import's decisions, item by item in the order given, then its writes. */
    private final class ImportRun {
        private final String storeId;
        private final PricingRule rule;
        private final java.util.Map<OfferRef, ProductFacts> facts;
        private final java.util.Map<String, Listing> existing;
        private final SupplierLimit limit;
        /** The suppliers behind each of the import's store SKUs as the items before have left them. */
        private final java.util.Map<String, Set<String>> batchSuppliers = new java.util.HashMap<>();

        private final List<ImportOutcome> outcomes = new ArrayList<>();
        private final List<Listing> created = new ArrayList<>();
        private final List<Listing> reOffered = new ArrayList<>();
        private final java.util.Map<Listing, OfferRef> newPrimary = new java.util.IdentityHashMap<>();
        private final List<Listing> saved = new ArrayList<>();
        private final java.util.Map<Listing, ProductFacts> primaries = new java.util.IdentityHashMap<>();

        ImportRun(
                String storeId,
                PricingRule rule,
                java.util.Map<OfferRef, ProductFacts> facts,
                java.util.Map<String, Listing> existing,
                SupplierLimit limit) {
            this.storeId = storeId;
            this.rule = rule;
            this.facts = facts;
            this.existing = existing;
            this.limit = limit;
            existing.forEach((sku, l) -> {
                if ("ACTIVE".equals(l.status)) {
                    batchSuppliers.put(sku, suppliersOf(l));
                }
            });
        }

        void decide(ImportItem item) {
            outcomes.add(outcome(item));
        }

        private ImportOutcome outcome(ImportItem item) {
            String listingSku = listingSku(item);
            OfferRef offer = new OfferRef(item.supplierId(), item.sku());
            ProductFacts primary = facts.get(offer);
            if (primary == null) {
                return rejected(item, listingSku, "unknown supplier product " + item.supplierId() + ":" + item.sku());
            }
            if (!"ACTIVE".equals(primary.supplierStatus())) {
                return rejected(
                        item,
                        listingSku,
                        "supplier " + item.supplierId() + " is "
                                + primary.supplierStatus().toLowerCase() + ", not active");
            }
            if ("DISCONTINUED".equals(primary.status())) {
                return rejected(item, listingSku, "the product is discontinued");
            }
            Listing before = existing.get(listingSku);
            // A listing with a price of its own keeps it (checked against the new product's cost like any).
            PricingRule.Quote quote = pricer(rule, before).quote(primary.cost());
            if (!quote.priced()) {
                return rejected(item, listingSku, quote.problem());
            }
            if (before != null && before.storeId != null && !before.storeId.equals(storeId)) {
                return rejected(
                        item,
                        listingSku,
                        "store SKU " + listingSku + " is already listed in store " + before.storeId
                                + "; give this one another listingSku");
            }
            String title = item.title() != null ? item.title() : primary.title();
            boolean samePrimary = before != null
                    && !before.offers.isEmpty()
                    && before.offers.get(0).supplierId.equals(offer.supplierId())
                    && before.offers.get(0).sku.equals(offer.sku());
            if (before != null
                    && samePrimary
                    && "ACTIVE".equals(before.status)
                    && storeId.equals(before.storeId)
                    && title.equals(before.title)
                    && sameMoney(before.retailPrice, quote.price())
                    && sameMoney(before.compareAtPrice, quote.compareAtPrice())) {
                return Listings.outcome(item, before, "UNCHANGED", quote);
            }
            String refused = limit.refuses(listingSku, offer.supplierId(), batchSuppliers);
            if (refused != null) {
                return rejected(item, listingSku, refused);
            }
            Listing listing = before != null ? before : newListing(limit.retailerId(), listingSku);
            listing.title = title;
            listing.status = "ACTIVE";
            listing.storeId = storeId;
            price(listing, quote, primary.currency());
            listing.updatedAt = Instant.now();
            if (before == null) {
                setOffers(listing, List.of(offer));
                created.add(listing);
            } else if (!samePrimary) {
                reOffered.add(listing);
                newPrimary.put(listing, offer);
            }
            if (primaries.put(listing, primary) == null) {
                saved.add(listing);
            }
            batchSuppliers.put(listingSku, samePrimary ? suppliersOf(listing) : Set.of(offer.supplierId()));
            return Listings.outcome(item, listing, before == null ? "CREATED" : "UPDATED", quote);
        }

        /**
         * The listings whose offers change lose the old ones first (a new offer takes the same key), then every
         * listing is written in one flush and its ListingChanged in one statement.
         */
        Uni<List<ImportOutcome>> write(Mutiny.Session s, String retailerId) {
            if (saved.isEmpty()) {
                return Uni.createFrom().item(outcomes);
            }
            reOffered.forEach(l -> l.offers.clear());
            Uni<Void> cleared = reOffered.isEmpty() ? Uni.createFrom().voidItem() : s.flush();
            return cleared.invoke(() -> reOffered.forEach(l -> setOffers(l, List.of(newPrimary.get(l)))))
                    .chain(s::flush)
                    .chain(() -> insert(s, created))
                    .chain(() -> outbox.publishAll(
                            s,
                            CatalogEvents.ListingChanged.TOPIC,
                            saved.stream()
                                    .map(l -> new Outbox.Event(l.id, changed(l, primaries.get(l))))
                                    .toList()))
                    .invoke(n -> LOG.debugf(
                            "retailer %s imported %d listings into store %s (%d created)",
                            retailerId, saved.size(), storeId, created.size()))
                    .replaceWith(outcomes);
        }
    }

    /**
     * Writes new listings and their offers with two statements (the rows as one JSON array each): through the session
     * each would be an insert of its own, two round trips a listing.
     */
    private Uni<Void> insert(Mutiny.Session s, List<Listing> created) {
        if (created.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<java.util.Map<String, Object>> listings = new ArrayList<>();
        List<java.util.Map<String, Object>> offers = new ArrayList<>();
        for (Listing l : created) {
            java.util.Map<String, Object> row = new java.util.HashMap<>();
            row.put("id", l.id);
            row.put("retailer_id", l.retailerId);
            row.put("sku", l.sku);
            row.put("title", l.title);
            row.put("status", l.status);
            row.put("store_id", l.storeId);
            row.put("retail_price", l.retailPrice);
            row.put("compare_at_price", l.compareAtPrice);
            row.put("currency", l.currency);
            row.put("landed_cost", l.landedCost);
            row.put("created_at", l.createdAt.toString());
            row.put("updated_at", l.updatedAt.toString());
            listings.add(row);
            for (ListingOffer o : l.offers) {
                offers.add(java.util.Map.of(
                        "listing_id", l.id, "priority", o.key.priority(), "supplier_id", o.supplierId, "sku", o.sku));
            }
        }
        String listingRows = json(listings);
        String offerRows = json(offers);
        return s.createNativeQuery("insert into listing (id, retailer_id, sku, title, status, store_id, retail_price,"
                        + " compare_at_price, currency, landed_cost, created_at, updated_at) select * from"
                        + " jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as x(id text, retailer_id text, sku text,"
                        + " title text, status text, store_id text, retail_price numeric, compare_at_price numeric,"
                        + " currency text, landed_cost numeric, created_at timestamptz, updated_at timestamptz)")
                .setParameter("rows", listingRows)
                .executeUpdate()
                .chain(() -> s.createNativeQuery("insert into listing_offer (listing_id, priority, supplier_id, sku)"
                                + " select * from jsonb_to_recordset(cast(cast(:rows as text) as jsonb))"
                                + " as x(listing_id text, priority int, supplier_id text, sku text)")
                        .setParameter("rows", offerRows)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static Set<String> suppliersOf(Listing l) {
        Set<String> suppliers = new HashSet<>();
        l.offers.forEach(o -> suppliers.add(o.supplierId));
        return suppliers;
    }

    /**
     * The retailer's plan's supplier limit (null: none) and the suppliers behind its active listings other than the
     * store SKUs given (those are counted as the import leaves them).
     */
    record SupplierLimit(String retailerId, String plan, Integer limit, Set<String> others) {

        /** Why listing this supplier's product under this store SKU would pass the limit; null when it fits. */
        String refuses(String listingSku, String supplierId, java.util.Map<String, Set<String>> batch) {
            if (limit == null) {
                return null;
            }
            Set<String> suppliers = new HashSet<>(others);
            batch.forEach((sku, s) -> {
                if (!sku.equals(listingSku)) {
                    suppliers.addAll(s);
                }
            });
            int before = suppliers.size();
            suppliers.add(supplierId);
            if (suppliers.size() <= limit || suppliers.size() == before) {
                return null;
            }
            return plan + " lets a retailer list products of " + limit
                    + " suppliers and this would be supplier " + suppliers.size()
                    + "; move up a plan (PUT /api/billing/subscription) for unlimited suppliers";
        }
    }

    private Uni<SupplierLimit> suppliersBeside(Mutiny.Session s, String retailerId, List<String> listingSkus) {
        return s.createNativeQuery(
                        "select p.plan, p.supplier_limit from retailer_plan_limit p where p.retailer_id = :retailerId",
                        Object[].class)
                .setParameter("retailerId", retailerId)
                .getResultList()
                .chain(rows -> {
                    // No plan known: BASIC's pay-as-you-go terms; a plan with no supplier limit: unlimited.
                    String plan = rows.isEmpty() ? "BASIC" : (String) rows.get(0)[0];
                    Integer limit = rows.isEmpty() ? Integer.valueOf(defaultSupplierLimit) : (Integer) rows.get(0)[1];
                    if (limit == null) {
                        return Uni.createFrom().item(new SupplierLimit(retailerId, plan, null, Set.of()));
                    }
                    // "not in (select ...)" is a hashed subplan: "<> all(array(...))" compared every listing with each
                    // of the import's 250 SKUs (190 ms a request at 20,000 listings, 19 ms this way).
                    return s.createNativeQuery(
                                    "select distinct o.supplier_id from listing l join listing_offer o on o.listing_id = l.id"
                                            + " where l.retailer_id = :retailerId and l.status = 'ACTIVE'"
                                            + " and l.sku not in (select jsonb_array_elements_text(cast(cast(:skus as text) as jsonb)))",
                                    String.class)
                            .setParameter("retailerId", retailerId)
                            .setParameter("skus", json(listingSkus))
                            .getResultList()
                            .map(others -> new SupplierLimit(retailerId, plan, limit, new HashSet<>(others)));
                });
    }

    /** The retailer's listings under these store SKUs, with their offers, by store SKU. */
    private static Uni<java.util.Map<String, Listing>> existing(
            Mutiny.Session s, String retailerId, List<String> listingSkus) {
        return s.createSelectionQuery(
                        "select distinct l from Listing l left join fetch l.offers where l.retailerId = :r and l.sku in :skus",
                        Listing.class)
                .setParameter("r", retailerId)
                .setParameter("skus", listingSkus)
                .getResultList()
                .map(found -> {
                    java.util.Map<String, Listing> bySku = new java.util.HashMap<>();
                    found.forEach(l -> bySku.put(l.sku, l));
                    return bySku;
                });
    }

    /** These supplier products as pricing and the store need them, read with one statement; unknown ones are absent. */
    private Uni<java.util.Map<OfferRef, ProductFacts>> factsOf(Mutiny.Session s, List<OfferRef> refs) {
        return s.createNativeQuery(
                        "select " + FACTS + ", p.supplier_id, p.sku from supplier_product p"
                                + " join supplier s on s.id = p.supplier_id"
                                + " join (select distinct * from jsonb_to_recordset(cast(cast(:refs as text) as jsonb))"
                                + " as r(\"supplierId\" text, sku text)) r on p.supplier_id = r.\"supplierId\" and p.sku = r.sku",
                        Object[].class)
                .setParameter("refs", json(refs))
                .getResultList()
                .map(rows -> {
                    java.util.Map<OfferRef, ProductFacts> found = new java.util.HashMap<>();
                    rows.forEach(r -> found.put(new OfferRef((String) r[10], (String) r[11]), facts(r)));
                    return found;
                });
    }

    /** A statement's JSON parameter: one parameter, and so one statement text, whatever the count. */
    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the listing as sold in the store at the quoted price, with these offers (null keeps the ones it has), and
     * publishes it.
     */
    private Uni<Listing> save(
            Mutiny.Session s,
            Listing existing,
            String retailerId,
            String sku,
            String title,
            String storeId,
            PricingRule.Quote quote,
            ProductFacts primary,
            List<OfferRef> offers) {
        Listing listing = existing != null ? existing : newListing(retailerId, sku);
        listing.title = title;
        listing.status = "ACTIVE";
        listing.storeId = storeId;
        price(listing, quote, primary.currency());
        listing.updatedAt = Instant.now();
        Uni<Void> saved;
        if (existing == null) {
            setOffers(listing, offers);
            saved = s.persist(listing).chain(s::flush);
        } else if (offers != null) {
            listing.offers.clear();
            saved = s.flush().invoke(() -> setOffers(listing, offers)).chain(s::flush);
        } else {
            saved = s.flush();
        }
        return saved.chain(() -> publish(s, listing, primary)).replaceWith(listing);
    }

    /**
     * A page of the retailer's listings by SKU, after the given SKU (keyset: stable while listings change). The page's
     * ids are chosen first so that the limit applies in the database, not to the joined offers in memory.
     */
    public Uni<List<Listing>> listings(String retailerId, String afterSku, int limit) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "select l.id from Listing l where l.retailerId = :retailerId"
                                + " and l.sku > :after order by l.sku",
                        String.class)
                .setParameter("retailerId", retailerId)
                .setParameter("after", afterSku == null ? "" : afterSku)
                .setMaxResults(limit)
                .getResultList()
                .chain(ids -> ids.isEmpty()
                        ? Uni.createFrom().item(List.<Listing>of())
                        : s.createSelectionQuery(
                                        "select distinct l from Listing l left join fetch l.offers where l.id in :ids order by l.sku",
                                        Listing.class)
                                .setParameter("ids", ids)
                                .getResultList()));
    }

    /**
     * Re-prices every priced listing whose primary offer is this product, from the product as it is now (so a
     * late or repeated event changes nothing twice). Within the retailer's tolerance the new price goes live; beyond
     * it, or when the rule can no longer price the product, the change waits for the retailer.
     */
    public Uni<Void> reprice(Mutiny.Session s, String supplierId, String sku) {
        return s.createSelectionQuery(
                        "select distinct l from Listing l join fetch l.offers o where l.id in"
                                + " (select o2.listing.id from ListingOffer o2 where o2.supplierId = :supplierId and o2.sku = :sku and o2.key.priority = 0)"
                                + " and l.retailPrice is not null and l.status = 'ACTIVE'",
                        Listing.class)
                .setParameter("supplierId", supplierId)
                .setParameter("sku", sku)
                .getResultList()
                .chain(listings -> listings.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : facts(s, supplierId, sku)
                                .chain(primary -> Multi.createFrom()
                                        .iterable(listings)
                                        .onItem()
                                        .transformToUniAndConcatenate(l -> repriceOne(s, l, primary))
                                        .collect()
                                        .asList()
                                        .replaceWithVoid()));
    }

    private Uni<Void> repriceOne(Mutiny.Session s, Listing listing, ProductFacts primary) {
        return pricer(s, listing.retailerId, listing).chain(pricer -> {
            Repricing.Outcome outcome = Repricing.decide(
                    pricer, primary.cost(), listing.retailPrice, listing.compareAtPrice, listing.landedCost);
            if (outcome instanceof Repricing.Waits waits) {
                return waitForRetailer(s, listing, primary, waits);
            }
            if (outcome instanceof Repricing.Unchanged) {
                return Uni.createFrom().voidItem();
            }
            boolean tellStores =
                    outcome instanceof Repricing.GoesLive || ((Repricing.Refreshed) outcome).shownChanged();
            price(
                    listing,
                    outcome instanceof Repricing.GoesLive live ? live.quote() : ((Repricing.Refreshed) outcome).quote(),
                    primary.currency());
            listing.updatedAt = Instant.now();
            return supersede(s, listing.id)
                    .chain(s::flush)
                    .chain(() -> tellStores
                            ? publish(s, listing, primary)
                            : Uni.createFrom().voidItem());
        });
    }

    private Uni<Void> waitForRetailer(Mutiny.Session s, Listing listing, ProductFacts primary, Repricing.Waits w) {
        LOG.infof(
                "listing %s: re-price %s -> %s waits for the retailer: %s",
                listing.id, listing.retailPrice, w.proposed().price(), w.reason());
        return supersede(s, listing.id)
                .chain(() -> s.createNativeQuery(
                                "insert into listing_price_change (listing_id,"
                                        + " retailer_id, old_price, new_price, old_cost, new_cost, change_percent, reason, status, created_at)"
                                        + " values (:l, :retailerId, :op, :np, :oc, :nc, :pct, :reason, 'PENDING', now()) returning id",
                                Long.class)
                        .setParameter("l", listing.id)
                        .setParameter("retailerId", listing.retailerId)
                        .setParameter("op", listing.retailPrice)
                        .setParameter("np", w.proposed().price())
                        .setParameter("oc", listing.landedCost)
                        .setParameter("nc", w.proposed().landedCost())
                        .setParameter("pct", w.changePercent())
                        .setParameter("reason", w.reason())
                        .getSingleResult())
                // The retailer is told (the gateway's PRICE_CHANGE_WAITING notification).
                .chain(id -> outbox.publish(
                        s,
                        PriceChangeWaiting.TOPIC,
                        listing.id,
                        new PriceChangeWaiting(
                                id,
                                listing.id,
                                listing.retailerId,
                                listing.sku,
                                listing.title,
                                listing.retailPrice,
                                w.proposed().price(),
                                primary.currency(),
                                w.changePercent(),
                                w.reason(),
                                Instant.now())))
                .replaceWithVoid();
    }

    /** PriceChangeWaiting (contracts/events/PriceChangeWaiting.schema.json): a re-price waits for the retailer. */
    public record PriceChangeWaiting(
            long changeId,
            String listingId,
            String retailerId,
            String sku,
            String title,
            BigDecimal oldPrice,
            BigDecimal newPrice,
            String currency,
            BigDecimal changePercent,
            String reason,
            Instant createdAt) {
        public static final String TOPIC = "PriceChangeWaiting";
    }

    private static Uni<Void> supersede(Mutiny.Session s, String listingId) {
        return s.createNativeQuery("update listing_price_change set status = 'SUPERSEDED', decided_at = now()"
                        + " where listing_id = :l and status = 'PENDING'")
                .setParameter("l", listingId)
                .executeUpdate()
                .replaceWithVoid();
    }

    @SuppressWarnings("unchecked")
    public Uni<List<PriceChange>> priceChanges(String retailerId, String status, long afterId, int limit) {
        return sessions.withSession(s -> s.createNativeQuery(
                        CHANGES + " where c.retailer_id = :r and (cast(:status as text) is null or c.status = :status)"
                                + " and c.id > :after order by c.id limit :n",
                        Object[].class)
                .setParameter("r", retailerId)
                .setParameter("status", status)
                .setParameter("after", afterId)
                .setParameter("n", limit)
                .getResultList()
                .map(rows -> rows.stream().map(Listings::change).toList()));
    }

    /**
     * Approves (the new price goes live and is pushed) or rejects (the listing keeps its price) a waiting re-price.
     * Only a PENDING change can be decided; deciding it again answers 409.
     */
    public Uni<PriceChange> decide(String retailerId, long id, boolean approve, String who) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update listing_price_change set status = :status,"
                                        + " decided_at = now(), decided_by = :who where id = :id and retailer_id = :retailerId and status = 'PENDING'"
                                        + " returning listing_id, new_price, new_cost",
                                Object[].class)
                        .setParameter("status", approve ? "APPROVED" : "REJECTED")
                        .setParameter("who", who)
                        .setParameter("id", id)
                        .setParameter("retailerId", retailerId)
                        .getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                return s.createNativeQuery(
                                                "select status from listing_price_change where id = :id and retailer_id = :retailerId",
                                                String.class)
                                        .setParameter("id", id)
                                        .setParameter("retailerId", retailerId)
                                        .getResultList()
                                        .invoke(found -> {
                                            throw found.isEmpty()
                                                    ? ProblemException.notFound("price change " + id)
                                                    : ProblemException.conflict("price change " + id + " is "
                                                            + found.get(0) + ", not PENDING");
                                        })
                                        .replaceWithVoid();
                            }
                            if (!approve) {
                                return Uni.createFrom().voidItem();
                            }
                            Object[] row = rows.get(0);
                            return s.createSelectionQuery(
                                            "from Listing l left join fetch l.offers where l.id = :id", Listing.class)
                                    .setParameter("id", row[0])
                                    .getSingleResult()
                                    .chain(listing -> facts(
                                                    s, listing.offers.get(0).supplierId, listing.offers.get(0).sku)
                                            .chain(primary -> {
                                                listing.retailPrice = (BigDecimal) row[1];
                                                listing.landedCost = (BigDecimal) row[2];
                                                if (listing.fixedPrice != null) {
                                                    listing.fixedPrice =
                                                            listing.retailPrice; // the retailer fixed the proposed
                                                    // price
                                                }
                                                listing.compareAtPrice =
                                                        PricingRule.compareAt(primary.msrp(), listing.retailPrice);
                                                listing.updatedAt = Instant.now();
                                                return s.flush().chain(() -> publish(s, listing, primary));
                                            }));
                        }))
                .chain(() ->
                        sessions.withSession(s -> s.createNativeQuery(CHANGES + " where c.id = :id", Object[].class)
                                .setParameter("id", id)
                                .getSingleResult()
                                .map(Listings::change)));
    }

    /** A price change with its listing's SKU, in the order {@link #change} reads it. */
    private static final String CHANGES =
            "select c.id, c.listing_id, l.sku, c.old_price, c.new_price, c.old_cost, c.new_cost,"
                    + " c.change_percent, c.reason, c.status, c.created_at, c.decided_at, c.decided_by"
                    + " from listing_price_change c join listing l on l.id = c.listing_id";

    private static PriceChange change(Object[] r) {
        return new PriceChange(
                ((Number) r[0]).longValue(),
                (String) r[1],
                (String) r[2],
                (BigDecimal) r[3],
                (BigDecimal) r[4],
                (BigDecimal) r[5],
                (BigDecimal) r[6],
                (BigDecimal) r[7],
                (String) r[8],
                (String) r[9],
                instant(r[10]),
                instant(r[11]),
                (String) r[12]);
    }

    private static Listing newListing(String retailerId, String sku) {
        Listing listing = new Listing();
        listing.id = "lst-" + Long.toString(Math.abs(RANDOM.nextLong()), 36);
        listing.retailerId = retailerId;
        listing.sku = sku;
        listing.createdAt = Instant.now();
        return listing;
    }

    private static void setOffers(Listing listing, List<OfferRef> offers) {
        for (int i = 0; i < offers.size(); i++) {
            ListingOffer offer = new ListingOffer();
            offer.key = new ListingOffer.Key(listing.id, i);
            offer.listing = listing;
            offer.supplierId = offers.get(i).supplierId();
            offer.sku = offers.get(i).sku();
            listing.offers.add(offer);
        }
    }

    private static void price(Listing listing, PricingRule.Quote quote, String currency) {
        listing.retailPrice = quote.price();
        listing.compareAtPrice = quote.compareAtPrice();
        listing.landedCost = quote.landedCost();
        listing.currency = currency;
    }

    private static boolean sameMoney(BigDecimal a, BigDecimal b) {
        return Repricing.sameMoney(a, b);
    }

    private static ImportOutcome rejected(ImportItem item, String listingSku, String reason) {
        return new ImportOutcome(
                item.supplierId(), item.sku(), listingSku, null, "REJECTED", null, null, null, List.of(), reason);
    }

    private static ImportOutcome outcome(ImportItem item, Listing l, String result, PricingRule.Quote quote) {
        return new ImportOutcome(
                item.supplierId(),
                item.sku(),
                l.sku,
                l.id,
                result,
                l.retailPrice,
                l.compareAtPrice,
                l.currency,
                quote.steps(),
                null);
    }

    private static Uni<Listing> find(Mutiny.Session s, String retailerId, String sku) {
        return s.createSelectionQuery(
                        "from Listing l left join fetch l.offers where l.retailerId = :r and l.sku = :sku",
                        Listing.class)
                .setParameter("r", retailerId)
                .setParameter("sku", sku)
                .getSingleResultOrNull();
    }

    private Uni<ProductFacts> facts(Mutiny.Session s, String supplierId, String sku) {
        return factsOrNull(s, supplierId, sku).invoke(f -> {
            if (f == null) {
                throw ProblemException.badRequest("unknown supplier product " + supplierId + ":" + sku);
            }
        });
    }

    /** The product columns {@link #facts(Object[])} reads, the product as {@code p} and its supplier as {@code s}. */
    private static final String FACTS =
            "p.title, p.description, p.wholesale_price, p.shipping_cost, p.currency, p.status,"
                    + " p.msrp, p.map_price, cast(p.images as text), s.status";

    private Uni<ProductFacts> factsOrNull(Mutiny.Session s, String supplierId, String sku) {
        return s.createNativeQuery(
                        "select " + FACTS + " from supplier_product p"
                                + " join supplier s on s.id = p.supplier_id where p.supplier_id = :supplierId and p.sku = :sku",
                        Object[].class)
                .setParameter("supplierId", supplierId)
                .setParameter("sku", sku)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : facts(rows.get(0)));
    }

    private ProductFacts facts(Object[] r) {
        List<String> images;
        try {
            images = mapper.readValue((String) r[8], new TypeReference<List<String>>() {});
        } catch (Exception e) {
            images = List.of();
        }
        return new ProductFacts(
                (String) r[0],
                (String) r[1],
                (BigDecimal) r[2],
                (BigDecimal) r[3],
                String.valueOf(r[4]),
                (String) r[5],
                (BigDecimal) r[6],
                (BigDecimal) r[7],
                images,
                (String) r[9]);
    }

    /** Each offer's product, in order; every one must exist. */
    private Uni<List<ProductFacts>> offerFacts(Mutiny.Session s, List<OfferRef> offers) {
        List<String> missing = new ArrayList<>();
        // One session runs one operation at a time: the look-ups go one after the other.
        return Multi.createFrom()
                .iterable(offers)
                .onItem()
                .transformToUniAndConcatenate(o -> factsOrNull(s, o.supplierId(), o.sku())
                        .invoke(found -> {
                            if (found == null) {
                                missing.add(o.supplierId() + ":" + o.sku());
                            }
                        }))
                .collect()
                .asList()
                .invoke(found -> {
                    if (!missing.isEmpty()) {
                        throw ProblemException.badRequest("unknown supplier products: " + String.join(", ", missing));
                    }
                });
    }

    private Uni<Void> publish(Mutiny.Session s, Listing l, ProductFacts primary) {
        return outbox.publish(s, CatalogEvents.ListingChanged.TOPIC, l.id, changed(l, primary))
                .replaceWithVoid();
    }

    static CatalogEvents.ListingChanged changed(Listing l, ProductFacts primary) {
        return new CatalogEvents.ListingChanged(
                l.id,
                l.retailerId,
                l.sku,
                l.title,
                l.status,
                l.offers.stream()
                        .map(o -> new CatalogEvents.ListingChanged.Offer(
                                o.supplierId + ":" + o.sku, o.supplierId, o.sku, o.key.priority()))
                        .toList(),
                l.storeId,
                l.retailPrice,
                l.compareAtPrice,
                l.currency,
                primary == null ? null : primary.description(),
                primary == null ? List.of() : primary.images(),
                l.updatedAt);
    }
}
