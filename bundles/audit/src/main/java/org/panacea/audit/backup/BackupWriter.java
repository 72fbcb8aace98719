package org.panacea.audit.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes one backup of the platform's three databases and the audit anchors into a new folder of a
 * {@link BackupFolder}: first into {@code <name>.partial}, renamed to {@code <name>} once complete, removed on failure.
 * In this order, each step online while the platform runs:
 * <ol>
 * <li>the anchor files (each up to its last complete line), and the audit chain's head: so the backed-up chain is
 * never older than the backed-up anchors, and the restored node verifies against them;</li>
 * <li>the records database, then the security database: every data key a backed-up record names is then in the
 * backed-up security database (keys are added and rewrapped, never removed while data uses them);</li>
 * <li>the audit database.</li>
 * </ol>
 * Embedded Derby is backed up with {@code SYSCS_UTIL.SYSCS_BACKUP_DATABASE} (consistent per database); PostgreSQL with
 * {@code pg_dump -Fc}, once per distinct database, so three data sources in one database (the usual set-up) are one
 * consistent snapshot. The password reaches pg_dump in its environment ({@code PGPASSWORD}), never on its command line
 * or in a message. A {@code manifest.json} lists what was backed up, and {@code SHA256SUMS} (the format of
 * {@code sha256sum -c}) every file's checksum, the manifest's included; {@code bin/panacea-restore} checks them.
 */
public final class BackupWriter {

    /** The layout version of a backup folder, in its manifest. */
    public static final int FORMAT = 1;
    static final String MANIFEST = "manifest.json";
    static final String CHECKSUMS = "SHA256SUMS";
    static final String ANCHORS = "anchors";
    static final String ANCHOR_SUFFIX = ".anchors";

    /** A data source to back up: {@code records}, {@code security} or {@code audit}. */
    public record Source(String name, DataSource dataSource) {
    }

    /**
     * How to run pg_dump.
     *
     * @param command  the program ({@code pg_dump} on the path, or a full path)
     * @param timeout  how long one dump may take
     * @param password the password of a data source's database user, by source name; {@code null} or empty when none
     */
    public record PgDump(String command, Duration timeout, java.util.function.Function<String, String> password) {
    }

    /** What a backup wrote. */
    public record Result(String name, Path folder, int files, long bytes, long auditHead, Duration took) {
    }

    private final BackupFolder folder;
    private final Path anchorFolder;
    private final PgDump pgDump;
    private final String node;
    private final String version;
    private final Clock clock;

    public BackupWriter(BackupFolder folder, Path anchorFolder, PgDump pgDump, String node, String version,
            Clock clock) {
        this.folder = folder;
        this.anchorFolder = anchorFolder;
        this.pgDump = pgDump;
        this.node = node;
        this.version = version;
        this.clock = clock;
    }

    /**
     * Writes a backup of {@code sources} (backed up in the order given; the audit source also gives the chain head).
     *
     * @param name     the backup's name, or {@code null} for the time in UTC ({@code yyyyMMdd-HHmmss})
     * @param progress told of each step, one line each
     * @throws IllegalArgumentException when the name is not a plain name or is taken
     * @throws BackupException          when a step fails; nothing is left behind
     */
    public Result write(String name, List<Source> sources, Consumer<String> progress) {
        Instant started = clock.instant();
        String backupName = name == null || name.isBlank() ? BackupFolder.defaultName(ZonedDateTime.now(clock))
                : name.strip();
        Path target = folder.target(backupName);
        Path partial;
        try {
            partial = BackupFolder.freshPartial(target);
        } catch (IOException e) {
            throw new BackupException("Cannot create " + target + BackupFolder.PARTIAL_SUFFIX + ": " + e.getMessage(),
                    e);
        }
        try {
            ObjectNode manifest = new ObjectMapper().createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("name", backupName);
            manifest.put("panaceaVersion", version);
            manifest.put("node", node);
            manifest.put("started", started.toString());

            progress.accept("Copying the audit anchors from " + anchorFolder);
            ArrayNode anchorFiles = manifest.putArray("anchorFiles");
            copyAnchors(partial.resolve(ANCHORS)).forEach(anchorFiles::add);
            Source audit = sources.stream().filter(source -> source.name().equals("audit")).findFirst().orElse(null);
            if (audit != null) {
                ObjectNode head = manifest.putObject("auditHead");
                readHead(audit.dataSource(), head);
            }

            ArrayNode described = manifest.putArray("dataSources");
            Map<String, String> dumped = new LinkedHashMap<>();
            for (Source source : sources) {
                described.add(backUp(source, partial, dumped, progress));
            }
            Instant finished = clock.instant();
            manifest.put("finished", finished.toString());

            List<Path> files = listFiles(partial);
            ArrayNode listed = manifest.putArray("files");
            StringBuilder sums = new StringBuilder();
            long bytes = 0;
            progress.accept("Computing the checksums of " + files.size() + " files");
            for (Path file : files) {
                String relative = relative(partial, file);
                long size = Files.size(file);
                String sha = sha256(file);
                listed.addObject().put("path", relative).put("size", size).put("sha256", sha);
                sums.append(sha).append("  ").append(relative).append('\n');
                bytes += size;
            }
            Path manifestFile = partial.resolve(MANIFEST);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(manifestFile.toFile(), manifest);
            sums.append(sha256(manifestFile)).append("  ").append(MANIFEST).append('\n');
            Files.writeString(partial.resolve(CHECKSUMS), sums.toString(), StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Duration took = Duration.between(started, clock.instant());
            progress.accept("Backup " + backupName + " complete: " + (files.size() + 2) + " files, " + bytes
                    + " bytes in " + took.toMillis() + " ms, in " + target);
            return new Result(backupName, target, files.size() + 2, bytes, manifest.path("auditHead")
                    .path("sequence").asLong(0), took);
        } catch (IOException | SQLException | RuntimeException e) {
            try {
                BackupFolder.deleteTree(partial);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof BackupException backup) {
                throw backup;
            }
            throw new BackupException("The backup failed and was removed: " + e.getMessage(), e);
        }
    }

    /** Copies every anchor file, each up to its last line terminator (a line being written is left out). */
    private List<String> copyAnchors(Path target) throws IOException {
        Files.createDirectory(target);
        List<String> copied = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(anchorFolder, "*" + ANCHOR_SUFFIX)) {
            stream.forEach(files::add);
        } catch (NoSuchFileException none) {
            return copied;
        }
        files.sort(null);
        for (Path file : files) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                content = in.readAllBytes();
            }
            int end = content.length;
            while (end > 0 && content[end - 1] != '\n') {
                end--;
            }
            try (OutputStream out = Files.newOutputStream(target.resolve(file.getFileName().toString()))) {
                out.write(content, 0, end);
            }
            copied.add(file.getFileName().toString());
        }
        return copied;
    }

    private static void readHead(DataSource audit, ObjectNode head) throws SQLException {
        try (Connection connection = audit.getConnection()) {
            if (!hasTable(connection, "AUDIT_ENTRY")) {
                // A database the trail has never written to: its chain is empty.
                head.put("sequence", 0L).put("hash", "");
                return;
            }
        }
        try (Connection connection = audit.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT SEQ, ENTRY_HASH FROM AUDIT_ENTRY"
                        + " WHERE SEQ = (SELECT MAX(SEQ) FROM AUDIT_ENTRY)")) {
            if (rows.next()) {
                head.put("sequence", rows.getLong(1)).put("hash", rows.getString(2));
            } else {
                head.put("sequence", 0L).put("hash", "");
            }
        }
    }

    /** {@code true} when {@code table} exists, in upper case (Derby) or lower case (PostgreSQL). */
    private static boolean hasTable(Connection connection, String table) throws SQLException {
        try (ResultSet upper = connection.getMetaData().getTables(null, null, table, null);
                ResultSet lower = connection.getMetaData().getTables(null, null, table.toLowerCase(), null)) {
            return upper.next() || lower.next();
        }
    }

    /** Backs up one source; a PostgreSQL database already dumped for an earlier source is not dumped again. */
    private ObjectNode backUp(Source source, Path partial, Map<String, String> dumped, Consumer<String> progress)
            throws IOException, SQLException {
        ObjectNode described = new ObjectMapper().createObjectNode().put("name", source.name());
        try (Connection connection = source.dataSource().getConnection()) {
            DatabaseMetaData metadata = connection.getMetaData();
            String product = metadata.getDatabaseProductName();
            if (product.toLowerCase(Locale.ROOT).contains("derby")) {
                Path into = Files.createDirectories(partial.resolve("derby").resolve(source.name()));
                String database = derbyDatabaseName(metadata.getURL());
                described.put("kind", "derby").put("database", database)
                        .put("path", "derby/" + source.name() + "/" + database);
                progress.accept("Backing up the " + source.name() + " database (Derby " + database + ")");
                try (CallableStatement backup = connection.prepareCall("CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE(?)")) {
                    backup.setString(1, into.toString());
                    backup.execute();
                }
                if (!Files.isDirectory(into.resolve(database))) {
                    throw new BackupException("Derby's backup of the " + source.name() + " database is not where"
                            + " expected (" + into.resolve(database) + ")");
                }
            } else if (product.toLowerCase(Locale.ROOT).contains("postgres")) {
                String database;
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT current_database()")) {
                    rows.next();
                    database = rows.getString(1);
                }
                PgTarget pg = PgTarget.of(metadata.getURL(), metadata.getUserName(), database);
                String key = pg.host() + ":" + pg.port() + "/" + database;
                described.put("kind", "postgresql").put("database", database);
                String earlier = dumped.get(key);
                if (earlier != null) {
                    described.put("path", earlier);
                    progress.accept("The " + source.name() + " data source is in database " + database
                            + ", already dumped");
                } else {
                    String path = "postgresql/" + source.name() + ".dump";
                    described.put("path", path);
                    progress.accept("Dumping the " + source.name() + " database (PostgreSQL " + database + " on "
                            + pg.host() + ":" + pg.port() + ") with " + pgDump.command());
                    Path file = partial.resolve(path);
                    Files.createDirectories(file.getParent());
                    runPgDump(pg, pgDump.password().apply(source.name()), file);
                    dumped.put(key, path);
                }
            } else {
                throw new BackupException("The " + source.name() + " data source is " + product
                        + ": only embedded Derby and PostgreSQL can be backed up by platform:backup");
            }
        }
        return described;
    }

    private void runPgDump(PgTarget pg, String password, Path file) throws IOException {
        List<String> command = List.of(pgDump.command(), "--format=custom", "--no-password", "--host", pg.host(),
                "--port", String.valueOf(pg.port()), "--username", pg.user(), "--dbname", pg.database(), "--file",
                file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("PG") || key.startsWith("PANACEA_DB"));
        if (password != null && !password.isEmpty()) {
            builder.environment().put("PGPASSWORD", password);
        }
        if (pg.sslMode() != null) {
            builder.environment().put("PGSSLMODE", pg.sslMode());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BackupException("Cannot run " + pgDump.command() + " (" + e.getMessage() + "): install"
                    + " PostgreSQL's client programs, of the server's major version or newer, or name pg_dump's full"
                    + " path as pgDump in etc/org.panacea.backup.cfg", e);
        }
        process.getOutputStream().close();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readNBytes(4096);
            in.transferTo(OutputStream.nullOutputStream());
        }
        try {
            if (!process.waitFor(pgDump.timeout().toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BackupException("pg_dump did not finish within " + pgDump.timeout().toMinutes()
                        + " minutes (pgDumpTimeoutMinutes in etc/org.panacea.backup.cfg)");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackupException("Interrupted while pg_dump ran", e);
        }
        if (process.exitValue() != 0) {
            throw new BackupException("pg_dump refused (exit " + process.exitValue() + "): "
                    + summarise(new String(output, StandardCharsets.UTF_8), password));
        }
    }

    /** pg_dump's messages on one line, at most 500 characters, the password masked should it appear. */
    public static String summarise(String output, String password) {
        String text = output.strip().replaceAll("\\s+", " ");
        if (password != null && !password.isEmpty()) {
            text = text.replace(password, "***");
        }
        return text.isEmpty() ? "no message" : text.length() > 500 ? text.substring(0, 500) + " ..." : text;
    }

    /** The database's folder name from Derby's URL: {@code jdbc:derby:/x/data/db/records;create=true} gives records. */
    static String derbyDatabaseName(String url) {
        String path = url.substring("jdbc:derby:".length());
        int attributes = path.indexOf(';');
        if (attributes >= 0) {
            path = path.substring(0, attributes);
        }
        if (path.startsWith("directory:")) {
            path = path.substring("directory:".length());
        }
        String name = Path.of(path).getFileName().toString();
        if (name.isEmpty()) {
            throw new BackupException("Cannot tell the Derby database's folder from its URL");
        }
        return name;
    }

    /** Where pg_dump connects: host, port, user and database; the URL's credentials are never kept. */
    record PgTarget(String host, int port, String user, String database, String sslMode) {

        static PgTarget of(String jdbcUrl, String user, String database) {
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String sslMode = null;
            if (uri.getRawQuery() != null) {
                for (String parameter : uri.getRawQuery().split("&")) {
                    if (parameter.startsWith("sslmode=")) {
                        sslMode = parameter.substring("sslmode=".length());
                    }
                }
            }
            return new PgTarget(host, port, user, database, sslMode);
        }
    }

    private static List<Path> listFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
