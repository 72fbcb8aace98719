package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A server the harness starts, drives and stops; one at a time, so that they never share the machine. */
interface Server extends AutoCloseable {

    /** Where the clients find it. */
    Target target();

    /** What it is, for the report: product, version, database. */
    String description();

    @Override
    void close();

    /** The server's process, when the harness can see it (its resident memory is reported). */
    default java.util.Optional<ProcessHandle> process() {
        return java.util.Optional.empty();
    }

    /**
     * The resident memory of {@code process} now and at its peak ({@code VmRSS}, {@code VmHWM}), e.g. "812 MiB (peak
     * 950 MiB)"; empty where there is no such figure.
     */
    static java.util.Optional<String> residentMemory(ProcessHandle process) {
        java.util.OptionalLong now = statusBytes(process.pid(), "VmRSS");
        java.util.OptionalLong peak = statusBytes(process.pid(), "VmHWM");
        if (now.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(now.getAsLong() / (1024 * 1024) + " MiB"
                + (peak.isPresent() ? " (peak " + peak.getAsLong() / (1024 * 1024) + " MiB)" : ""));
    }

    /**
     * A memory figure of Linux's {@code /proc/<pid>/status} ({@code VmRSS}: resident now, {@code VmHWM}: resident at
     * its peak), in bytes; empty where the process or the file is gone.
     */
    static java.util.OptionalLong statusBytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return java.util.OptionalLong.of(Long.parseLong(line.substring(field.length() + 1)
                            .replace("kB", "").strip()) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return java.util.OptionalLong.empty();
    }

    /** A port nobody listens on now (the server binds it shortly after). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls until the condition holds; false when the time runs out. */
    static boolean await(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException e) {
                // Not up yet (connection refused, reset while starting).
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The last lines of a log, to say why a server did not come up. */
    static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no " + log.getFileName() + ")";
            }
            List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
