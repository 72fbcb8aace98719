package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Several Panacea nodes on one PostgreSQL database, as docs/operations.md "Several nodes on one PostgreSQL" runs them:
 * copies of the unpacked distribution, each with its own {@code karaf.name} and ports, the same key store passphrase
 * from the environment. The clients take the nodes in turn, request by request, as a round-robin balancer would.
 */
final class PanaceaNodes implements Server {

    private final List<PanaceaServer> nodes;

    private PanaceaNodes(List<PanaceaServer> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code count} nodes from the distribution unpacked in {@code home}, one after the other. */
    static PanaceaNodes start(Path home, int count, String postgresUrl, Duration startLimit) {
        if (postgresUrl == null || postgresUrl.isBlank()) {
            throw new IllegalStateException("several nodes need one PostgreSQL database: set -Dload.postgres.url");
        }
        Map<String, String> environment = Map.of("PANACEA_KEYSTORE_PASSPHRASE", "load-" + UUID.randomUUID());
        List<PanaceaServer> started = new ArrayList<>();
        try {
            // Every copy is made before the first node starts, so none inherits a running node's state.
            List<Path> homes = new ArrayList<>();
            for (int n = 1; n <= count; n++) {
                Path node = n == 1 ? home : home.resolveSibling(home.getFileName() + "-node" + n);
                if (n > 1) {
                    copyWithoutData(home, node);
                }
                PanaceaServer.edit(node.resolve("etc/system.properties"), "karaf\\.name", "karaf.name = node-" + n);
                homes.add(node);
            }
            for (Path node : homes) {
                started.add(PanaceaServer.start(node, postgresUrl, startLimit, environment));
            }
        } catch (RuntimeException e) {
            started.forEach(PanaceaServer::close);
            throw e;
        }
        return new PanaceaNodes(started);
    }

    @Override
    public Target target() {
        List<Target> each = nodes.stream().map(PanaceaServer::target).toList();
        return new Target("panacea-" + nodes.size() + "-nodes",
                each.stream().map(Target::fhirBase).collect(Collectors.joining(",")),
                each.stream().map(Target::dicomWebBase).collect(Collectors.joining(",")),
                each.get(0).user(), each.get(0).password());
    }

    @Override
    public String description() {
        return nodes.size() + " Panacea nodes, each " + nodes.get(0).description().replaceFirst("^Panacea ", "");
    }

    @Override
    public void close() {
        nodes.forEach(PanaceaServer::close);
    }

    /**
     * A fresh copy of the distribution: everything but what a start leaves behind ({@code data/}, {@code instances/},
     * {@code karaf.pid}, {@code lock}), which would make the copy's start script believe it runs already.
     */
    private static void copyWithoutData(Path from, Path to) {
        try {
            if (Files.exists(to)) {
                try (Stream<Path> old = Files.walk(to)) {
                    old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path relative = from.relativize(file);
                    if (relative.startsWith("data") || relative.startsWith("instances")
                            || relative.toString().equals("karaf.pid") || relative.toString().equals("lock")
                            || relative.toString().equals("start.out")) {
                        continue;
                    }
                    Path target = to.resolve(relative.toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + from + " to " + to, e);
        }
    }
}
