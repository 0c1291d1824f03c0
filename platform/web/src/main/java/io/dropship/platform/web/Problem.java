package io.dropship.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem detail, the body of every error the fleet's HTTP APIs answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record Violation(String field, String message) {}

    /** Every problem type is a URN of this form, its last part a stable name a client can branch on. */
    public static final String TYPE_PREFIX = "urn:dropship:problem:";

    public static Problem of(int status, String title, String detail) {
        return new Problem(typeFor(status), title, status, detail, null, null);
    }

    /** A problem of a type more specific than its status (see {@link #typeFor}). */
    public static Problem of(String type, int status, String title, String detail) {
        return new Problem(type(type), title, status, detail, null, null);
    }

    public static String type(String name) {
        return TYPE_PREFIX + name;
    }

    /**
     * The type of a problem nothing more specific is said of: one per status. More specific types are named where
     * they are raised (validation-failed, concurrent-change, retailer-suspended, rate-limited, account-locked...);
     * README "API conventions" lists them all.
     */
    public static String typeFor(int status) {
        return type(
                switch (status) {
                    case 400 -> "bad-request";
                    case 401 -> "unauthenticated";
                    case 403 -> "forbidden";
                    case 404 -> "not-found";
                    case 405 -> "method-not-allowed";
                    case 406 -> "not-acceptable";
                    case 409 -> "conflict";
                    case 410 -> "gone";
                    case 412 -> "precondition-failed";
                    case 413 -> "content-too-large";
                    case 415 -> "unsupported-media-type";
                    case 422 -> "unprocessable";
                    case 429 -> "rate-limited";
                    case 502 -> "bad-gateway";
                    case 503 -> "unavailable";
                    default -> status >= 500 ? "internal" : "http-" + status;
                });
    }
}
