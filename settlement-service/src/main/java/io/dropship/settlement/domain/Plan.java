package io.dropship.settlement.domain;

public enum Plan {
    BASIC,
    PRO,
    ENTERPRISE
}
