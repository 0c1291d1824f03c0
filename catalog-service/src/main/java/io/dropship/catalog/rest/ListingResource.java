package io.dropship.catalog.rest;

import io.dropship.catalog.repository.Listing;
import io.dropship.catalog.service.CatalogBook;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

import java.time.Instant;
import java.util.List;

/** A retailer's listings: what its store sells, and which supplier offers stand behind each. */
@Path("/api/listings")
@Tag(name = "Listings")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RETAILER)
public class ListingResource {

    public record Offer(@NotBlank @Size(max = 40) String supplierId, @NotBlank @Size(max = 100) String sku) {
    }

    public record ListingRequest(@NotBlank @Size(max = 300) String title,
                                 @NotEmpty @Size(max = 10) List<@Valid @NotNull Offer> offers) {
    }

    public record ListingView(String listingId, String sku, String title, String status, List<Offer> offers,
                              Instant updatedAt) {
        static ListingView of(Listing l) {
            return new ListingView(l.id, l.sku, l.title, l.status,
                    l.offers.stream().map(o -> new Offer(o.supplierId, o.sku)).toList(), l.updatedAt);
        }
    }

    private final CatalogBook catalog;
    private final Caller caller;

    public ListingResource(CatalogBook catalog, Caller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @PUT
    @Path("{sku}")
    @Operation(summary = "List one of the store's SKUs: the first offer is the primary supplier, the rest are backups in order")
    public Uni<ListingView> put(@PathParam("sku") @Pattern(regexp = "[A-Za-z0-9._/-]{1,100}") String sku,
                                @Valid @NotNull ListingRequest request) {
        return catalog.putListing(caller.retailerId(), sku, request.title(),
                request.offers().stream().map(o -> new CatalogBook.OfferRef(o.supplierId(), o.sku())).toList())
                .map(ListingView::of);
    }

    @GET
    @Operation(summary = "The retailer's listings")
    public Uni<List<ListingView>> list() {
        return catalog.listings(caller.retailerId()).map(l -> l.stream().map(ListingView::of).toList());
    }
}
