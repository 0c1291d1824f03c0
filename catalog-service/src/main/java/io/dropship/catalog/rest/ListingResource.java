package io.dropship.catalog.rest;

import io.dropship.catalog.entity.Listing;
import io.dropship.catalog.listings.Listings;
import io.dropship.catalog.listings.PricingRules;
import io.dropship.catalog.pricing.PricingRule;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A retailer's listings: what its store sells, which supplier offers stand behind each, the price its pricing rule
 * sets, and the re-prices waiting for its approval.
 */
@Path("/api/listings")
@Tag(name = "Listings")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RETAILER)
public class ListingResource {

    static final String SKU = "[A-Za-z0-9._/-]{1,100}";
    static final String STORE_ID = "[A-Za-z0-9_-]{1,40}";
    public static final int MAX_IMPORT = 250;

    public record Offer(
            @NotBlank @Size(max = 40) String supplierId,
            @NotBlank @Size(max = 100) String sku) {}

    public record ListingRequest(
            @NotBlank @Size(max = 300) String title,
            @NotEmpty @Size(max = 10) List<@Valid @NotNull Offer> offers,

            @Schema(description = "the connected store to sell it in; the gateway creates the product there")
            @Pattern(regexp = STORE_ID)
            String storeId) {}

    /** pricedBy: FIXED (fixedPrice), LISTING_RULE (ownRule) or RETAILER_RULE (the retailer's general rule). */
    public record ListingView(
            String listingId,
            String sku,
            String title,
            String status,
            List<Offer> offers,
            String storeId,
            BigDecimal price,
            BigDecimal compareAtPrice,
            String currency,
            BigDecimal landedCost,
            String pricedBy,
            BigDecimal fixedPrice,
            PricingRule ownRule,
            Instant updatedAt) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static ListingView of(Listing l) {
            PricingRule own;
            try {
                own = l.ownRule == null ? null : JSON.readValue(l.ownRule, PricingRule.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("listing " + l.id + " keeps a rule that is not one", e);
            }
            return new ListingView(
                    l.id,
                    l.sku,
                    l.title,
                    l.status,
                    l.offers.stream().map(o -> new Offer(o.supplierId, o.sku)).toList(),
                    l.storeId,
                    l.retailPrice,
                    l.compareAtPrice,
                    l.currency,
                    l.landedCost,
                    l.fixedPrice != null ? "FIXED" : own != null ? "LISTING_RULE" : "RETAILER_RULE",
                    l.fixedPrice,
                    own,
                    l.updatedAt);
        }
    }

    /** A listing's own price: a fixed price or a rule of its own, exactly one. */
    public record OwnPriceRequest(
            @Schema(
                    description =
                            "the price the store shows, whatever the cost (within MAP, MSRP and the minimum margin)")
            @DecimalMin("0.01")
            @Digits(integer = 10, fraction = 2)
            BigDecimal fixedPrice,

            @Schema(
                    description =
                            "a pricing rule for this listing only, within the general rule's MAP, MSRP and minimum margin")
            @Valid
            RuleRequest rule) {}

    public record ImportProduct(
            @NotBlank @Size(max = 40) String supplierId,
            @NotBlank @Pattern(regexp = SKU) String sku,

            @Schema(description = "the SKU the store sells it under; default: the supplier's SKU")
            @Pattern(regexp = SKU)
            String listingSku,

            @Schema(description = "the title in the store; default: the product's") @Size(min = 1, max = 300)
            String title) {}

    public record ImportRequest(
            @NotNull @Pattern(regexp = STORE_ID) String storeId,
            @NotEmpty @Size(max = MAX_IMPORT) List<@Valid @NotNull ImportProduct> products) {}

    public record ImportReport(
            String storeId,
            int created,
            int updated,
            int unchanged,
            int rejected,
            List<Listings.ImportOutcome> items) {}

    public record RuleRequest(
            @NotNull PricingRule.Method method,

            @Schema(description = "percent for MARKUP_PERCENT, money for FIXED_AMOUNT, factor for MULTIPLIER")
            @NotNull
            @DecimalMin("0")
            @Digits(integer = 6, fraction = 4)
            BigDecimal amount,

            @DecimalMin("0") @DecimalMax("95") @Digits(integer = 2, fraction = 2)
            BigDecimal minMarginPercent,

            Boolean capAtMsrp,
            Boolean respectMap,

            @Schema(description = "the cents every price ends in, rounding up: 0.99, 0.95, 0.00; null keeps the cents")
            @DecimalMin("0.00")
            @DecimalMax("0.99")
            @Digits(integer = 0, fraction = 2)
            BigDecimal priceEnding,

            @DecimalMin("0") @DecimalMax("1000") @Digits(integer = 4, fraction = 2)
            BigDecimal tolerancePercent) {
        PricingRule rule() {
            return new PricingRule(
                    method,
                    amount,
                    minMarginPercent,
                    capAtMsrp == null || capAtMsrp,
                    respectMap == null || respectMap,
                    priceEnding,
                    tolerancePercent == null ? PricingRule.DEFAULT.tolerancePercent() : tolerancePercent);
        }
    }

    private final Listings listings;
    private final PricingRules rules;
    private final Caller caller;
    private final io.dropship.catalog.recommendations.Recommendations recommendations;
    private final io.dropship.catalog.categories.Categories categories;

    public ListingResource(
            Listings listings,
            PricingRules rules,
            Caller caller,
            io.dropship.catalog.recommendations.Recommendations recommendations,
            io.dropship.catalog.categories.Categories categories) {
        this.recommendations = recommendations;
        this.categories = categories;
        this.listings = listings;
        this.rules = rules;
        this.caller = caller;
    }

    @PUT
    @Path("{sku}")
    @Operation(
            summary =
                    "List one of the store's SKUs: the first offer is the primary supplier, the rest are backups in order",
            description =
                    "The price comes from the retailer's pricing rule on the primary offer; 409 when the rule cannot price it.")
    public Uni<ListingView> put(
            @PathParam("sku") @Pattern(regexp = SKU) String sku, @Valid @NotNull ListingRequest request) {
        return listings.putListing(
                        caller.retailerId(),
                        sku,
                        request.title(),
                        request.offers().stream()
                                .map(o -> new Listings.OfferRef(o.supplierId(), o.sku()))
                                .toList(),
                        request.storeId())
                .map(ListingView::of);
    }

    @GET
    @Operation(summary = "The retailer's listings by SKU, a page at a time")
    public Uni<Page<ListingView>> list(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        return listings.listings(caller.retailerId(), Cursors.after(cursor), limit + 1)
                .map(l -> Page.of(l.stream().map(ListingView::of).toList(), limit, v -> new Object[] {v.sku()}));
    }

    @POST
    @Path("imports")
    @Operation(
            summary = "List up to 250 supplier products in one of the retailer's stores in one request",
            description =
                    "Each product is priced by the retailer's rule and published for the gateway to create in the store;"
                            + " one that cannot be listed (unknown, discontinued, an inactive supplier, a price the rule cannot set,"
                            + " a store SKU taken by another store) is REJECTED with the reason, and the others are listed.")
    public Uni<ImportReport> importProducts(@Valid @NotNull ImportRequest request) {
        Set<String> skus = new HashSet<>();
        for (ImportProduct p : request.products()) {
            String listingSku = p.listingSku() != null ? p.listingSku() : p.sku();
            if (!skus.add(listingSku)) {
                throw ProblemException.badRequest("store SKU " + listingSku + " is named twice in one import");
            }
        }
        return listings.importToStore(
                        caller.retailerId(),
                        request.storeId(),
                        request.products().stream()
                                .map(p -> new Listings.ImportItem(p.supplierId(), p.sku(), p.listingSku(), p.title()))
                                .toList())
                .map(items -> new ImportReport(
                        request.storeId(),
                        count(items, "CREATED"),
                        count(items, "UPDATED"),
                        count(items, "UNCHANGED"),
                        count(items, "REJECTED"),
                        items));
    }

    private static int count(List<Listings.ImportOutcome> items, String result) {
        return (int) items.stream().filter(i -> i.result().equals(result)).count();
    }

    @PUT
    @Path("{sku}/pricing")
    @Operation(
            summary = "Give one listing a price of its own: a fixed price or its own rule, over the general rule",
            description =
                    "Exactly one of fixedPrice and rule. The listing is re-priced at once and the store told. The "
                            + "general rule's guards still apply: a fixed price must cover the landed cost, not go below the "
                            + "supplier's MAP (when MAP is respected) or above its MSRP (when capped), and leave the minimum margin; "
                            + "a listing rule takes the stricter of its own guards and the general ones. 409 with the reason when "
                            + "they refuse it; nothing changes then. A later cost change that takes a fixed price below them "
                            + "proposes the least price they allow in GET /api/listings/price-changes.")
    public Uni<ListingView> ownPrice(
            @PathParam("sku") @Pattern(regexp = SKU) String sku, @Valid @NotNull OwnPriceRequest request) {
        if ((request.fixedPrice() == null) == (request.rule() == null)) {
            throw io.dropship.platform.web.ProblemException.badRequest("give exactly one of fixedPrice and rule");
        }
        return listings.ownPrice(
                        caller.retailerId(),
                        sku,
                        request.fixedPrice(),
                        request.rule() == null ? null : request.rule().rule())
                .map(ListingView::of);
    }

    @jakarta.ws.rs.DELETE
    @Path("{sku}/pricing")
    @Operation(summary = "Price the listing by the retailer's general rule again (409 when that rule cannot price it)")
    public Uni<ListingView> generalPrice(@PathParam("sku") @Pattern(regexp = SKU) String sku) {
        return listings.ownPrice(caller.retailerId(), sku, null, null).map(ListingView::of);
    }

    @GET
    @Path("recommendations")
    @Operation(
            summary = "Supplier products worth adding to the retailer's stores, best first, each with its reasons",
            description =
                    "Ranked by what sells across the platform (units in the last 30 days), the margin the retailer's "
                            + "pricing rule gives, how its category fits what the retailer sells, and its supplier's rating. "
                            + "Products the retailer lists already, or that its rule cannot price, are left out. categoryId: only "
                            + "that category and its sub-categories.")
    public Uni<List<io.dropship.catalog.recommendations.Recommendations.Recommendation>> recommendations(
            @QueryParam("categoryId") @Min(1) Long categoryId,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        Uni<String> path = categoryId == null
                ? Uni.createFrom().nullItem()
                : categories.get(categoryId).map(io.dropship.catalog.categories.Categories.Category::path);
        return path.chain(p -> recommendations.forRetailer(caller.retailerId(), p, limit));
    }

    @GET
    @Path("pricing-rule")
    @Operation(summary = "The retailer's pricing rule (the default until it sets one)")
    public Uni<PricingRule> rule() {
        return rules.rule(caller.retailerId());
    }

    @PUT
    @Path("pricing-rule")
    @Operation(
            summary = "Set the retailer's pricing rule",
            description =
                    "Price = method on landed cost (wholesale + shipping), raised to the minimum margin, rounded up to the"
                            + " ending, raised to the supplier's MAP, capped at its MSRP. It prices new listings and later re-prices.")
    public Uni<PricingRule> putRule(@Valid @NotNull RuleRequest request) {
        return rules.put(caller.retailerId(), request.rule());
    }

    @GET
    @Path("price-changes")
    @Operation(summary = "Re-prices of the retailer's listings, oldest first; status=PENDING for those waiting for it")
    public Uni<Page<Listings.PriceChange>> priceChanges(
            @QueryParam("status") @Pattern(regexp = "PENDING|APPROVED|REJECTED|SUPERSEDED") String status,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        Long after = Cursors.after(cursor, Long::parseLong);
        return listings.priceChanges(caller.retailerId(), status, after == null ? 0 : after, limit + 1)
                .map(items -> Page.of(items, limit, c -> new Object[] {c.id()}));
    }

    @POST
    @Path("price-changes/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Approve a waiting re-price: the new price goes live and is pushed to the store")
    public Uni<Listings.PriceChange> approve(@PathParam("id") long id) {
        return listings.decide(caller.retailerId(), id, true, caller.name());
    }

    @POST
    @Path("price-changes/{id}/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Reject a waiting re-price: the listing keeps its price")
    public Uni<Listings.PriceChange> reject(@PathParam("id") long id) {
        return listings.decide(caller.retailerId(), id, false, caller.name());
    }
}
