package org.panacea.dicom.dimse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.dicom.http.QidoRs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM network service (DIMSE service class provider): listens on the configured port, and serves each
 * association on a thread of its own. The number of associations is bounded: one over the limit is still read far
 * enough to be refused properly (a transient A-ASSOCIATE-RJ, audited), and a few connections beyond that are simply
 * closed, so a flood of connections cannot take threads without bound. Configuration PID {@code org.panacea.dicom}.
 */
@Component(immediate = true, configurationPid = "org.panacea.dicom",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DicomNetworkConfig.class)
public class DicomNetworkService {

    private static final Logger LOG = LoggerFactory.getLogger(DicomNetworkService.class);
    /** Threads beyond the association limit, to answer the connections over it with a refusal. */
    private static final int REFUSING_THREADS = 4;

    private final ServerSocket server;
    private final ExecutorService associations;
    /** The connections being served, closed when the service stops (a blocked read does not heed interrupts). */
    private final java.util.Set<Socket> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread listener;

    @Activate
    public DicomNetworkService(@Reference ImageArchive archive, @Reference PatientRecords records,
            @Reference CallerAuthentication callers, @Reference AuditTrail audit, DicomNetworkConfig config) {
        if (config.ae_title().isBlank() || config.ae_title().length() > 16) {
            throw new IllegalArgumentException("ae.title must have 1 to 16 characters, was '" + config.ae_title()
                    + "'");
        }
        AssociationAcceptor.Settings settings = new AssociationAcceptor.Settings(config.ae_title().strip(),
                PeerTable.parse(config.peers()), Math.max(1, config.max_associations()),
                Math.max(4096, config.max_pdu_length()), Math.max(1, config.artim_timeout_seconds()) * 1000,
                Math.max(1, config.idle_timeout_seconds()) * 1000);
        NetworkAudit networkAudit = new NetworkAudit(audit, settings.aeTitle());
        DicomTls tls = DicomTls.of(config, java.nio.file.Path.of(System.getProperty("karaf.home", ".")));
        QidoRs qido = new QidoRs(records);
        Destinations destinations = Destinations.parse(config.destinations());
        ServiceClassProvider provider = new ServiceClassProvider(archive,
                config.strict_values() ? ValueChecking.STRICT : ValueChecking.LENIENT, new QueryProvider(qido),
                new RetrieveProvider(qido, archive, destinations, settings.aeTitle(), settings.maxPduLength(),
                        settings.artimMillis() * 3, tls),
                new StorageCommitmentProvider(archive, destinations, settings.aeTitle(), settings.maxPduLength(),
                        settings.artimMillis() * 3, tls));
        AtomicInteger active = new AtomicInteger();
        AtomicInteger threads = new AtomicInteger();
        this.associations = new ThreadPoolExecutor(0, settings.maxAssociations() + REFUSING_THREADS, 30,
                TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "panacea-dicom-association-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        if (!config.enabled()) {
            this.server = null;
            this.listener = null;
            LOG.info("DICOM network service disabled (enabled = false in org.panacea.dicom)");
            return;
        }
        try {
            this.server = tls == null ? new ServerSocket() : tls.serverSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(config.bind_address()), config.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("the DICOM network service cannot listen on " + config.bind_address() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        this.listener = new Thread(() -> accept(settings, active, networkAudit, callers, provider),
                "panacea-dicom-listener");
        listener.setDaemon(true);
        listener.start();
        LOG.info("DICOM network service {} listening on {}:{}{}", settings.aeTitle(), config.bind_address(),
                server.getLocalPort(), tls == null ? "" : " (TLS)");
    }

    private void accept(AssociationAcceptor.Settings settings, AtomicInteger active, NetworkAudit audit,
            CallerAuthentication callers, ServiceClassProvider provider) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("DICOM network service: accepting a connection failed: {}", e.getMessage());
                }
                continue;
            }
            try {
                connections.add(socket);
                AssociationAcceptor acceptor = new AssociationAcceptor(socket, settings, active, audit, callers,
                        provider);
                associations.execute(() -> {
                    try {
                        acceptor.run();
                    } finally {
                        connections.remove(socket);
                    }
                });
            } catch (RejectedExecutionException e) {
                connections.remove(socket);
                LOG.warn("DICOM network service: connection from {} closed, every thread is busy",
                        socket.getInetAddress().getHostAddress());
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a connection no one will serve
                }
            }
        }
    }

    /** The port the service listens on (the configured one; useful when 0 asked for any free port). */
    public int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.debug("closing the DICOM listener", e);
            }
        }
        associations.shutdownNow();
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.debug("closing a DICOM connection", e);
            }
        }
    }
}
