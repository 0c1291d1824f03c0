package io.dropship.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers: every error is problem JSON (RFC 9457), and a
 * failure we did not expect is logged in full but answered without internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response answer = answer(new Problem(e.type(), e.title(), e.status(), e.getMessage(), path(uri), null));
        return e.retryAfterSeconds() == null
                ? answer
                : Response.fromResponse(answer)
                        .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
                        .build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v.getPropertyPath()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return answer(new Problem(
                Problem.type("validation-failed"),
                "Bad Request",
                400,
                "the request is not valid",
                path(uri),
                violations));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return answer(new Problem(
                Problem.typeFor(400),
                "Bad Request",
                400,
                "the body is not valid JSON for this request: " + e.getOriginalMessage(),
                path(uri),
                null));
    }

    /** Wrong types and unknown enum values; more specific than Quarkus's own mapper, which is not problem JSON. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("body");
        return answer(new Problem(
                Problem.typeFor(400),
                "Bad Request",
                400,
                "the body does not fit this request at '" + field + "': " + e.getOriginalMessage(),
                path(uri),
                List.of(new Problem.Violation(field, e.getOriginalMessage()))));
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return answer(new Problem(
                Problem.typeFor(401), "Unauthorized", 401, "a valid bearer token is required", path(uri), null));
    }

    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e, UriInfo uri) {
        return answer(new Problem(
                Problem.typeFor(401), "Unauthorized", 401, "the bearer token is not valid", path(uri), null));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return answer(
                new Problem(Problem.typeFor(403), "Forbidden", 403, "your role may not do this", path(uri), null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        String badQuery = badQueryParameter(e, uri);
        if (badQuery != null) {
            // JAX-RS answers a query parameter it cannot convert (size=ten, status=LOST) 404, as if the resource were
            // missing; the resource is there, the request is wrong.
            boolean named = !badQuery.equals("a query parameter");
            return answer(new Problem(
                    Problem.typeFor(400),
                    "Bad Request",
                    400,
                    (named
                                    ? "the query parameter " + badQuery
                                    : "a query parameter ("
                                            + String.join(
                                                    ", ",
                                                    uri.getQueryParameters().keySet()) + ")")
                            + " is not valid",
                    path(uri),
                    named ? List.of(new Problem.Violation(badQuery, "not a valid value")) : null));
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : "HTTP " + status;
        String detail = status >= 500 ? "the request could not be completed" : e.getMessage();
        return answer(new Problem(Problem.typeFor(status), title, status, detail, path(uri), null));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (concurrentChange(e)) {
            // Another request or event changed the same record first (optimistic version): this one wrote nothing.
            LOG.infof("request to %s lost to a concurrent change: %s", path(uri), e.toString());
            return answer(new Problem(
                    Problem.type("concurrent-change"),
                    "Conflict",
                    409,
                    "it was changed at the same moment by another request; nothing was changed by this one: read it again"
                            + " and retry if it still applies",
                    path(uri),
                    null));
        }
        if (tooLarge(e)) {
            // Quarkus counted a body that declared no length past the limit while reading it: the client's fault.
            return answer(new Problem(
                    Problem.typeFor(413),
                    "Content Too Large",
                    413,
                    "the body is larger than this endpoint takes",
                    path(uri),
                    null));
        }
        if (io.dropship.platform.outbox.Failures.classify(e) == io.dropship.platform.outbox.Failures.Kind.TRANSIENT) {
            // The database or broker is unreachable, or a concurrent change won: nothing was written, and the same
            // request will succeed later. Stores and supplier systems retry a 503; Retry-After says when.
            LOG.warnf("request to %s met a transient failure: %s", path(uri), e.toString());
            return Response.fromResponse(answer(new Problem(
                            Problem.typeFor(503),
                            "Service Unavailable",
                            503,
                            "the service cannot reach what it depends on just now; nothing was changed, retry shortly",
                            path(uri),
                            null)))
                    .header("Retry-After", "5")
                    .build();
        }
        LOG.error("unexpected failure", e);
        return answer(new Problem(
                Problem.typeFor(500),
                "Internal Server Error",
                500,
                "the request could not be completed; it has been logged",
                path(uri),
                null));
    }

    /**
     * The query parameter whose value failed to convert, when that is why the request is "not found" ("a query
     * parameter" when the failure does not name its value); null when it is not (a path value that did not convert
     * is a resource that does not exist: 404 stays).
     */
    static String badQueryParameter(WebApplicationException e, UriInfo uri) {
        if (!(e instanceof jakarta.ws.rs.NotFoundException)
                || e.getCause() == null
                || uri == null
                || uri.getQueryParameters().isEmpty()) {
            return null;
        }
        String why = String.valueOf(e.getCause().getMessage());
        for (var parameter : uri.getQueryParameters().entrySet()) {
            for (String value : parameter.getValue()) {
                if (!value.isEmpty() && why.contains(value)) {
                    return parameter.getKey();
                }
            }
        }
        for (String segment : uri.getPath().split("/")) {
            if (segment.length() >= 3 && why.contains(segment)) {
                return null;
            }
        }
        return "a query parameter";
    }

    /** Quarkus's "Request too large", raised while a body without a declared length is read past the limit. */
    static boolean tooLarge(Throwable e) {
        return causedBy(e, t -> t instanceof java.io.IOException && "Request too large".equals(t.getMessage()));
    }

    static boolean concurrentChange(Throwable e) {
        return causedBy(
                e,
                t -> t instanceof jakarta.persistence.OptimisticLockException
                        || t instanceof org.hibernate.StaleStateException);
    }

    /** Whether the failure or any of its causes is one of these. */
    private static boolean causedBy(Throwable e, java.util.function.Predicate<Throwable> kind) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.test(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The field as a client names it: a body property path such as {@code address.city} or {@code images[1]},
     * or the query or path parameter's name.
     */
    static String field(jakarta.validation.Path path) {
        String parameter = null;
        StringBuilder property = new StringBuilder();
        for (jakarta.validation.Path.Node n : path) {
            switch (n.getKind()) {
                case PARAMETER -> {
                    parameter = n.getName();
                    property.setLength(0);
                }
                case PROPERTY, BEAN, CONTAINER_ELEMENT -> {
                    // A node inside a list or map carries the element's index or key: lines[0].quantity, images[1].
                    if (n.isInIterable() && !property.isEmpty()) {
                        property.append('[')
                                .append(n.getIndex() != null ? n.getIndex() : n.getKey())
                                .append(']');
                    }
                    if (n.getKind() != jakarta.validation.ElementKind.CONTAINER_ELEMENT && n.getName() != null) {
                        property.append(property.isEmpty() ? "" : ".").append(n.getName());
                    }
                }
                default -> property.setLength(0);
            }
        }
        if (!property.isEmpty()) {
            return property.toString();
        }
        if (parameter != null) {
            return parameter;
        }
        String whole = path.toString();
        int dot = whole.lastIndexOf('.');
        return dot < 0 ? whole : whole.substring(dot + 1);
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    public static Response answer(Problem problem) {
        return Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }
}
