package io.dropship.platform.web;

/** The roles a JWT's groups claim may carry. */
public final class Roles {

    public static final String ADMIN = "ADMIN";
    public static final String SUPPORT = "SUPPORT";
    public static final String SUPPLIER = "SUPPLIER";
    public static final String RETAILER = "RETAILER";

    /** Claim naming the supplier a SUPPLIER token acts for. */
    public static final String SUPPLIER_CLAIM = "supplier_id";
    /** Claim naming the retailer a RETAILER token acts for. */
    public static final String RETAILER_CLAIM = "retailer_id";

    private Roles() {}
}
