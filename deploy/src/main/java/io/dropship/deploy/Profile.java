package io.dropship.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where each service's CPU went, from the Flight Recordings of {@code ./fleet up --profile} (written when the fleet
 * stops): per service, the share of execution samples by library (the package of the sample's top frame that is not
 * the JDK's) and the methods most often on top. Usage: {@code ./fleet profile}.
 */
final class Profile {

    /** Libraries by package prefix, most specific first; a frame of none of them counts under its first two names. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("io.dropship.", "the platform's own code");
        LIBRARIES.put("io.debezium.", "Debezium (outbox relay)");
        LIBRARIES.put("org.postgresql.", "PostgreSQL JDBC (relay, Flyway)");
        LIBRARIES.put("io.vertx.pgclient.", "reactive PostgreSQL client");
        LIBRARIES.put("io.vertx.sqlclient.", "reactive PostgreSQL client");
        LIBRARIES.put("org.hibernate.", "Hibernate Reactive / ORM");
        LIBRARIES.put("org.apache.kafka.", "Kafka client");
        LIBRARIES.put("io.smallrye.reactive.messaging.", "SmallRye Reactive Messaging");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson (JSON)");
        LIBRARIES.put("io.netty.", "Netty (network)");
        LIBRARIES.put("io.vertx.", "Vert.x");
        LIBRARIES.put("io.smallrye.mutiny.", "Mutiny");
        LIBRARIES.put("io.micrometer.", "Micrometer (metrics)");
        LIBRARIES.put("io.opentelemetry.", "OpenTelemetry");
        LIBRARIES.put("io.quarkus.", "Quarkus");
        LIBRARIES.put("org.jboss.resteasy.", "RESTEasy Reactive");
    }

    private Profile() {}

    static boolean report(Path profiles) throws IOException {
        if (!Files.isDirectory(profiles)) {
            System.out.println(
                    "profile: no recordings in " + profiles + "; run ./fleet up --profile, a bench, then stop it");
            return false;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(profiles)) {
            files = list.filter(f -> f.toString().endsWith(".jfr")).sorted().toList();
        }
        for (Path file : files) {
            Map<String, Long> byLibrary = new HashMap<>();
            Map<String, Long> byMethod = new HashMap<>();
            long samples = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                RecordedFrame top = frames.get(0);
                byMethod.merge(name(top), 1L, Long::sum);
                byLibrary.merge(library(frames), 1L, Long::sum);
            }
            String service = file.getFileName().toString().replace(".jfr", "");
            System.out.printf("%s: %d execution samples%n", service, samples);
            print("  by library (the first frame below the JDK's own)", byLibrary, samples, 8);
            print("  hottest methods (on top of the stack)", byMethod, samples, 8);
        }
        return !files.isEmpty();
    }

    /** The library of the first frame that is not the JDK's (java., jdk., sun.), or the JDK when all are. */
    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            for (Map.Entry<String, String> l : LIBRARIES.entrySet()) {
                if (type.startsWith(l.getKey())) {
                    return l.getValue();
                }
            }
            String[] parts = type.split("\\.");
            return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
        }
        return "the JDK alone";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long samples, int most) {
        System.out.println(title + ":");
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(most, sorted.size()))) {
            System.out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey());
        }
    }
}
