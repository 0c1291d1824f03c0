package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.FeeSchedule;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.entity.FeeRule;
import io.dropship.settlement.service.FeeRules;
import io.dropship.settlement.service.FeeRules.ListingFee;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/fee-rules")
@Tag(name = "Fee rules")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FeeRuleResource {

    /**
     * A plan's fee. fixedFee: in the rule's currency; fixedFees: the fixed fee in each currency that has one (a
     * supplier order in a currency without one pays the percentage alone).
     */
    public record FeeRuleView(
            Plan plan,
            BigDecimal fixedFee,
            BigDecimal percent,
            Integer monthlyOrderLimit,
            String currency,
            java.util.Map<String, BigDecimal> fixedFees,
            BigDecimal monthlyPrice,
            Integer supplierLimit,
            String overLimit,
            int trialDays,
            Instant updatedAt,
            String updatedBy) {
        static FeeRuleView of(FeeRule r) {
            return new FeeRuleView(
                    r.plan,
                    r.fixedFee,
                    r.percent,
                    r.monthlyOrderLimit,
                    r.currency,
                    r.fixedFees,
                    r.monthlyPrice,
                    r.supplierLimit,
                    r.overLimit,
                    r.trialDays,
                    r.updatedAt,
                    r.updatedBy);
        }
    }

    public record FeeRuleChange(
            @NotNull @DecimalMin("0.00") @Digits(integer = 8, fraction = 2)
            BigDecimal fixedFee,

            @NotNull @DecimalMin("0.000") @DecimalMax("100.000") @Digits(integer = 3, fraction = 3)
            BigDecimal percent,

            @Min(1) Integer monthlyOrderLimit,

            @jakarta.validation.constraints.Size(max = 50)
            java.util.Map<
                            @Pattern(regexp = "[A-Z]{3}", message = "is an ISO 4217 code such as EUR") String,
                            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 3) BigDecimal>
                    fixedFees,

            @DecimalMin("0.00") @Digits(integer = 8, fraction = 2)
            BigDecimal monthlyPrice,

            @Min(0) Integer supplierLimit,

            @Pattern(regexp = "HOLD|OVERAGE", message = "is HOLD or OVERAGE")
            String overLimit,

            @Min(0) @jakarta.validation.constraints.Max(730) Integer trialDays) {}

    public record Quote(
            Plan plan,
            BigDecimal wholesale,
            BigDecimal shipping,
            BigDecimal platformFee,
            BigDecimal retailerCharge,
            BigDecimal supplierPayout) {}

    public record ListingFeeChange(
            @NotNull @DecimalMin("0.000") @DecimalMax("100.000") @Digits(integer = 3, fraction = 3)
            BigDecimal percent) {}

    private final FeeRules rules;
    private final Caller caller;

    public FeeRuleResource(FeeRules rules, Caller caller) {
        this.rules = rules;
        this.caller = caller;
    }

    @GET
    @Path("featured-listing")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The featured listing fee: the share of a featured supplier's payout the platform keeps")
    public Uni<ListingFee> listingFee() {
        return rules.listingFee();
    }

    @PUT
    @Path("featured-listing")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Set the featured listing fee (0 for none)",
            description =
                    "While an admin features a supplier in the directory, each of its supplier orders invoiced then"
                            + " pays the platform this percentage of its wholesale and shipping out of the supplier's payout. The"
                            + " retailer's charge does not change.")
    public Uni<ListingFee> changeListingFee(@Valid @NotNull ListingFeeChange change) {
        return rules.changeListingFee(change.percent(), caller.name());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The fee rule of every plan")
    public Uni<Page<FeeRuleView>> all(
            @jakarta.ws.rs.QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("100")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(500)
                    int limit,
            @jakarta.ws.rs.QueryParam("cursor") String cursor) {
        return rules.all().map(l -> Page.slice(l.stream().map(FeeRuleView::of).toList(), limit, cursor));
    }

    @PUT
    @Path("{plan}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Change a plan: its fee (a fixed amount per supplier order plus a percentage), its limits, its"
                    + " monthly price and trial",
            description =
                    "fixedFee is in the rule's currency; fixedFees sets the fixed fee in other currencies, each an"
                            + " amount the currency can be charged in (0 for none). A supplier order in a currency with no fixed"
                            + " fee pays the percentage alone. monthlyOrderLimit absent: unlimited. monthlyPrice, supplierLimit"
                            + " (0: unlimited), overLimit (HOLD: an order past the monthly limit waits; OVERAGE: it is invoiced"
                            + " at the BASIC fee) and trialDays keep their values when absent. A new monthlyPrice is a new Stripe"
                            + " price for new subscriptions and plan changes; subscriptions already on the plan keep theirs.")
    public Uni<FeeRuleView> change(@PathParam("plan") Plan plan, @Valid @NotNull FeeRuleChange change) {
        return rules.change(
                        plan,
                        change.fixedFee(),
                        change.percent(),
                        change.monthlyOrderLimit(),
                        change.fixedFees(),
                        new FeeRules.PlanTerms(
                                change.monthlyPrice(), change.supplierLimit(), change.overLimit(), change.trialDays()),
                        caller.name())
                .map(FeeRuleView::of);
    }

    @GET
    @Path("{plan}/quote")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "What a supplier order of this wholesale and shipping cost would charge, pay out and keep")
    public Uni<Quote> quote(
            @PathParam("plan") Plan plan,
            @QueryParam("wholesale") @NotNull @DecimalMin("0.00") BigDecimal wholesale,
            @QueryParam("shipping") @DecimalMin("0.00") BigDecimal shipping,
            @QueryParam("currency") @Pattern(regexp = "[A-Z]{3}", message = "is an ISO 4217 code such as USD")
                    String currency) {
        BigDecimal ship = shipping == null ? BigDecimal.ZERO : shipping;
        return rules.get(plan).map(rule -> {
            String in = currency == null ? rule.currency : currency;
            FeeSchedule.Split split = rule.schedule(in).split(in, wholesale, ship);
            return new Quote(
                    plan, wholesale, ship, split.platformFee(), split.retailerCharge(), split.supplierPayout());
        });
    }
}
