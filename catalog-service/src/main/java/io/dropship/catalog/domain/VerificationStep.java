package io.dropship.catalog.domain;

/** The checks an admin completes before a supplier is approved. */
public enum VerificationStep {
    /** The company exists: registration certificate or trade register extract. */
    BUSINESS_REGISTRATION,
    /** A valid VAT / sales-tax / EIN number. */
    TAX_ID,
    /** A bank or Stripe account that payouts can go to. */
    PAYOUT_ACCOUNT,
    /** A sample order arrived as described, packed and on time. */
    PRODUCT_SAMPLE
}
