package io.dropship.settlement.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Set;

/**
 * How an amount of a currency is written to Stripe, which counts in each currency's minor unit
 * (https://docs.stripe.com/currencies): 1 JPY is {@code 1}, 1 USD is {@code 100}, 1 KWD is {@code 1000}.
 * Stripe's table, not ISO 4217's, decides, because the two differ (UGX and ISK).
 *
 * <p>The platform computes amounts at the {@link #scale} a currency can be charged in: whole units for zero-decimal
 * currencies and ISK (Stripe takes ISK with two decimals that must be 00), cents for the three-decimal currencies
 * (Stripe wants their last digit 0), cents for the rest. A fee or refund share is rounded to that scale once, so
 * that no amount sent to Stripe ever has to be rounded again.
 */
public final class CurrencyUnits {

    private static final Set<String> ZERO_DECIMAL = Set.of(
            "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF",
            "XPF");
    private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");
    private static final String WHOLE_UNITS_IN_TWO_DECIMALS = "ISK";

    private CurrencyUnits() {}

    /** Decimal places of the unit Stripe counts in: 0, 2 or 3. */
    public static int minorDigits(String currency) {
        String c = code(currency);
        return ZERO_DECIMAL.contains(c) ? 0 : THREE_DECIMAL.contains(c) ? 3 : 2;
    }

    /** Decimal places an amount in this currency may have to be charged, paid out or refunded. */
    public static int scale(String currency) {
        String c = code(currency);
        return ZERO_DECIMAL.contains(c) || c.equals(WHOLE_UNITS_IN_TWO_DECIMALS) ? 0 : 2;
    }

    /** Rounds half-up to what the currency can be charged in. */
    public static BigDecimal round(String currency, BigDecimal amount) {
        return amount.setScale(scale(currency), RoundingMode.HALF_UP);
    }

    /**
     * The amount in Stripe's minor units. An amount the currency cannot be charged in (a fraction of a yen, a tenth of
     * a cent) is an error here, not a silent rounding: it means a rounding was missed upstream.
     */
    public static long toMinor(String currency, BigDecimal amount) {
        BigDecimal exact;
        try {
            exact = amount.setScale(scale(currency), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    amount.toPlainString() + " " + code(currency) + " cannot be charged: the currency takes "
                            + scale(currency) + " decimal places",
                    e);
        }
        return exact.movePointRight(minorDigits(currency)).longValueExact();
    }

    /** An amount Stripe reported in minor units, as an amount of the currency. */
    public static BigDecimal fromMinor(String currency, long minor) {
        return BigDecimal.valueOf(minor, minorDigits(currency));
    }

    /** Whether Stripe takes the code (ISO 4217, three letters). */
    public static boolean valid(String currency) {
        return currency != null && currency.matches("[A-Za-z]{3}");
    }

    private static String code(String currency) {
        if (!valid(currency)) {
            throw new IllegalArgumentException("not a currency code: " + currency);
        }
        return currency.toUpperCase(Locale.ROOT);
    }
}
