package org.panacea.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.CommittedEntryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports every entry this node committed, and every anchor line of this node, as one RFC 5424 message to a file, a
 * UDP syslog server or a syslog server over TLS, in the spirit of IHE ATNA's audit record repository. Nodes sharing
 * one chain each export their own entries, so the receiver gets every entry once, from the host that wrote it. The
 * anchors sent off the host are a second copy of the anchor file that whoever controls this machine cannot take
 * back. Active only with configuration PID {@code org.panacea.audit.syslog} ({@link SyslogConfig}). It runs on the
 * trail's and the journal's listener threads, off the commit path: a failed send never fails an audited operation.
 * It is logged once when the export starts failing and once when it recovers, with how many messages were lost.
 */
@Component(service = {CommittedEntryListener.class, AnchorListener.class}, configurationPid = SyslogExporter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SyslogConfig.class)
public final class SyslogExporter implements CommittedEntryListener, AnchorListener {

    static final String PID = "org.panacea.audit.syslog";

    private static final Logger LOG = LoggerFactory.getLogger(SyslogExporter.class);

    private final SyslogSink sink;
    private final Rfc5424Formatter formatter;
    private long lostSinceFailure;
    private boolean failing;

    /**
     * @throws IllegalArgumentException when the configuration names an unknown target or misses its file or host
     * @throws UncheckedIOException     when the socket or the TLS key stores cannot be opened
     */
    @Activate
    public SyslogExporter(SyslogConfig config) {
        this(openSink(config), new Rfc5424Formatter(hostname(config.hostname())));
        LOG.info("Exporting audit entries as RFC 5424 syslog to {}", sink == null ? "nowhere (target none)" : sink);
    }

    /** @param sink where to write, or {@code null} to export nothing */
    SyslogExporter(SyslogSink sink, Rfc5424Formatter formatter) {
        this.sink = sink;
        this.formatter = formatter;
    }

    @Override
    public synchronized void onCommitted(List<AuditEntry> entries) {
        if (sink == null) {
            return;
        }
        int sent = 0;
        try {
            for (AuditEntry entry : entries) {
                sink.send(formatter.format(entry));
                sent++;
            }
            sink.flush();
            recovered();
        } catch (IOException | UncheckedIOException e) {
            failed(entries, sent, e);
        }
    }

    @Override
    public synchronized void onAnchored(AnchorLine line) {
        if (sink == null) {
            return;
        }
        try {
            sink.send(formatter.formatAnchor(line));
            sink.flush();
            recovered();
        } catch (IOException | UncheckedIOException e) {
            lostSinceFailure++;
            if (!failing) {
                failing = true;
                LOG.error("Audit syslog export to {} failed at anchor line {} of node {} (it stays in the anchor"
                        + " file): {}", sink, line.index(), line.node(), e.toString());
            }
        }
    }

    @Deactivate
    synchronized void close() {
        if (sink != null) {
            sink.close();
        }
    }

    private void recovered() {
        if (failing) {
            LOG.info("Audit syslog export to {} works again; {} messages were not exported", sink, lostSinceFailure);
            failing = false;
            lostSinceFailure = 0;
        }
    }

    private void failed(List<AuditEntry> entries, int sent, Exception e) {
        // Entries written but not flushed may be lost too: count the whole batch.
        lostSinceFailure += entries.size();
        if (!failing) {
            failing = true;
            LOG.error("Audit syslog export to {} failed at entry {} (the entries stay in the audit trail): {}", sink,
                    entries.get(Math.min(sent, entries.size() - 1)).sequence(), e.toString());
        }
    }

    private static SyslogSink openSink(SyslogConfig config) {
        String target = config.target().strip().toLowerCase(Locale.ROOT);
        switch (target) {
            case "none", "" -> {
                return null;
            }
            case "file" -> {
                if (config.file().isBlank()) {
                    throw new IllegalArgumentException(PID + ": target file needs the file property");
                }
                return new FileSyslogSink(Path.of(config.file().strip()));
            }
            case "udp" -> {
                int port = port(config, 514, "udp");
                try {
                    return new UdpSyslogSink(config.host().strip(), port);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot open a UDP socket for the audit syslog export", e);
                }
            }
            case "tls" -> {
                int port = port(config, TlsSyslogSink.DEFAULT_PORT, "tls");
                try {
                    SSLContext context = TlsSyslogSink.context(path(config.trustStore()),
                            config._trustStorePassword().toCharArray(), config.trustStoreType().strip(),
                            path(config.keyStore()), config._keyStorePassword().toCharArray(),
                            config.keyStoreType().strip());
                    return new TlsSyslogSink(config.host().strip(), port, context.getSocketFactory(),
                            Math.max(1, config.connectTimeoutSeconds()) * 1000);
                } catch (IOException e) {
                    throw new UncheckedIOException(PID + ": " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException(PID + ": unknown target '" + config.target()
                    + "', use file, udp, tls or none");
        }
    }

    /** The configured port, or {@code standard} for 0. */
    private static int port(SyslogConfig config, int standard, String target) {
        int port = config.port() == 0 ? standard : config.port();
        if (config.host().isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(PID + ": target " + target + " needs host and a port in 1..65535");
        }
        return port;
    }

    private static Path path(String configured) {
        return configured.isBlank() ? null : Path.of(configured.strip());
    }

    private static String hostname(String configured) {
        if (!configured.isBlank()) {
            return configured.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
