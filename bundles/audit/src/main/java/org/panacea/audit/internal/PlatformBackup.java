package org.panacea.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.audit.backup.BackupException;
import org.panacea.audit.backup.BackupFolder;
import org.panacea.audit.backup.BackupWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service behind {@code platform:backup}: one backup of the three data sources and the audit anchors at a time,
 * into the configured folder ({@link BackupConfig}). It lives in the audit bundle because the anchors, which a backup
 * must hold and copy before the databases, are this bundle's own; it reaches the records and security databases only
 * through their {@link DataSource} services. A service private to this bundle: only the command, which checks that
 * its caller may administer the platform, reaches it.
 */
@Component(service = PlatformBackup.class, configurationPid = PlatformBackup.PID)
@Designate(ocd = BackupConfig.class)
public final class PlatformBackup {

    static final String PID = "org.panacea.backup";
    private static final Logger LOG = LoggerFactory.getLogger(PlatformBackup.class);
    /** Config Admin's environment placeholder, as etc/ and the features write it: {@code $[env:NAME;default=...]}. */
    private static final Pattern ENV = Pattern.compile("\\$\\[env:([A-Za-z_][A-Za-z0-9_]*)(?:;default=(.*))?\\]");

    private final List<BackupWriter.Source> sources;
    private final BackupConfig config;
    private final AnchorJournal journal;
    private final ConfigurationAdmin configurations;
    private final String version;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    @Activate
    public PlatformBackup(
            @Reference(name = "records", target = "(osgi.jndi.service.name=panacea-records)") DataSource records,
            @Reference(name = "security", target = "(osgi.jndi.service.name=panacea-security)") DataSource security,
            @Reference(name = "audit", target = "(osgi.jndi.service.name=panacea-audit)") DataSource audit,
            @Reference(name = "anchorJournal") AnchorJournal journal,
            @Reference(name = "configurations") ConfigurationAdmin configurations, BackupConfig config,
            BundleContext context) {
        // Records before security: every data key a backed-up record names is in the security backup (see BackupWriter).
        this.sources = List.of(new BackupWriter.Source("records", records),
                new BackupWriter.Source("security", security), new BackupWriter.Source("audit", audit));
        this.journal = journal;
        this.configurations = configurations;
        this.config = config;
        this.version = context.getBundle().getVersion().toString();
    }

    /**
     * Writes a backup; one at a time on this node.
     *
     * @param name     the backup's name, or {@code null} for the time
     * @param progress told of each step (the console); every step is logged too
     * @throws IllegalArgumentException when the name is refused
     * @throws IllegalStateException    when a backup is running already
     * @throws BackupException          when it fails (nothing is left of it)
     */
    public BackupWriter.Result backup(String name, Consumer<String> progress) {
        if (!oneAtATime.tryLock()) {
            throw new IllegalStateException("A backup is running already on this node: wait for it to end");
        }
        try {
            BackupFolder folder;
            try {
                folder = new BackupFolder(folder());
            } catch (IOException e) {
                throw new BackupException("Cannot open the backup folder: " + e.getMessage(), e);
            }
            BackupWriter writer = new BackupWriter(folder, journal.folder(), new BackupWriter.PgDump(config.pgDump(),
                    Duration.ofMinutes(config.pgDumpTimeoutMinutes()), this::password), journal.node(), version,
                    Clock.systemUTC());
            return writer.write(name, sources, line -> {
                LOG.info("platform:backup: {}", line);
                progress.accept(line);
            });
        } finally {
            oneAtATime.unlock();
        }
    }

    /** The configured folder, or {@code ${karaf.data}/backup}. */
    Path folder() {
        if (!config.folder().isBlank()) {
            return Path.of(config.folder().strip());
        }
        String data = System.getProperty("karaf.data");
        if (data == null) {
            throw new BackupException("No backup folder: set folder in etc/org.panacea.backup.cfg");
        }
        return Path.of(data, "backup");
    }

    /**
     * The password of a data source's database user, for pg_dump: from its pax-jdbc configuration ({@code password}
     * or the hidden {@code .password}), with an environment placeholder resolved as Config Admin would; empty when
     * none is configured (pg_dump then uses ~/.pgpass or trust).
     */
    private String password(String source) {
        try {
            Configuration[] found = configurations.listConfigurations("(dataSourceName=panacea-" + source + ")");
            if (found == null) {
                return "";
            }
            for (Configuration configuration : found) {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties == null) {
                    continue;
                }
                Object password = properties.get(".password");
                if (password == null) {
                    password = properties.get("password");
                }
                if (password != null) {
                    return resolve(password.toString());
                }
            }
            return "";
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot read the configuration of the {} data source: {}", source, e.getMessage());
            return "";
        }
    }

    /** {@code $[env:NAME;default=D]} as the environment variable NAME, or D when it is unset; other text unchanged. */
    static String resolve(String value) {
        Matcher placeholder = ENV.matcher(value.strip());
        if (!placeholder.matches()) {
            return value;
        }
        String fromEnvironment = System.getenv(placeholder.group(1));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        return placeholder.group(2) == null ? "" : placeholder.group(2);
    }
}
