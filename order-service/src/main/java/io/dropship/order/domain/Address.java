package io.dropship.order.domain;

public record Address(
        String name,
        String company,
        String line1,
        String line2,
        String city,
        String region,
        String postalCode,
        String country,
        String phone,
        String email) {}
