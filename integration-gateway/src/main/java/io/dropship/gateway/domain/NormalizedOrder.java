package io.dropship.gateway.domain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * A store order in the platform's own shape, whichever store it came from. Custom stores post it as is;
 * the Shopify and WooCommerce webhooks are translated into it.
 */
public record NormalizedOrder(
        @NotBlank @Size(max = 100) String storeOrderId,
        @Size(max = 100) String storeId,

        @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD")
        String currency,

        @Size(max = 200) String customerEmail,
        @NotEmpty @Size(max = 250) List<@Valid @NotNull Line> lines,
        @NotNull @Valid Address shippingAddress,
        @Valid Totals totals) {

    public record Line(
            @NotBlank @Size(max = 100) String lineId,
            @Size(max = 100) String listingId,
            @Size(max = 100) String storeProductId,
            @Size(max = 100) String storeVariantId,
            @NotBlank @Size(max = 100) String sku,
            @Size(max = 300) String title,
            @Min(1) @Max(10_000) int quantity,

            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 4)
            BigDecimal retailPrice) {}

    public record Totals(
            @DecimalMin("0.00") @Digits(integer = 12, fraction = 4)
            BigDecimal subtotal,

            @DecimalMin("0.00") @Digits(integer = 12, fraction = 4)
            BigDecimal shipping,

            @DecimalMin("0.00") @Digits(integer = 12, fraction = 4)
            BigDecimal tax,

            @DecimalMin("0.00") @Digits(integer = 12, fraction = 4)
            BigDecimal discount,

            @DecimalMin("0.00") @Digits(integer = 12, fraction = 4)
            BigDecimal total) {}

    /** The totals as given, with what the store left out derived from the lines. */
    public Totals completeTotals() {
        BigDecimal lineSum = lines.stream()
                .map(l -> l.retailPrice().multiply(BigDecimal.valueOf(l.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        Totals t = totals == null ? new Totals(null, null, null, null, null) : totals;
        BigDecimal subtotal = t.subtotal() != null ? t.subtotal() : lineSum;
        BigDecimal shipping = t.shipping() != null ? t.shipping() : BigDecimal.ZERO;
        BigDecimal tax = t.tax() != null ? t.tax() : BigDecimal.ZERO;
        BigDecimal discount = t.discount() != null ? t.discount() : BigDecimal.ZERO;
        BigDecimal total =
                t.total() != null ? t.total() : subtotal.add(shipping).add(tax).subtract(discount);
        return new Totals(subtotal, shipping, tax, discount, total);
    }
}
