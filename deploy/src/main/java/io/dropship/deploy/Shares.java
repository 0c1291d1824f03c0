package io.dropship.deploy;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the work of a run split between the instances of each service (./fleet up --instances N): each instance's
 * counters read from its metrics before and after, so the difference is what that instance did during the run.
 */
final class Shares {

    /** The counters compared: what an instance applied, relayed, took in and sent out. */
    static final Map<String, String> COUNTERS = new LinkedHashMap<>();

    static {
        COUNTERS.put("events applied", "dropship_inbox_events_total{outcome=\"applied\"");
        COUNTERS.put("events relayed", "dropship_outbox_relayed_total");
        COUNTERS.put("webhooks taken", "dropship_webhooks_received_total");
        COUNTERS.put("store calls", "dropship_store_calls_total");
        COUNTERS.put("HTTP requests", "http_server_requests_seconds_count");
    }

    private final List<Fleet.Service> instances;
    private final Map<Fleet.Service, Map<String, Double>> before;

    private Shares(List<Fleet.Service> instances) {
        this.instances = instances;
        this.before = read(instances);
    }

    /** Takes the first reading; {@link #print} takes the second and prints the split. */
    static Shares start(List<Fleet.Service> instances) {
        return new Shares(instances);
    }

    boolean several() {
        return instances.stream().anyMatch(s -> s.instance() > 1);
    }

    void print(PrintStream out) {
        if (!several()) {
            return;
        }
        Map<Fleet.Service, Map<String, Double>> after = read(instances);
        out.println();
        out.printf("work per instance during the run:%n  %-24s", "");
        COUNTERS.keySet().forEach(k -> out.printf(" %16s", k));
        out.println();
        for (Fleet.Service s : instances) {
            out.printf("  %-24s", s.label());
            for (String k : COUNTERS.keySet()) {
                double done = done(s, k, after);
                double all = instances.stream()
                        .filter(o -> o.name().equals(s.name()))
                        .mapToDouble(o -> done(o, k, after))
                        .sum();
                out.printf(" %16s", all == 0 ? "-" : String.format("%.0f (%3.0f%%)", done, 100 * done / all));
            }
            out.println();
        }
    }

    private double done(Fleet.Service s, String counter, Map<Fleet.Service, Map<String, Double>> after) {
        double now = after.getOrDefault(s, Map.of()).getOrDefault(counter, 0.0);
        double then = before.getOrDefault(s, Map.of()).getOrDefault(counter, 0.0);
        // An instance that restarted during the run (chaos) counts from zero again.
        return now >= then ? now - then : now;
    }

    private static Map<Fleet.Service, Map<String, Double>> read(List<Fleet.Service> instances) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<Fleet.Service, Map<String, Double>> all = new LinkedHashMap<>();
        for (Fleet.Service s : instances) {
            Map<String, Double> sums = new LinkedHashMap<>();
            try {
                String text = http.send(
                                HttpRequest.newBuilder(URI.create(s.managementUrl() + "/q/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                for (String raw : text.split("\n")) {
                    if (raw.startsWith("#") || raw.isBlank()) {
                        continue;
                    }
                    // With tracing in the service, a counter's line ends in an exemplar: "... 174.0 # {trace_id=...}
                    // 1.0 ts".
                    String line = raw.contains(" # ") ? raw.substring(0, raw.indexOf(" # ")) : raw;
                    COUNTERS.forEach((name, prefix) -> {
                        String metric = prefix.contains("{") ? prefix.substring(0, prefix.indexOf('{')) : prefix;
                        String label = prefix.contains("{") ? prefix.substring(prefix.indexOf('{') + 1) : null;
                        if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                            if (label == null || line.contains(label)) {
                                sums.merge(
                                        name,
                                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
                                        Double::sum);
                            }
                        }
                    });
                }
            } catch (Exception e) {
                // a service restarting (chaos): no reading this time
            }
            all.put(s, sums);
        }
        return all;
    }
}
