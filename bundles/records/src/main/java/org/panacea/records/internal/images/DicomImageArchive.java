package org.panacea.records.internal.images;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.persistence.EntityManager;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.audit.PendingEntries;
import org.panacea.api.imaging.ArchivedInstance;
import org.panacea.api.imaging.Derivation;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageArchive;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.InvalidImageException;
import org.panacea.api.imaging.StoredInstance;
import org.panacea.api.imaging.ValueChecking;
import org.panacea.api.imaging.ValueWarning;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;
import org.panacea.dicom.read.DicomFormatException;
import org.panacea.dicom.read.DicomInstance;
import org.panacea.dicom.read.DicomLimitException;
import org.panacea.dicom.read.DicomReadLimits;
import org.panacea.dicom.read.CopiedInstance;
import org.panacea.dicom.read.DicomReader;
import org.panacea.dicom.write.DerivedInstances;
import org.panacea.dicom.write.SourceImage;
import org.panacea.dicom.write.Uids;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.records.internal.RecordAudit;
import org.panacea.records.internal.ResourceStore;
import org.panacea.records.internal.ResourceStore.Draft;
import org.panacea.records.internal.Sealed;
import org.panacea.records.internal.Transactions;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareScope;
import org.panacea.records.internal.care.CareSettings;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.store.ResourceRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The image archive on the record's database. A DICOM upload is read by the strict DICOM reader while its bytes
 * are sealed and written in 1 MiB chunks as they arrive, all in one transaction with the instance's row, from which
 * the study's ImagingStudy lists it ({@link ImagingStudyListing}): a file the reader refuses leaves nothing behind.
 * The patient is found by DICOM Patient ID, or created from the DICOM demographics once the file has been read; the
 * study by its Study Instance UID, and created with the study's first instance. A second copy of an instance already
 * stored is acknowledged, not stored again.
 * <p>
 * Any number of stores of one new patient, study or series may run at once, on one node or on several sharing the
 * database: the database decides which creates the patient and the study, and the others file under them (see
 * {@code patientOf} and {@code studyRow}). Stores into a study that exists take no lock on it.
 * <p>
 * Its collaborators are its own: the access policy, the records database's {@link Transactions}, the field
 * encryption and the audit trail; the patient and study resources it files images under are written through a
 * {@link ResourceStore}, as any other writer of resources does.
 */
@Component(service = ImageArchive.class, configurationPid = DicomImageArchive.PID)
@Designate(ocd = DicomImageArchive.Config.class)
public class DicomImageArchive implements ImageArchive {

    /** Configuration PID: {@code etc/org.panacea.records.images.cfg}. */
    static final String PID = "org.panacea.records.images";

    @ObjectClassDefinition(name = "Panacea image archive", description = "Limits of the DICOM files the archive "
            + "stores")
    public @interface Config {
        @AttributeDefinition(description = "Largest decoded pixel data (all frames) of one DICOM instance stored, in "
                + "MiB; a file declaring more is refused (413) before its pixels are allocated")
        int max_pixel_mebibytes() default 1024;

        @AttributeDefinition(description = "DICOM stores (STOW-RS, C-STORE, derived instances) run at once; the "
                + "others wait their turn. The records connection pool must hold at least this many plus one "
                + "(docs/operations.md, Connection pools)")
        int max_concurrent_stores() default DEFAULT_CONCURRENT_STORES;
    }

    /**
     * Stores run at once unless configured otherwise. A store holds a records connection from its first chunk on, and
     * one that finds no patient for its Patient ID asks for a second, to create the patient in a transaction of its
     * own: the only place a request holds a connection of the records pool while it waits for another. Were every
     * connection held by such stores, each waiting for a second, none would get one. So no more than this many run at
     * once, and the records pool (16 by default) is at least one larger: one of them always gets its second.
     */
    public static final int DEFAULT_CONCURRENT_STORES = 8;
    /** How long a store waits for its turn before it fails as a store that lost the database does. */
    private static final long STORE_TURN_WAIT_SECONDS = 60;

    /** Secondary Capture Image Storage: the SOP class of images made by algorithms. */
    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final String TYPE = DicomResources.IMAGING_STUDY;
    private static final Logger LOG = LoggerFactory.getLogger(DicomImageArchive.class);
    /**
     * Transactions run to create a DICOM file's new patient: a refused one (a concurrent store took the identifier
     * first) is run again and finds the winner's patient, so a second refusal means something else is wrong.
     */
    private static final int PATIENT_ATTEMPTS = 3;

    private final Transactions transactions;
    private final AccessPolicy policy;
    private final FieldEncryption encryption;
    private final RecordAudit audit;
    private final Clock clock;
    private final ResourceStore resources;
    private final StudyModalityIndex studyIndex;
    /** Reads uploads, within the configured limits. */
    private final DicomReader reader;
    /** Reads stored files (of exact length, checked when they arrived): never refuses one a lower limit now would. */
    private final DicomReader storedReader;
    private final long maxPixelBytes;
    private final CareRelationshipAccess care;
    /** Turns of {@link #storeInTransaction}: see {@link #DEFAULT_CONCURRENT_STORES}. */
    private final Semaphore storeTurns;
    /** The device named in the derived instances this archive writes: this node, this version of Panacea. */
    private final DerivedInstances.Equipment equipment = new DerivedInstances.Equipment(
            System.getProperty("karaf.name", "panacea"), softwareVersion());

    @Activate
    public DicomImageArchive(@Reference Transactions transactions, @Reference AccessPolicy policy,
            @Reference FieldEncryption encryption, @Reference AuditTrail audit,
            @Reference CareRelationshipAccess care, Config config) {
        this(transactions, policy, encryption, audit, Clock.systemUTC(),
                Math.max(1, config.max_pixel_mebibytes()) * 1024L * 1024L, care, config.max_concurrent_stores());
    }

    /** With the default limits (1 GiB of pixel data). */
    public DicomImageArchive(Transactions transactions, AccessPolicy policy, FieldEncryption encryption,
            AuditTrail audit, Clock clock) {
        this(transactions, policy, encryption, audit, clock, DicomReadLimits.DEFAULT.maxPixelDataBytes());
    }

    /** Storing at most {@code maxPixelBytes} of decoded pixel data per instance. */
    public DicomImageArchive(Transactions transactions, AccessPolicy policy, FieldEncryption encryption,
            AuditTrail audit, Clock clock, long maxPixelBytes) {
        this(transactions, policy, encryption, audit, clock, maxPixelBytes, new CareRelationshipAccess(transactions,
                encryption, policy, audit, clock, CareSettings.DEFAULTS));
    }

    /** Storing at most {@code maxPixelBytes} per instance, asking {@code care} before it opens a chart. */
    public DicomImageArchive(Transactions transactions, AccessPolicy policy, FieldEncryption encryption,
            AuditTrail audit, Clock clock, long maxPixelBytes, CareRelationshipAccess care) {
        this(transactions, policy, encryption, audit, clock, maxPixelBytes, care, DEFAULT_CONCURRENT_STORES);
    }

    /** As above, running at most {@code maxConcurrentStores} stores at once. */
    public DicomImageArchive(Transactions transactions, AccessPolicy policy, FieldEncryption encryption,
            AuditTrail audit, Clock clock, long maxPixelBytes, CareRelationshipAccess care, int maxConcurrentStores) {
        this.storeTurns = new Semaphore(Math.max(1, maxConcurrentStores), true);
        this.care = care;
        this.transactions = transactions;
        this.policy = policy;
        this.encryption = encryption;
        this.audit = new RecordAudit(audit);
        this.clock = clock;
        this.resources = new ResourceStore(transactions, encryption, this.audit, clock);
        this.studyIndex = new StudyModalityIndex(resources);
        this.maxPixelBytes = maxPixelBytes;
        DicomReadLimits defaults = DicomReadLimits.DEFAULT;
        this.reader = new DicomReader(new DicomReadLimits(maxPixelBytes, defaults.maxInflatedBytes(),
                defaults.maxValueBytes(), defaults.maxSequenceDepth()));
        this.storedReader = new DicomReader(new DicomReadLimits(Math.max(maxPixelBytes,
                defaults.maxPixelDataBytes()), defaults.maxInflatedBytes(), defaults.maxValueBytes(),
                defaults.maxSequenceDepth()));
    }

    // ----------------------------------------------------------------------------------------------------- store

    @Override
    public ArchivedInstance store(Caller caller, InputStream part10) {
        return store(caller, part10, ValueChecking.STRICT).instance();
    }

    @Override
    public StoredInstance store(Caller caller, InputStream part10, ValueChecking checking) {
        policy.require(caller, Operation.CREATE, TYPE);
        // The instance's key, known once the file is read (see the end of this method), and what the file held.
        AtomicReference<String> instanceToken = new AtomicReference<>();
        AtomicReference<DicomInstance> read = new AtomicReference<>();
        ImageInstanceRow stored;
        try {
            stored = storeInTransaction(caller, part10, checking, instanceToken, read, null);
        } catch (PersistenceException e) {
            // Copies of one instance stored at once under different studies are not kept apart by any lock (see
            // studyRow): the database refuses the second row, and that copy is answered as a second copy is.
            ImageInstanceRow first = instanceToken.get() == null ? null
                    : transactions.read(em -> em.find(ImageInstanceRow.class, instanceToken.get()));
            if (first == null) {
                throw e;
            }
            stored = first;
        }
        DicomInstance dicom = read.get();
        return new StoredInstance(describe(stored), dicom.instance().sopClassUid(), dicom.warnings());
    }

    /**
     * @param read       receives what the file held
     * @param derivation for an instance Panacea derived: its source's SOP Instance UID and what made it, recorded in
     *                   its sealed metadata and audit entry; {@code null} for a received file
     */
    private ImageInstanceRow storeInTransaction(Caller caller, InputStream part10, ValueChecking checking,
            AtomicReference<String> instanceToken, AtomicReference<DicomInstance> read, String[] derivation) {
        // The turn is taken before the transaction holds a connection, so a store waiting here holds none.
        try {
            if (!storeTurns.tryAcquire(STORE_TURN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new DatabaseUnavailableException(new SQLTransientConnectionException("the image archive is "
                        + "busy: " + STORE_TURN_WAIT_SECONDS + " s without a turn among its stores running at once"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException(new SQLTransientConnectionException("interrupted while waiting "
                    + "for a turn to store"));
        }
        try {
            return storeInTurn(caller, part10, checking, instanceToken, read, derivation);
        } finally {
            storeTurns.release();
        }
    }

    private ImageInstanceRow storeInTurn(Caller caller, InputStream part10, ValueChecking checking,
            AtomicReference<String> instanceToken, AtomicReference<DicomInstance> read, String[] derivation) {
        AtomicReference<Submitted> submitted = new AtomicReference<>();
        try {
            return storeInOneTransaction(caller, part10, checking, instanceToken, read, derivation, submitted);
        } catch (RuntimeException e) {
            Submitted entries = submitted.get();
            if (entries != null && !(e instanceof AuditException)) {
                // The store's entries were handed to the trail and may be stored: say that it failed. (When the
                // trail itself failed, it accounts for entries stored after all; see HashChainedAuditTrail.)
                try {
                    audit.record(caller, AuditAction.CREATE, TYPE, entries.studyId(), entries.patientId(),
                            AuditOutcome.ERROR, "DICOM instance not stored after all (" + e.getClass().getSimpleName()
                                    + "); nothing of it was kept");
                } catch (RuntimeException auditFailure) {
                    e.addSuppressed(auditFailure);
                }
            }
            throw e;
        }
    }

    /** The store's entries, once handed to the audit trail, and what they name. */
    private record Submitted(PendingEntries entries, String studyId, String patientId) {
    }

    private ImageInstanceRow storeInOneTransaction(Caller caller, InputStream part10, ValueChecking checking,
            AtomicReference<String> instanceToken, AtomicReference<DicomInstance> read, String[] derivation,
            AtomicReference<Submitted> submitted) {
        return transactions.inTransaction(em -> {
            String binaryId = UUID.randomUUID().toString();
            ChunkWriter chunks = new ChunkWriter(encryption, em, binaryId);
            DicomInstance dicom;
            try (InputStream copying = chunks.copying(part10)) {
                dicom = reader.read(copying, -1, checking);
                chunks.drain(copying);
            } catch (DicomLimitException e) {
                throw new InvalidImageException(e.getMessage() + ": the archive stores at most " + maxPixelBytes
                        / (1024 * 1024) + " MiB of pixel data per instance (max.pixel.mebibytes in etc/" + PID
                        + ".cfg)", e);
            } catch (DicomFormatException e) {
                throw new InvalidImageException(e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("the upload could not be read: " + e.getMessage(), e);
            }
            chunks.finish();
            String uid = dicom.instance().sopInstanceUid();
            if (uid == null || uid.isBlank()) {
                throw new InvalidImageException("the file has no SOP Instance UID (0008,0018)");
            }
            String token = uidToken(uid);
            instanceToken.set(token);
            read.set(dicom);
            ImageInstanceRow existing = em.find(ImageInstanceRow.class, token);
            if (existing != null) {
                // A copy of an instance already stored: acknowledged, and nothing of this upload is kept.
                em.getTransaction().setRollbackOnly();
                return existing;
            }
            String patientId = patientOf(em, caller, dicom);
            // Stores of one existing study do not wait for each other (the instance is a row of its own, see
            // ImagingStudyListing); a copy of this instance stored at the same moment is kept out by the instance
            // row's key, which the database gives one of them (see store).
            Optional<ResourceRow> studyRow = studyRow(em, patientId, dicom);
            StudyFiling filing = studyFiling(caller, patientId, dicom, studyRow);
            String studyId = filing.studyId();
            String modality = DicomResources.modality(dicom.series().modality());
            int width = dicom.image().columns();
            int height = dicom.image().rows();
            int frames = dicom.frames().size();
            // The study's and the instance's entries are handed to the audit trail as soon as they are known, and
            // awaited just before this transaction commits: the trail's commit runs while the rest of the record's
            // work is done, and the record is still never durable before its entries (see Submitted).
            submitted.set(new Submitted(audit.submitAll(List.of(filing.event(), audit.event(caller,
                    AuditAction.CREATE, TYPE, studyId, patientId, AuditOutcome.SUCCESS, (derivation == null
                            ? "DICOM instance stored: " : "derived DICOM instance stored (" + truncate(derivation[1])
                                    + "): ") + modality + " " + width + "x" + height + ", " + frames + " frame(s), "
                            + chunks.bytes() + " bytes" + storedAsReceived(dicom)))), studyId, patientId));
            fileInStudy(em, dicom, studyRow, filing);
            // What the ImagingStudy lists of the instance, read from here (sealed) when the study is read.
            ObjectNode metadata = FhirJson.MAPPER.createObjectNode()
                    .put("studyInstanceUid", dicom.study().instanceUid())
                    .put("seriesInstanceUid", dicom.series().instanceUid())
                    .put("sopInstanceUid", uid).put("derivedFrom", derivation == null ? "" : derivation[0]);
            if (dicom.instance().sopClassUid() != null) {
                metadata.put("sopClassUid", dicom.instance().sopClassUid());
            }
            if (dicom.series().description() != null && !dicom.series().description().isBlank()) {
                metadata.put("seriesDescription", dicom.series().description());
            }
            if (derivation != null) {
                metadata.put("derivation", derivation[1]);
            }
            // The values stored as received, kept (sealed) with the image: the file itself holds them as they came.
            for (ValueWarning warning : dicom.warnings()) {
                metadata.withArray("valueWarnings").addObject().put("tag", warning.element())
                        .put("received", warning.received()).put("problem", warning.problem())
                        .put("reading", warning.reading());
            }
            byte[] sealedMetadata = encryption.encrypt(Sealed.imageMetadata(binaryId, token, patientId, studyId,
                    ImageInstanceRow.FORMAT_DICOM, modality, width, height, frames, chunks.bytes(), chunks.count()),
                    FhirJson.toBytes(metadata));
            ImageInstanceRow row = new ImageInstanceRow(token, binaryId, patientId, studyId,
                    ImageInstanceRow.FORMAT_DICOM, modality, width, height, frames, chunks.bytes(), chunks.count(),
                    clock.millis(), sealedMetadata, Sealed.BOUND);
            em.persist(row);
            em.flush();
            // Durable before the commit below, or the store fails: never a stored image without its audit entry.
            submitted.get().entries().await();
            return row;
        });
    }

    /** For the audit trail: the elements whose values were stored as received, never the values. */
    private static String storedAsReceived(DicomInstance dicom) {
        if (dicom.warnings().isEmpty()) {
            return "";
        }
        return "; values stored as received: " + String.join(" ", dicom.warnings().stream()
                .map(ValueWarning::element).toList());
    }

    /** The patient a DICOM file belongs to: by Patient ID, or created from the file's demographics. */
    private String patientOf(EntityManager em, Caller caller, DicomInstance dicom) {
        DicomInstance.Patient patient = dicom.patient();
        if (patient.id() == null || patient.id().isBlank()) {
            throw new InvalidImageException("the file has no Patient ID (0010,0020): Panacea files every image under "
                    + "its patient");
        }
        String identifier = DicomResources.DICOM_PATIENT_ID + "|" + patient.id();
        Optional<String> known = resources.findByIdentifier(em, "Patient", identifier);
        if (known.isPresent()) {
            // Filing an image in an existing chart writes to it: a person needs a care relationship.
            care.require(em, caller, known.get(), TYPE, "");
            return known.get();
        }
        policy.require(caller, Operation.CREATE, "Patient");
        // A new patient is created in a transaction of its own, committed at once, while this one (holding the upload)
        // waits. Stores of one new patient at the same moment, on this node or another, race for its identifier's
        // claim, whose key the database lets one of them take; the others' transactions are refused, and run again
        // they find the winner's patient. A file refused later leaves the patient, as a FHIR create would have.
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.inTransaction(own -> {
                    Optional<String> winner = resources.findByIdentifier(own, "Patient", identifier);
                    if (winner.isPresent()) {
                        return winner.get();
                    }
                    String id = resources.newId();
                    List<AuditEvent> audits = new ArrayList<>(1);
                    write(own, caller, "Patient", id, DicomResources.patient(patient, sexWasInvalid(dicom)), null,
                            Set.of(), AuditAction.CREATE, "created from a DICOM file's demographics", audits);
                    audit.recordAll(audits);
                    return id;
                }, (id, failure) -> {
                    audit.record(caller, AuditAction.CREATE, "Patient", id, id, AuditOutcome.ERROR,
                            "commit failed; nothing was stored");
                    return failure;
                });
            } catch (InvalidResourceException | PersistenceException refused) {
                if (attempt == PATIENT_ATTEMPTS) {
                    throw refused;
                }
                LOG.debug("A concurrent store created the patient first; looking again", refused);
            }
        }
    }

    private static boolean sexWasInvalid(DicomInstance dicom) {
        return dicom.warnings().stream().anyMatch(warning -> warning.tag() == 0x00100040);
    }

    /**
     * The row of the study's ImagingStudy (not locked: an instance does not change it); or, when the study has none
     * yet, empty, with the patient's row locked until this transaction ends. Stores of one new study at the same
     * moment, on this node or another, wait on that lock for the first to commit, and then find its ImagingStudy: the
     * study is created once, with its first instance, in the transaction that stores that instance.
     */
    private Optional<ResourceRow> studyRow(EntityManager em, String patientId, DicomInstance dicom) {
        String studyUid = dicom.study().instanceUid();
        String identifier = DicomResources.URI_SYSTEM + "|" + DicomResources.studyIdentifier(studyUid);
        boolean patientLocked = false;
        while (true) {
            Optional<String> known = resources.findByIdentifier(em, TYPE, identifier);
            ResourceRow row = known.isEmpty() ? null : em.find(ResourceRow.class, known.get());
            if (row != null) {
                if (!patientId.equals(row.patientId())) {
                    throw new InvalidImageException("study " + studyUid + " is already filed under another patient "
                            + "than this file's Patient ID names; refusing to mix two patients' images");
                }
                return Optional.of(row);
            }
            if (patientLocked) {
                return Optional.empty();
            }
            // Read again once the lock is held: a study committed while this store waited is seen now. The lock also
            // keeps the patient from being deleted before the new study that references it is committed.
            if (em.find(ResourceRow.class, patientId, LockModeType.PESSIMISTIC_WRITE) == null) {
                throw new ResourceNotFoundException("Patient", patientId);
            }
            patientLocked = true;
        }
    }

    /**
     * How the instance is filed in its study, decided before anything is written so that its audit entry can be
     * handed to the trail at once: a new ImagingStudy listing it when {@code studyRow} is empty (prepared and
     * validated here, written by {@link #fileInStudy}); else the study's resource is left as it is (its readers list
     * the instance from its row, see {@link ImagingStudyListing}). The audit entries are those of the rewrite this
     * replaces: the study created, or an instance added to it.
     */
    private record StudyFiling(String studyId, Draft newStudy, AuditEvent event) {
    }

    private StudyFiling studyFiling(Caller caller, String patientId, DicomInstance dicom,
            Optional<ResourceRow> studyRow) {
        if (studyRow.isEmpty()) {
            String id = resources.newId();
            Draft draft = prepare(caller, TYPE, id, DicomResources.newStudy(patientId, dicom), AuditAction.CREATE);
            return new StudyFiling(id, draft, audit.event(caller, AuditAction.CREATE, TYPE, id, draft.patientId(),
                    AuditOutcome.SUCCESS, "study filed from a DICOM file"));
        }
        ResourceRow row = studyRow.get();
        return new StudyFiling(row.id(), null, audit.event(caller, AuditAction.UPDATE, TYPE, row.id(), patientId,
                AuditOutcome.SUCCESS, "instance added from a DICOM file"));
    }

    /**
     * Files the instance in its study as {@code filing} decided: writes the new ImagingStudy, or adds a modality new
     * to the existing study to its search index.
     */
    private void fileInStudy(EntityManager em, DicomInstance dicom, Optional<ResourceRow> studyRow,
            StudyFiling filing) {
        if (filing.newStudy() != null) {
            resources.write(em, filing.newStudy(), null, Set.of());
            em.flush();
            return;
        }
        studyIndex.addModality(em, studyRow.orElseThrow(), DicomResources.modality(dicom.series().modality()));
    }

    /**
     * Writes a resource the archive files images under, in the open transaction of {@code em}, and adds its audit
     * entry to {@code audits}, which the caller records before the transaction commits.
     * {@code knownPatients} are patients not to look up again: an existing study's own, which that study's reference
     * keeps from being deleted. Reading its row would, on Derby, wait for a store holding the patient's lock (see
     * {@link #studyRow}) while holding the study this store has locked: two stores waiting for each other.
     */
    private void write(EntityManager em, Caller caller, String type, String id, ObjectNode json, ResourceRow existing,
            Set<String> knownPatients, AuditAction action, String details, List<AuditEvent> audits) {
        Draft draft = prepare(caller, type, id, json, action);
        resources.write(em, draft, existing, knownPatients);
        em.flush();
        audits.add(audit.event(caller, action, type, id, draft.patientId(), AuditOutcome.SUCCESS, details));
    }

    /** The resource checked and sealed, ready to write; a file whose data makes it invalid is refused. */
    private Draft prepare(Caller caller, String type, String id, ObjectNode json, AuditAction action) {
        try {
            return resources.prepare(type, id, json, true, caller, action);
        } catch (InvalidResourceException e) {
            throw new InvalidImageException("the file's " + type + " data is not valid: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------ read

    @Override
    public ArchivedInstance describe(Caller caller, String sopInstanceUid) {
        policy.require(caller, Operation.READ, TYPE);
        return transactions.read(em -> describe(find(em, caller, sopInstanceUid)));
    }

    private ArchivedInstance describe(ImageInstanceRow row) {
        JsonNode metadata = metadata(row);
        return new ArchivedInstance(row.patientId(), row.imagingStudyId(), metadata.path("studyInstanceUid").asText(),
                metadata.path("seriesInstanceUid").asText(), metadata.path("sopInstanceUid").asText(),
                row.modality(), row.width(), row.height(), row.frames(), metadata.path("derivedFrom").asText());
    }

    @Override
    public Image load(Caller caller, String sopInstanceUid, int frame) {
        policy.require(caller, Operation.READ, TYPE);
        return transactions.read(em -> {
            ImageInstanceRow row = find(em, caller, sopInstanceUid);
            if (frame < 0 || frame >= row.frames()) {
                throw new IllegalArgumentException("frame " + frame + " does not exist: the instance has "
                        + row.frames() + " frame(s), numbered from 0");
            }
            Image image;
            try (InputStream in = new ChunkReader(encryption, em, row)) {
                if (ImageInstanceRow.FORMAT_DICOM.equals(row.format())) {
                    image = storedReader.read(in, row.byteCount(), ValueChecking.LENIENT).frame(frame);
                } else {
                    image = DerivedPixels.read(in, row, metadata(row));
                }
            } catch (IOException e) {
                throw new IllegalStateException("stored image " + sopInstanceUid + " cannot be read back", e);
            }
            audit.record(caller, AuditAction.READ, TYPE, row.imagingStudyId(), row.patientId(), AuditOutcome.SUCCESS,
                    "image frame " + frame + " of a " + row.modality() + " instance");
            return image;
        });
    }

    @Override
    public void retrieve(Caller caller, String sopInstanceUid, OutputStream out) {
        policy.require(caller, Operation.READ, TYPE);
        transactions.read(em -> {
            ImageInstanceRow row = find(em, caller, sopInstanceUid);
            if (!ImageInstanceRow.FORMAT_DICOM.equals(row.format())) {
                throw new IllegalArgumentException("instance " + sopInstanceUid + " was made by an algorithm and "
                        + "exists as pixels only; ask for it rendered instead");
            }
            audit.record(caller, AuditAction.READ, TYPE, row.imagingStudyId(), row.patientId(), AuditOutcome.SUCCESS,
                    "DICOM instance retrieved (" + row.byteCount() + " bytes)");
            try (InputStream in = new ChunkReader(encryption, em, row)) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /**
     * One read transaction for all the instances, one audit entry per patient (durable before the first byte goes
     * out) instead of one per instance: a study of sixteen instances waited sixteen times for the audit trail's
     * commit.
     */
    @Override
    public int retrieveAll(Caller caller, List<String> sopInstanceUids, InstanceSink sink) {
        policy.require(caller, Operation.READ, TYPE);
        return transactions.read(em -> {
            List<ImageInstanceRow> rows = new ArrayList<>();
            List<ArchivedInstance> instances = new ArrayList<>();
            Map<String, long[]> perPatient = new LinkedHashMap<>();
            Map<String, String> studyOfPatient = new HashMap<>();
            CareScope scope = care.scope(em, caller);
            Set<String> decided = new HashSet<>();
            for (String uid : sopInstanceUids) {
                ImageInstanceRow row = find(em, uid);
                if (decided.add(row.patientId())) {
                    // Every patient decided before the first byte goes out: one refused chart refuses the retrieval.
                    care.require(caller, scope, row.patientId(), TYPE, row.imagingStudyId());
                }
                if (!ImageInstanceRow.FORMAT_DICOM.equals(row.format())) {
                    continue;
                }
                rows.add(row);
                instances.add(describe(row));
                long[] tally = perPatient.computeIfAbsent(row.patientId(), patient -> new long[2]);
                tally[0]++;
                tally[1] += row.byteCount();
                studyOfPatient.putIfAbsent(row.patientId(), row.imagingStudyId());
            }
            perPatient.forEach((patient, tally) -> audit.record(caller, AuditAction.READ, TYPE,
                    studyOfPatient.get(patient), patient, AuditOutcome.SUCCESS,
                    tally[0] + " DICOM instance(s) retrieved together (" + tally[1] + " bytes)"));
            for (int i = 0; i < rows.size(); i++) {
                try (InputStream in = new ChunkReader(encryption, em, rows.get(i))) {
                    sink.accept(instances.get(i), in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return rows.size();
        });
    }

    /** {@link #find(EntityManager, String)}, for a caller who must be able to open the instance's patient's chart. */
    private ImageInstanceRow find(EntityManager em, Caller caller, String sopInstanceUid) {
        ImageInstanceRow row = find(em, sopInstanceUid);
        care.require(em, caller, row.patientId(), TYPE, row.imagingStudyId());
        return row;
    }

    /** The row of an instance, its clear columns checked against its sealed metadata before anything uses them. */
    private ImageInstanceRow find(EntityManager em, String sopInstanceUid) {
        ImageInstanceRow row = sopInstanceUid == null ? null
                : em.find(ImageInstanceRow.class, uidToken(sopInstanceUid));
        if (row == null) {
            throw new ResourceNotFoundException("image instance", sopInstanceUid);
        }
        metadata(row);
        return row;
    }

    // --------------------------------------------------------------------------------------------------- derived

    /**
     * Writes the output as a DICOM Segmentation or Parametric Map of the source ({@link DerivedInstances}) and stores
     * it as any received instance is stored: in the source's study, under its patient, sealed, listed in the
     * ImagingStudy and audited. A source that is itself stored as pixels only (derived before DICOM results) has no
     * DICOM attributes to repeat: its output is stored as pixels, as before.
     */
    @Override
    public ArchivedInstance storeDerived(Caller caller, String sourceSopInstanceUid, Image image,
            Derivation derivation) {
        policy.require(caller, Operation.CREATE, TYPE);
        SourceImage source = transactions.read(em -> {
            ImageInstanceRow row = find(em, caller, sourceSopInstanceUid);
            if (!ImageInstanceRow.FORMAT_DICOM.equals(row.format())) {
                return null;
            }
            try (InputStream in = new ChunkReader(encryption, em, row)) {
                CopiedInstance read = storedReader.read(in, row.byteCount(), SourceImage.COPIED);
                return SourceImage.of(read, derivation.sourceFrame());
            } catch (IOException e) {
                throw new IllegalStateException("stored image " + sourceSopInstanceUid + " cannot be read back", e);
            }
        });
        if (source == null) {
            return storeDerived(caller, sourceSopInstanceUid, image, derivation.describe());
        }
        DerivedInstances.Written written;
        try {
            written = DerivedInstances.write(source, image, derivation, equipment, ZonedDateTime.now(clock));
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("the output cannot be written as a DICOM instance: " + e.getMessage(), e);
        }
        AtomicReference<String> token = new AtomicReference<>();
        // Lenient: the patient and study attributes are the source's, copied as stored, warnings and all.
        ImageInstanceRow stored = storeInTransaction(caller, new ByteArrayInputStream(written.part10()),
                ValueChecking.LENIENT, token, new AtomicReference<>(), new String[] { sourceSopInstanceUid,
                        derivation.describe() });
        return describe(stored);
    }

    @Override
    public ArchivedInstance storeDerived(Caller caller, String sourceSopInstanceUid, Image image, String derivation) {
        policy.require(caller, Operation.CREATE, TYPE);
        ImageInstanceRow stored = transactions.inTransaction(em -> {
            ImageInstanceRow source = find(em, caller, sourceSopInstanceUid);
            JsonNode sourceMetadata = metadata(source);
            String seriesUid = newUid();
            String uid = newUid();
            String binaryId = UUID.randomUUID().toString();
            ChunkWriter chunks = new ChunkWriter(encryption, em, binaryId);
            DerivedPixels.write(image.pixels(), chunks);
            chunks.finish();

            ResourceRow studyRow = em.find(ResourceRow.class, source.imagingStudyId(), LockModeType.PESSIMISTIC_WRITE);
            ObjectNode study = FhirJson.parseObject(resources.open(studyRow).json());
            DicomResources.addInstance(study, seriesUid, "OT", truncate("derived: " + derivation + " from "
                    + sourceSopInstanceUid), uid, SECONDARY_CAPTURE);
            List<AuditEvent> audits = new ArrayList<>(2);
            write(em, caller, TYPE, source.imagingStudyId(), study, studyRow, Set.of(source.patientId()),
                    AuditAction.UPDATE, "derived image added", audits);

            ImageMetadata meta = image.metadata();
            ObjectNode metadata = FhirJson.MAPPER.createObjectNode()
                    .put("studyInstanceUid", sourceMetadata.path("studyInstanceUid").asText())
                    .put("seriesInstanceUid", seriesUid).put("sopInstanceUid", uid)
                    .put("derivedFrom", sourceSopInstanceUid).put("derivation", derivation)
                    .put("pixels", DerivedPixels.type(image.pixels()))
                    .put("modality", meta.modality()).put("rowSpacing", meta.rowSpacing())
                    .put("columnSpacing", meta.columnSpacing()).put("rescaleSlope", meta.rescaleSlope())
                    .put("rescaleIntercept", meta.rescaleIntercept()).put("rescaleUnit", meta.rescaleUnit())
                    .put("windowCenter", meta.windowCenter()).put("windowWidth", meta.windowWidth())
                    .put("bitsStored", meta.bitsStored())
                    .put("photometricInterpretation", meta.photometricInterpretation());
            String token = uidToken(uid);
            byte[] sealedMetadata = encryption.encrypt(Sealed.imageMetadata(binaryId, token, source.patientId(),
                    source.imagingStudyId(), ImageInstanceRow.FORMAT_PIXELS, "OT", image.width(), image.height(), 1,
                    chunks.bytes(), chunks.count()), FhirJson.toBytes(metadata));
            ImageInstanceRow row = new ImageInstanceRow(token, binaryId, source.patientId(),
                    source.imagingStudyId(), ImageInstanceRow.FORMAT_PIXELS, "OT", image.width(), image.height(), 1,
                    chunks.bytes(), chunks.count(), clock.millis(), sealedMetadata, Sealed.BOUND);
            em.persist(row);
            em.flush();
            audits.add(audit.event(caller, AuditAction.CREATE, TYPE, source.imagingStudyId(), source.patientId(),
                    AuditOutcome.SUCCESS, "derived image stored: " + truncate(derivation)));
            audit.recordAll(audits);
            return row;
        });
        return describe(stored);
    }

    /** The records bundle's version, which is Panacea's; "development" outside OSGi. */
    private static String softwareVersion() {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(DicomImageArchive.class);
        return bundle == null ? "development" : bundle.getVersion().toString();
    }

    private static String truncate(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "...";
    }

    /** A DICOM UID of the 2.25 (UUID) root: unique without a registered organisation root. */
    private static String newUid() {
        return Uids.random();
    }

    // ------------------------------------------------------------------------------------------- sealed storage

    private String uidToken(String uid) {
        return encryption.blindIndex("ImageInstance.uid", uid);
    }

    /**
     * The sealed metadata of an instance, which also proves that the row's clear columns (patient, study, sizes,
     * chunk count) are the ones it was stored with (see {@link Sealed}).
     */
    private JsonNode metadata(ImageInstanceRow row) {
        try {
            return FhirJson.fromBytes(Sealed.open(encryption, row));
        } catch (DecryptionException e) {
            LOG.error("Integrity check failed for an image instance: {}", e.getMessage());
            throw e;
        }
    }

    /** For tests: every instance of a study, described. */
    List<ArchivedInstance> instancesOf(String imagingStudyId) {
        return transactions.read(em -> {
            List<ArchivedInstance> found = new ArrayList<>();
            for (ImageInstanceRow row : em.createQuery("SELECT i FROM ImageInstanceRow i WHERE i.imagingStudyId = "
                    + ":study", ImageInstanceRow.class).setParameter("study", imagingStudyId).getResultList()) {
                found.add(describe(row));
            }
            return found;
        });
    }
}
