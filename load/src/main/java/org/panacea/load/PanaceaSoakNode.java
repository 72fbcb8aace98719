package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built distribution under a soak: a {@link PanaceaServer} (started, stopped and made ready as the load runs do)
 * and what an administrator does to it from outside. The plugin swap is docs/operations.md's hot swap of the
 * window/level plugin in the Karaf console over SSH (OpenSSH's client, the password from an askpass script, as the
 * cluster tests run the console): in turn {@code bundle:update --raw} with the signed jar the distribution ships
 * (new bytes for the framework: a new class loader, the signature gate checks the jar again, the engine sees the
 * algorithm go away and come back) and {@code bundle:restart}. The heap after GC is {@code jcmd PID
 * GC.class_histogram}'s total: a full collection, then the bytes of every live object; resident memory from
 * {@code /proc/PID/status}.
 */
final class PanaceaSoakNode implements SoakNode {

    static final String PLUGIN = "org.panacea.imaging-window-level";
    static final String ALGORITHM = "imaging.window-level";
    /** The histogram's last line: instances and bytes of every live object. */
    private static final Pattern LIVE = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final PanaceaServer server;
    private final Path pluginJar;

    PanaceaSoakNode(PanaceaServer server) {
        this.server = server;
        Path folder = server.home().resolve("system/org/panacea/panacea-imaging-window-level");
        try (Stream<Path> jars = Files.walk(folder)) {
            this.pluginJar = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no window/level plugin jar in " + folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Target target() {
        return server.target();
    }

    /** The server and the heap limit its JVM really runs with (what bin/setenv asked for is not proof). */
    @Override
    public String description() {
        String limit = server.process().map(ProcessHandle::pid).map(pid -> {
            try {
                Matcher max = Pattern.compile("MaxHeapSize=(\\d+)").matcher(run(List.of("jcmd", pid.toString(),
                        "VM.flags")));
                return max.find() ? ", max heap " + Long.parseLong(max.group(1)) / 1048576 + " MiB" : "";
            } catch (IOException e) {
                return "";
            }
        }).orElse("");
        return server.description() + limit;
    }

    @Override
    public String swappedAlgorithm() {
        return ALGORITHM;
    }

    @Override
    public String swapPlugin(int n) throws Exception {
        String command = n % 2 == 0 ? "bundle:update --raw " + PLUGIN + " " + pluginJar.toUri()
                : "bundle:restart " + PLUGIN;
        Outcome outcome = console("admin", command);
        // The console answers an unknown bundle or a refused update on its output, not always with its exit status.
        if (outcome.exit() != 0 || outcome.output().toLowerCase(java.util.Locale.ROOT).contains("error")) {
            throw new IllegalStateException(command + " exited with " + outcome.exit() + ": " + outcome.output());
        }
        return command;
    }

    @Override
    public void kill() {
        server.kill();
    }

    /**
     * {@code bin/start}, then until the node says it is ready ({@code GET /health/ready} 200, what a balancer asks):
     * FHIR and DICOMweb answer a little before the engine's servlets are registered, and requests in between get
     * 404s. The outage is counted until the node's own readiness.
     */
    @Override
    public boolean restart(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        if (!server.restart(limit)) {
            return false;
        }
        Http http = new Http(PanaceaServer.USER, PanaceaServer.USER);
        String ready = server.target().fhirBase().replaceFirst("/fhir$", "/health/ready");
        return Server.await(Duration.ofNanos(Math.max(0, end - System.nanoTime())),
                () -> http.get(ready, null).status() == 200);
    }

    @Override
    public Memory memory() {
        Long pid = server.process().map(ProcessHandle::pid).orElse(null);
        if (pid == null) {
            return null;
        }
        try {
            // One command: the histogram forces a full collection and then counts what is live, so nothing the load
            // allocates between a GC.run and a GC.heap_info (two JVM starts of jcmd apart) blurs the figure.
            Matcher heap = LIVE.matcher(run(List.of("jcmd", pid.toString(), "GC.class_histogram")));
            java.util.OptionalLong resident = Server.statusBytes(pid, "VmRSS");
            if (!heap.find() || resident.isEmpty()) {
                return null;
            }
            return new Memory(pid, Long.parseLong(heap.group(1)), resident.getAsLong());
        } catch (IOException e) {
            // The JVM went away between the two (the kill): no sample this time.
            return null;
        }
    }

    @Override
    public String auditVerify() throws Exception {
        Outcome outcome = console("auditor", "audit:verify");
        return outcome.output().strip().lines().findFirst().orElse("(no answer, exit " + outcome.exit() + ")");
    }

    @Override
    public void close() {
        server.close();
    }

    record Outcome(int exit, String output) {
    }

    /** Runs a console command over SSH as {@code user}, whose password is its name in the distribution. */
    Outcome console(String user, String command) throws IOException, InterruptedException {
        Path askpass = server.home().resolve(user + "-askpass.sh");
        Files.writeString(askpass, "#!/bin/sh\necho " + user + "\n");
        askpass.toFile().setExecutable(true);
        ProcessBuilder ssh = new ProcessBuilder("ssh", "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password,keyboard-interactive",
                "-o", "LogLevel=ERROR", "-p", String.valueOf(server.sshPort()), user + "@127.0.0.1", command)
                .redirectErrorStream(true);
        ssh.environment().put("SSH_ASKPASS", askpass.toString());
        ssh.environment().put("SSH_ASKPASS_REQUIRE", "force");
        ssh.environment().put("DISPLAY", "none");
        Process process = ssh.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("\u001B\\[[0-9;]*m", "");
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Outcome(-1, output + " (no end within 2 minutes)");
        }
        return new Outcome(process.exitValue(), output);
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(command + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }
}
