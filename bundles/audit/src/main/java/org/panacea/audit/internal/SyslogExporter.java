package org.panacea.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.audit.AuditEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports every committed entry as one RFC 5424 line to a file or a UDP syslog server, in the spirit of IHE ATNA's
 * audit record repository. Active only with configuration PID {@code org.panacea.audit.syslog} ({@link SyslogConfig}).
 * It runs on the trail's listener thread, off the commit path: a failed send never fails an audited operation. It is
 * logged once when the export starts failing and once when it recovers, with how many entries were lost.
 */
@Component(service = CommittedEntryListener.class, configurationPid = SyslogExporter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SyslogConfig.class)
public final class SyslogExporter implements CommittedEntryListener {

    static final String PID = "org.panacea.audit.syslog";

    private static final Logger LOG = LoggerFactory.getLogger(SyslogExporter.class);

    private final SyslogSink sink;
    private final Rfc5424Formatter formatter;
    private long lostSinceFailure;
    private boolean failing;

    /** @throws IllegalArgumentException when the configuration names an unknown target or misses its file or host */
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

    @Deactivate
    synchronized void close() {
        if (sink != null) {
            sink.close();
        }
    }

    private void recovered() {
        if (failing) {
            LOG.info("Audit syslog export to {} works again; {} entries were not exported", sink, lostSinceFailure);
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
                if (config.host().isBlank() || config.port() < 1 || config.port() > 65535) {
                    throw new IllegalArgumentException(PID + ": target udp needs host and a port in 1..65535");
                }
                try {
                    return new UdpSyslogSink(config.host().strip(), config.port());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot open a UDP socket for the audit syslog export", e);
                }
            }
            default -> throw new IllegalArgumentException(PID + ": unknown target '" + config.target()
                    + "', use file, udp or none");
        }
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
