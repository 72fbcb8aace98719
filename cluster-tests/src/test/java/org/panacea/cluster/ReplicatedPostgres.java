package org.panacea.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary with one synchronous streaming standby, each a server of its own on a free port of 127.0.0.1
 * in one temporary folder, for a test to fail over: {@link #stopPrimary()} ({@code pg_ctl stop -m immediate}, a
 * crash as far as clients can tell) and {@link #promoteStandby()} ({@code pg_ctl promote}).
 *
 * <p>The primary runs with {@code fsync = on}, {@code synchronous_commit = on}, {@code wal_level = replica} and
 * {@code synchronous_standby_names} naming the standby, so a commit returns only once the standby has flushed it.
 * Those settings are given on the primary's command line, not in its {@code postgresql.conf}, so the standby (a
 * {@code pg_basebackup -R} copy of the primary, {@code application_name} in its {@code primary_conninfo}) does not
 * inherit them: once promoted, with no standby of its own, it must not wait for one at every commit.
 *
 * <p>As root the servers run as the {@code postgres} user ({@code runuser -u postgres}), as {@code .ci/postgres}
 * does; as anyone else, as that user. {@link #close()} stops whatever still runs and removes the folder.
 */
final class ReplicatedPostgres implements AutoCloseable {

    static final String USER = "panacea";
    static final String DATABASE = "panacea";
    /** The standby's name for the primary's {@code synchronous_standby_names}. */
    static final String STANDBY_NAME = "panacea_standby";

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path folder;
    private final String password;
    final int primaryPort;
    final int standbyPort;

    private ReplicatedPostgres(Path bin, Path folder, String password, int primaryPort, int standbyPort) {
        this.bin = bin;
        this.folder = folder;
        this.password = password;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** The newest installed server's binaries (Debian's {@code /usr/lib/postgresql/<version>/bin}), if any. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(ReplicatedPostgres::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes and starts the primary, creates the {@value #DATABASE} database, copies the primary into the standby
     * with {@code pg_basebackup -R}, starts it and waits until the primary reports it as its synchronous standby.
     * What was started is stopped again when a step fails.
     */
    static ReplicatedPostgres start(Path bin) throws Exception {
        Path folder = Files.createTempDirectory("panacea-failover-");
        String password = UUID.randomUUID().toString().replace("-", "");
        int primaryPort = freePort();
        int standbyPort = freePort();
        while (standbyPort == primaryPort) {
            standbyPort = freePort();
        }
        ReplicatedPostgres pair = new ReplicatedPostgres(bin, folder, password, primaryPort, standbyPort);
        try {
            pair.startPair();
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    private void startPair() throws Exception {
        Files.writeString(folder.resolve("password"), password + "\n");
        if (ROOT) {
            run(List.of("chown", "-R", "postgres", folder.toString()));
        }
        asPostgres(bin.resolve("initdb").toString(), "-D", primaryData().toString(), "-U", USER,
                "--pwfile=" + folder.resolve("password"), "-A", "scram-sha-256", "--encoding=UTF8");
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", primaryData().toString(), "-l",
                folder.resolve("primary.log").toString(), "-w", "-o", "-p " + primaryPort + " -k " + folder
                        + " -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c wal_level=replica"
                        + " -c max_wal_senders=4 -c synchronous_standby_names=" + STANDBY_NAME,
                "start");
        try (Connection connection = connect(primaryPort, "postgres");
                Statement statement = connection.createStatement()) {
            // No standby yet, and synchronous_standby_names already names one: a commit would wait for it forever.
            statement.execute("SET synchronous_commit = local");
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        List<String> basebackup = new ArrayList<>(List.of(bin.resolve("pg_basebackup").toString(), "-D",
                standbyData().toString(), "-R", "-X", "stream", "-c", "fast", "-d", "host=127.0.0.1 port="
                        + primaryPort + " user=" + USER + " application_name=" + STANDBY_NAME));
        asPostgres(List.of("PGPASSWORD=" + password), basebackup);
        String autoConf = Files.readString(standbyData().resolve("postgresql.auto.conf"));
        if (!autoConf.contains("application_name=" + STANDBY_NAME)) {
            throw new AssertionError("pg_basebackup -R wrote no application_name into primary_conninfo: " + autoConf);
        }
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", standbyData().toString(), "-l",
                folder.resolve("standby.log").toString(), "-w", "-o", "-p " + standbyPort + " -k " + folder
                        + " -c listen_addresses=127.0.0.1 -c hot_standby=on", "start");
        awaitSynchronousStandby(Duration.ofSeconds(60));
    }

    /** The database's URL for a node: both servers, and the driver picks the one that accepts writes. */
    String multiHostUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort + "/" + DATABASE
                + "?targetServerType=primary&connectTimeout=5";
    }

    String password() {
        return password;
    }

    /** A connection to one of the servers, for the test itself. */
    Connection connect(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, password);
    }

    /** {@code pg_ctl stop -m immediate} of the primary: its processes end at once, without a checkpoint. */
    void stopPrimary() throws IOException, InterruptedException {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", primaryData().toString(), "-m", "immediate", "-w", "stop");
    }

    /** {@code pg_ctl promote} of the standby, waiting until it accepts writes. */
    void promoteStandby() throws IOException, InterruptedException {
        asPostgres(bin.resolve("pg_ctl").toString(), "-D", standbyData().toString(), "-w", "promote");
    }

    /** Both servers' logs, for a failure to be read. */
    void keepLogs(Path target) {
        try {
            Files.createDirectories(target);
            for (String log : List.of("primary.log", "standby.log")) {
                Path file = folder.resolve(log);
                if (Files.exists(file)) {
                    Files.copy(file, target.resolve(log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.out.println("Could not keep the PostgreSQL logs: " + e);
        }
    }

    /** Stops whichever server still runs and removes the folder; never throws. */
    @Override
    public void close() {
        for (Path data : List.of(standbyData(), primaryData())) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                            "stop");
                } catch (IOException | InterruptedException | AssertionError e) {
                    System.out.println("Could not stop the server in " + data + ": " + e.getMessage());
                }
            }
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.out.println("Could not remove " + folder + ": " + e);
        }
    }

    private void awaitSynchronousStandby(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "nothing";
        while (System.nanoTime() < deadline) {
            try (Connection connection = connect(primaryPort, "postgres");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT application_name, state, sync_state FROM pg_stat_replication")) {
                if (rows.next()) {
                    seen = rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3);
                    if (STANDBY_NAME.equals(rows.getString(1)) && "streaming".equals(rows.getString(2))
                            && "sync".equals(rows.getString(3))) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("The standby did not become the primary's synchronous standby within "
                + timeout.toSeconds() + " s (pg_stat_replication: " + seen + "); see " + folder.resolve("standby.log"));
    }

    private Path primaryData() {
        return folder.resolve("primary");
    }

    private Path standbyData() {
        return folder.resolve("standby");
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        asPostgres(List.of(), List.of(command));
    }

    /** Runs {@code command} as the postgres user when root (with {@code environment} as NAME=value), else as is. */
    private void asPostgres(List<String> environment, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--", "env"));
            full.addAll(environment);
            full.addAll(command);
            run(full);
        } else {
            ProcessBuilder builder = new ProcessBuilder(command);
            for (String variable : environment) {
                String[] pair = variable.split("=", 2);
                builder.environment().put(pair[0], pair[1]);
            }
            run(builder);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        run(new ProcessBuilder(command));
    }

    private void run(ProcessBuilder builder) throws IOException, InterruptedException {
        // pg_ctl start leaves the server holding inherited descriptors: its output goes to a file, never a pipe.
        Path output = Files.createTempFile("panacea-failover-command", ".log");
        try {
            Process process = builder.directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", redacted(builder.command())) + " did not end within "
                        + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", redacted(builder.command())) + " exited with "
                        + process.exitValue() + ": " + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<String> redacted(List<String> command) {
        return command.stream().map(part -> part.startsWith("PGPASSWORD=") ? "PGPASSWORD=..." : part).toList();
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
