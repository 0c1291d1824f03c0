package io.dropship.infra;

import java.io.InputStream;

/**
 * Entry point of a child JVM that must not outlive its parent. The parent keeps the child's stdin open;
 * when the parent dies, even by SIGKILL, the pipe closes and the child exits. Then the real main runs.
 *
 * <p>Usage: {@code java -cp ... io.dropship.infra.ParentWatch <main class> [args...]}
 */
public final class ParentWatch {

    private ParentWatch() {}

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(
                () -> {
                    try (InputStream in = System.in) {
                        while (in.read() != -1) {
                            // the parent never writes; we only wait for the end of the stream
                        }
                    } catch (Exception ignored) {
                        // a broken pipe means the same as the end of the stream
                    }
                    Runtime.getRuntime().halt(0);
                },
                "parent-watch");
        watch.setDaemon(true);
        watch.start();
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) rest);
    }
}
