package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ./fleet dead-letters}: what each service's consumers could not apply, and replaying it, through each
 * service's admin API (GET/POST /api/admin/dead-letters) with an admin token from the fleet's dev tokens.
 *
 * <pre>
 *   fleet dead-letters                        per service and consumer: waiting, replayed, discarded
 *   fleet dead-letters list [service]         the waiting ones, with their reason
 *   fleet dead-letters show SERVICE ID        one, with its payload and headers
 *   fleet dead-letters replay SERVICE ID      send it back to its topic
 *   fleet dead-letters replay-all [service]   every waiting one
 * </pre>
 */
final class DeadLetterCommand {

    private static final PrintStream OUT = System.out;

    private DeadLetterCommand() {}

    static boolean run(List<Fleet.Service> services, String[] args) throws Exception {
        String what = args.length > 1 ? args[1] : "summary";
        String gateway = Fleet.url(services, "integration-gateway");
        String admin = Accounts.localAdmin(gateway);
        switch (what) {
            case "summary" -> {
                long waiting = 0;
                OUT.printf("%-22s %-60s %7s %9s %10s%n", "SERVICE", "CONSUMER", "WAITING", "REPLAYED", "DISCARDED");
                for (Fleet.Service s : services) {
                    for (JsonNode c : Api.ok(
                            "GET",
                            gateway + "/api/admin/services/" + s.name() + "/dead-letters/summary",
                            admin,
                            null)) {
                        OUT.printf(
                                "%-22s %-60s %7d %9d %10d%n",
                                s.name(),
                                c.get("consumer").asText(),
                                c.get("dead").asLong(),
                                c.get("replayed").asLong(),
                                c.get("discarded").asLong());
                        waiting += c.get("dead").asLong();
                    }
                }
                OUT.println(
                        waiting == 0
                                ? "no dead letters waiting"
                                : waiting + " dead letters waiting: ./fleet dead-letters list");
                return true;
            }
            case "list" -> {
                for (Fleet.Service s : pick(services, args.length > 2 ? args[2] : null)) {
                    for (JsonNode e : Api.ok(
                                    "GET",
                                    gateway + "/api/admin/services/" + s.name() + "/dead-letters?limit=200",
                                    admin,
                                    null)
                            .get("items")) {
                        OUT.printf(
                                "%-22s #%-6d %-40s %s event %s: %s%n",
                                s.name(),
                                e.get("id").asLong(),
                                e.get("consumer").asText(),
                                e.get("deadAt").asText(),
                                e.path("eventId").asText("(no id)"),
                                e.get("reason").asText());
                    }
                }
                return true;
            }
            case "show" -> {
                Fleet.Service s = pick(services, arg(args, 2, "SERVICE")).get(0);
                OUT.println(Api.JSON
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(Api.ok(
                                "GET",
                                gateway + "/api/admin/services/" + s.name() + "/dead-letters/" + arg(args, 3, "ID"),
                                admin,
                                null)));
                return true;
            }
            case "replay" -> {
                Fleet.Service s = pick(services, arg(args, 2, "SERVICE")).get(0);
                Api.Answer a = Api.call(
                        "POST",
                        gateway + "/api/admin/services/" + s.name() + "/dead-letters/" + arg(args, 3, "ID") + "/replay",
                        admin,
                        null);
                OUT.println(
                        a.status() == 200
                                ? "replayed: " + a.body()
                                : "refused (" + a.status() + "): "
                                        + a.body().path("detail").asText());
                return a.status() == 200;
            }
            case "replay-all" -> {
                boolean allWent = true;
                for (Fleet.Service s : pick(services, args.length > 2 ? args[2] : null)) {
                    JsonNode r = Api.ok(
                            "POST", gateway + "/api/admin/services/" + s.name() + "/dead-letters/replay", admin, null);
                    OUT.printf(
                            "%-22s replayed %d, refused %d %s%n",
                            s.name(),
                            r.get("replayed").size(),
                            r.get("refused").size(),
                            r.get("refused").isEmpty() ? "" : r.get("refused"));
                    allWent &= r.get("refused").isEmpty();
                }
                return allWent;
            }
            default -> {
                OUT.println(
                        "usage: fleet dead-letters [list [service] | show SERVICE ID | replay SERVICE ID | replay-all [service]]");
                return false;
            }
        }
    }

    private static List<Fleet.Service> pick(List<Fleet.Service> services, String name) {
        if (name == null) {
            return services;
        }
        List<Fleet.Service> found = services.stream()
                .filter(s -> s.name().equals(name) || s.name().startsWith(name + "-"))
                .toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no service " + name + "; one of "
                    + services.stream().map(Fleet.Service::name).toList());
        }
        return found;
    }

    private static String arg(String[] args, int index, String name) {
        if (args.length <= index) {
            throw new IllegalArgumentException("missing " + name);
        }
        return args[index];
    }
}
