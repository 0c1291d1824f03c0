package io.dropship.testkit;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** The service's management interface in tests: health, metrics and the OpenAPI document, on a port of their own. */
public final class Management {

    private Management() {}

    public static int port() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(9001);
    }

    public static RequestSpecification given() {
        return io.restassured.RestAssured.given().port(port());
    }
}
