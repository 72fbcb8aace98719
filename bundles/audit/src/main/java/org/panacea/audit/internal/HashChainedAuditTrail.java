package org.panacea.audit.internal;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.audit.AuditEntry;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditQuery;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.AuditVerification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link AuditTrail}: a SHA-256 hash chain in three JDBC tables, sealed with HMAC checkpoints under a
 * key kept outside the database. {@link #record} returns once its entry's transaction committed; concurrent callers
 * share transactions (group commit) through one writer thread, so the chain is never forked or gapped.
 *
 * <p>Configured by PID {@code org.panacea.audit} ({@link AuditTrailConfig}); stores into the {@link DataSource}
 * registered as {@value #DATA_SOURCE_TARGET}. Committed entries go to every {@link CommittedEntryListener} service.
 */
@Component(service = AuditTrail.class, configurationPid = HashChainedAuditTrail.PID)
@Designate(ocd = AuditTrailConfig.class)
public final class HashChainedAuditTrail implements AuditTrail {

    static final String PID = "org.panacea.audit";
    static final String DATA_SOURCE_TARGET = "(osgi.jndi.service.name=panacea-audit)";

    private static final Logger LOG = LoggerFactory.getLogger(HashChainedAuditTrail.class);

    private final DataSource dataSource;
    private final EntryHasher hasher = new EntryHasher();
    private final AuditStore store = new AuditStore();
    private final CommittedEntryDispatcher dispatcher = new CommittedEntryDispatcher();
    private final ChainVerifier verifier;
    private final ChainAppender appender;
    private final GroupCommitWriter<DigestedEvent, AuditEntry> writer;

    @Activate
    public HashChainedAuditTrail(@Reference(name = "dataSource", target = DATA_SOURCE_TARGET) DataSource dataSource,
            AuditTrailConfig config) {
        this(dataSource, TrailSettings.from(config, System.getProperty("karaf.etc")));
    }

    /**
     * Opens the trail on {@code dataSource}: creates missing tables, loads the chain head and starts the writer.
     *
     * @throws AuditException when the key file or the database cannot be opened
     */
    HashChainedAuditTrail(DataSource dataSource, TrailSettings settings) {
        this.dataSource = dataSource;
        CheckpointSealer sealer = new CheckpointSealer(readKey(settings));
        createSchema(dataSource);
        this.verifier = new ChainVerifier(store, hasher, sealer);
        this.appender = new ChainAppender(dataSource, store, hasher, sealer, settings.checkpointInterval());
        try {
            ChainHead head = appender.loadHead();
            LOG.info("Audit trail open at entry {}, a checkpoint every {} entries, key {}", head.sequence(),
                    settings.checkpointInterval(), settings.keyFile());
        } catch (AuditException e) {
            // Stay up so audit:verify can show what is wrong; every record() fails until the head loads.
            LOG.error("The audit trail refuses new entries: {}", e.getMessage());
        }
        this.writer = new GroupCommitWriter<>(appender::commit, dispatcher::dispatch, settings.maxBatchSize(),
                "panacea-audit-writer");
    }

    @Override
    public AuditEntry record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditSchema.checkFits(event);
        return writer.submit(new DigestedEvent(event, hasher.digestDetails(event.details())));
    }

    @Override
    public List<AuditEntry> search(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        try (Connection connection = dataSource.getConnection()) {
            return store.search(connection, query).stream().map(EntryRow::toAuditEntry).toList();
        } catch (SQLException e) {
            throw new AuditException("Cannot search the audit trail: " + e.getMessage(), e);
        }
    }

    /** @throws AuditException when the database cannot be read (which says nothing about tampering) */
    @Override
    public AuditVerification verify() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                AuditVerification result = verifier.verify(connection);
                LOG.info("Audit verification: {}", result.summary());
                return result;
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new AuditException("Cannot read the audit trail to verify it: " + e.getMessage(), e);
        }
    }

    /** Stores what is queued, seals the newest entry as a checkpoint and stops. */
    @Deactivate
    void close() {
        writer.close();
        if (writer.isStopped()) {
            // Only once the writer is gone: the appender's connection is not shared.
            appender.sealFinalCheckpoint();
            appender.close();
        }
        dispatcher.close();
    }

    @Reference(name = "committedEntryListener", service = CommittedEntryListener.class,
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeListener")
    void addListener(CommittedEntryListener listener) {
        dispatcher.add(listener);
    }

    void removeListener(CommittedEntryListener listener) {
        dispatcher.remove(listener);
    }

    /** The last committed head, for tests and diagnostics. */
    Optional<ChainHead> committedHead() {
        return appender.committedHead();
    }

    private static byte[] readKey(TrailSettings settings) {
        try {
            return AuditKeyFile.loadOrCreate(settings.keyFile());
        } catch (IOException e) {
            throw new AuditException("Cannot open the audit key file " + settings.keyFile() + ": " + e.getMessage(),
                    e);
        }
    }

    private static void createSchema(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            AuditSchema.createIfMissing(connection);
        } catch (SQLException e) {
            throw new AuditException("Cannot create the audit tables: " + e.getMessage(), e);
        }
    }
}
