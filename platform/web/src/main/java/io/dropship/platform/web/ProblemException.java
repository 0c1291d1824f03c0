package io.dropship.platform.web;

/** Ends a request with a problem-JSON answer: the status, a short title and a detail for the caller. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final Long retryAfterSeconds;
    private String type;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    /** With a Retry-After header saying when the same request may succeed (429, 503). */
    public ProblemException(int status, String title, String detail, Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
        this.type = Problem.typeFor(status);
    }

    /** Names the problem more specifically than its status does ({@link Problem#typeFor}), for clients to branch on. */
    public ProblemException type(String name) {
        this.type = Problem.type(name);
        return this;
    }

    public String type() {
        return type;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "Not Found", what + " does not exist or is not yours");
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
