package org.panacea.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The DICOMweb peer: Debian's Orthanc with its DICOMweb plugin (packages {@code orthanc}, {@code orthanc-dicomweb};
 * installed with apt-get when missing and the harness runs as root), on its default SQLite index and file storage
 * in a fresh folder, HTTP Basic with the same user as Panacea, as many HTTP threads as Panacea's Jetty (64).
 */
final class OrthancServer implements Server {

    private static final List<String> PLUGIN_FOLDERS = List.of("/usr/share/orthanc/plugins",
            "/usr/lib/orthanc/plugins", "/usr/local/share/orthanc/plugins");

    private final Process process;
    private final int port;
    private final int dicomPort;
    private final String version;

    private OrthancServer(Process process, int port, int dicomPort, String version) {
        this.process = process;
        this.port = port;
        this.dicomPort = dicomPort;
        this.version = version;
    }

    /** The port of Orthanc's DICOM server (AE title {@code ORTHANC}, any calling AE may store). */
    int dicomPort() {
        return dicomPort;
    }

    static OrthancServer start(Path folder, boolean install, Duration startLimit) {
        Optional<Path> executable = executable();
        if ((executable.isEmpty() || plugin().isEmpty()) && install) {
            install();
            executable = executable();
        }
        if (executable.isEmpty()) {
            throw new IllegalStateException("Orthanc is not installed (Debian: apt-get install orthanc "
                    + "orthanc-dicomweb, as root)");
        }
        Path plugin = plugin().orElseThrow(() -> new IllegalStateException(
                "Orthanc's DICOMweb plugin is not installed (Debian: apt-get install orthanc-dicomweb)"));
        int port = Server.freePort();
        int dicomPort = Server.freePort();
        String config = """
                {
                  "Name": "load-peer",
                  "StorageDirectory": "%1$s/storage",
                  "IndexDirectory": "%1$s/index",
                  "HttpPort": %2$d,
                  "DicomPort": %3$d,
                  "RemoteAccessAllowed": false,
                  "AuthenticationEnabled": true,
                  "RegisteredUsers": { "%4$s": "%4$s" },
                  "HttpThreadsCount": 64,
                  "KeepAlive": true,
                  "Plugins": [ "%5$s" ],
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/" }
                }
                """.formatted(folder.toAbsolutePath(), port, dicomPort, PanaceaServer.USER, plugin);
        Process process;
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("orthanc.json"), config);
            ProcessBuilder orthanc = new ProcessBuilder(executable.get().toString(),
                    folder.resolve("orthanc.json").toString()).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("orthanc.log").toFile());
            // Orthanc's DICOM server is dcmtk's: without TCP_NODELAY its responses wait on Nagle's algorithm and a
            // C-STORE peer stalls at ~14 instances/s (the DIMSE benchmark; HTTP is not affected).
            orthanc.environment().put("TCP_NODELAY", "1");
            process = orthanc.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Http client = new Http(PanaceaServer.USER, PanaceaServer.USER);
        String[] found = new String[1];
        boolean ready = Server.await(startLimit, () -> {
            Http.Response system = client.get("http://127.0.0.1:" + port + "/system", null);
            found[0] = system.text();
            return process.isAlive() && system.status() == 200
                    && client.get("http://127.0.0.1:" + port + "/dicom-web/studies?PatientID=ready",
                            "application/dicom+json").status() == 200;
        });
        OrthancServer server = new OrthancServer(process, port, dicomPort, version(found[0]));
        if (!ready) {
            server.close();
            throw new IllegalStateException("Orthanc did not serve DICOMweb within " + startLimit.toSeconds() + " s:\n"
                    + Server.tail(folder.resolve("orthanc.log"), 20));
        }
        return server;
    }

    @Override
    public Target target() {
        return new Target("orthanc", null, "http://127.0.0.1:" + port + "/dicom-web", PanaceaServer.USER,
                PanaceaServer.USER);
    }

    @Override
    public String description() {
        return "Orthanc " + version + " with its DICOMweb plugin, SQLite index";
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

    private static String version(String system) {
        if (system == null) {
            return "";
        }
        int at = system.indexOf("\"Version\"");
        if (at < 0) {
            return "";
        }
        int start = system.indexOf('"', system.indexOf(':', at) + 1) + 1;
        return system.substring(start, system.indexOf('"', start));
    }

    private static Optional<Path> executable() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"), new String[] { "/usr/sbin", "/usr/bin" })
                .flatMap(Stream::of).map(dir -> Path.of(dir, "Orthanc")).filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> plugin() {
        return PLUGIN_FOLDERS.stream().map(dir -> Path.of(dir, "libOrthancDicomWeb.so")).filter(Files::exists)
                .findFirst();
    }

    /** apt-get install, as root only; its failure is reported by the caller as a missing Orthanc. */
    private static void install() {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return;
        }
        System.out.println("[load] installing Debian's orthanc and orthanc-dicomweb ...");
        for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
                List.of("apt-get", "install", "-y", "-qq", "orthanc", "orthanc-dicomweb"))) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                builder.start().waitFor(15, TimeUnit.MINUTES);
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
