package io.dropship.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU time the running fleet has used: every process the launcher started (the services, PostgreSQL with its
 * backends, the Kafka broker) with its descendants, read from /proc (user and system time, and that of children
 * that have ended). A bench takes a reading before and after its run; its own process is not counted.
 */
final class FleetCpu {

    /** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux unless the kernel says otherwise). */
    private static final long TICKS = ticksPerSecond();

    /** The launcher's processes by label (a service instance, postgresql, kafka). */
    private final Map<String, Long> roots;

    private FleetCpu(Map<String, Long> roots) {
        this.roots = roots;
    }

    /** The fleet's processes as the launcher last wrote them ({@code run.status}); none when no fleet runs. */
    static FleetCpu of(Path data) throws IOException {
        return new FleetCpu(Fleet.servicePids(data));
    }

    /** Whether there is anything to read (a fleet on this machine, with /proc). */
    boolean available() {
        return !roots.isEmpty() && Files.isDirectory(Path.of("/proc/self"));
    }

    /** CPU time used so far by the fleet's processes and their descendants, living or ended. */
    Duration used() {
        return usedBy().values().stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The same, per process of the launcher (with its descendants: PostgreSQL's backends). */
    Map<String, Duration> usedBy() {
        Map<String, Duration> out = new LinkedHashMap<>();
        roots.forEach((label, pid) -> {
            long ticks = ticks(pid);
            ProcessHandle root = ProcessHandle.of(pid).orElse(null);
            if (root != null) {
                for (ProcessHandle child : root.descendants().toList()) {
                    ticks += ticks(child.pid());
                }
            }
            out.put(label, Duration.ofMillis(ticks * 1000 / TICKS));
        });
        return out;
    }

    /** How many cores the fleet keeps busy while nothing is asked of it, over {@code window}. */
    double idleCores(Duration window) throws InterruptedException {
        Duration before = used();
        Thread.sleep(window.toMillis());
        return (used().minus(before)).toMillis() / (double) window.toMillis();
    }

    /**
     * utime + stime (+ cutime + cstime: children waited for) of one process, in ticks; 0 when it is gone. The fields
     * after the command name, which may hold spaces, are read from its closing parenthesis.
     */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (Exception e) {
            return 100;
        }
    }
}
