package org.panacea.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's HAProxy in front of the nodes, configured as docs/operations.md "HAProxy" shows it (health checks on
 * {@code /health/ready}, {@code leastconn}, draining through the admin socket), on plain HTTP on the loopback and
 * with the checks every half second instead of every two, so that the test waits less.
 */
final class Balancer implements AutoCloseable {

    final int port;
    private final Path socket;
    private final Process process;

    private Balancer(int port, Path socket, Process process) {
        this.port = port;
        this.socket = socket;
        this.process = process;
    }

    /** Whether HAProxy is on the path. */
    static boolean present() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, "haproxy")));
    }

    /** Starts HAProxy in the foreground with a configuration written into {@code folder}. */
    static Balancer start(Path folder, List<Node> nodes) throws IOException {
        Files.createDirectories(folder);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path socket = folder.resolve("admin.sock");
        StringBuilder servers = new StringBuilder();
        for (Node node : nodes) {
            servers.append("    server ").append(node.name).append(" 127.0.0.1:").append(node.httpPort).append('\n');
        }
        Path configuration = folder.resolve("haproxy.cfg");
        Files.writeString(configuration, """
                global
                    stats socket %s mode 600 level admin

                defaults
                    mode http
                    timeout connect 5s
                    timeout client 10m
                    timeout server 10m

                frontend panacea
                    bind 127.0.0.1:%d
                    default_backend panacea_nodes

                backend panacea_nodes
                    balance leastconn
                    option httpchk
                    http-check send meth GET uri /health/ready
                    http-check expect status 200
                    default-server check inter 500ms fall 2 rise 2
                %s""".formatted(socket, port, servers));
        Process process = new ProcessBuilder("haproxy", "-db", "-f", configuration.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("haproxy.log").toFile()).start();
        return new Balancer(port, socket, process);
    }

    /** One command on the admin socket, as {@code socat stdio /run/haproxy/admin.sock} would send it. */
    String admin(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            StringBuilder answer = new StringBuilder();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                answer.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return answer.toString();
        }
    }

    /** The node's row of {@code show stat}: column name to value ({@code status}, {@code scur}, ...). */
    Map<String, String> server(String node) throws IOException {
        String[] lines = admin("show stat").split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",", -1);
        for (String line : lines) {
            String[] values = line.split(",", -1);
            if (values.length > 1 && values[0].equals("panacea_nodes") && values[1].equals(node)) {
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < Math.min(header.length, values.length); i++) {
                    row.put(header[i], values[i]);
                }
                return row;
            }
        }
        throw new AssertionError("HAProxy has no server " + node + ": " + String.join("\n", lines));
    }

    /** Waits until the node's {@code show stat} row satisfies {@code condition}. */
    void await(String node, java.util.function.Predicate<Map<String, String>> condition, String what,
            Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, String>> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("HAProxy exited with " + process.exitValue());
            }
            try {
                Map<String, String> row = server(node);
                if (condition.test(row)) {
                    return;
                }
                seen.add(row);
            } catch (IOException notListeningYet) {
                // The admin socket appears once HAProxy has read its configuration.
            }
            Thread.sleep(100);
        }
        throw new AssertionError(node + " never became " + what + " within " + timeout.toSeconds() + " s; last: "
                + (seen.isEmpty() ? "no answer" : seen.get(seen.size() - 1)));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
