package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The FHIR peer: HAPI FHIR's JPA server ({@code org.panacea.load.hapi.HapiFhirServer}, built with -Pload) in a JVM
 * of its own with Panacea's heap limit, on H2 on disk, or on the same PostgreSQL server as Panacea (schema
 * {@code hapi}) when Panacea runs on PostgreSQL.
 */
final class HapiServer implements Server {

    static final String MAIN = "org.panacea.load.hapi.HapiFhirServer";

    private final Process process;
    private final int port;
    private final String database;

    private HapiServer(Process process, int port, String database) {
        this.process = process;
        this.port = port;
        this.database = database;
    }

    static HapiServer start(Path folder, String postgresUrl, Duration startLimit) {
        try {
            Class.forName(MAIN, false, HapiServer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the HAPI FHIR peer is not on the class path (it is built with -Pload)");
        }
        int port = Server.freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Panacea's bin/setenv gives its JVM 256 MiB to 1 GiB; the peer gets the same.
                "-Xms256m", "-Xmx1024m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), MAIN, Integer.toString(port),
                folder.resolve("data").toString()));
        String database = "H2 on disk";
        if (postgresUrl != null && !postgresUrl.isBlank()) {
            command.add(postgresUrl);
            database = "PostgreSQL";
        }
        Process process;
        try {
            Files.createDirectories(folder);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("hapi.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HapiServer server = new HapiServer(process, port, database);
        Http client = new Http(null, null);
        boolean ready = Server.await(startLimit, () -> process.isAlive()
                && client.get("http://127.0.0.1:" + port + "/fhir/metadata", null).status() == 200);
        if (!ready) {
            server.close();
            throw new IllegalStateException("HAPI FHIR did not serve /fhir/metadata within " + startLimit.toSeconds()
                    + " s:\n" + Server.tail(folder.resolve("hapi.log"), 20));
        }
        return server;
    }

    @Override
    public Target target() {
        return new Target("hapi", "http://127.0.0.1:" + port + "/fhir", null, null, null);
    }

    @Override
    public String description() {
        return "HAPI FHIR JPA server " + hapiVersion() + " on " + database;
    }

    private static String hapiVersion() {
        return System.getProperty("load.hapi.version", "8.8");
    }

    @Override
    public java.util.Optional<ProcessHandle> process() {
        return java.util.Optional.of(process.toHandle());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
