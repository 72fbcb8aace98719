package org.panacea.records.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.persistence.EntityManager;
import javax.persistence.OptimisticLockException;
import javax.persistence.PersistenceException;
import javax.persistence.RollbackException;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditException;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.records.DatabaseUnavailableException;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.ResourceDeletedException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.Caller;
import org.panacea.api.security.DecryptionException;
import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.ResourceValidator;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.images.ImagingStudyListing;
import org.panacea.records.internal.store.IdentifierClaimRow;
import org.panacea.records.internal.store.ResourceRow;
import org.panacea.records.internal.store.ResourceVersionRow;
import org.panacea.records.internal.store.SearchTokenRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * FHIR resources on their rows, for whoever writes them (the record store, bundle import, the image archive): a
 * resource is validated and indexed into a {@link Draft}, written sealed (one AES-GCM envelope per resource, bound to
 * its type, id, version and clear patient column, see {@link Sealed}) with blind-index tokens for search, found by
 * identifier, and opened again. Writes happen in a transaction the caller runs through {@link Transactions}, or in
 * one run here ({@link #inTransaction}) that audits each resource before it commits.
 * <p>
 * Access control is not decided here: callers check the policy before they call.
 */
public final class ResourceStore {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceStore.class);

    /** Types whose qualified identifiers must be unique: two patients with one MRN is a safety incident. */
    private static final Set<String> UNIQUE_IDENTIFIER_TYPES = Set.of("Patient", "Practitioner", "Organization",
            "Location");

    /** The details of the entry following a success entry whose commit failed. */
    static final String COMMIT_FAILED = "commit failed; nothing was stored";
    /** As above when the connection to the database was lost during the commit. */
    static final String COMMIT_IN_DOUBT = "commit outcome unknown: the connection to the database was lost during"
            + " the commit; the resource's history shows whether this version was stored";

    /** As above, recorded once the database answered again, followed by what it then held. */
    static final String COMMIT_IN_DOUBT_LATER = "commit outcome unknown: the connection to the database was lost"
            + " during the commit; once the database answered again it held ";
    static final int FOLLOW_UP_SECONDS = 2;
    static final int FOLLOW_UP_ATTEMPTS = 300;

    private final Transactions transactions;
    private final FieldEncryption encryption;
    private final RecordAudit audit;
    private final Clock clock;
    private final ResourceValidator validator;
    private final ImagingStudyListing studyListing;

    public ResourceStore(Transactions transactions, FieldEncryption encryption, RecordAudit audit, Clock clock) {
        this.transactions = transactions;
        this.encryption = encryption;
        this.studyListing = new ImagingStudyListing(encryption);
        this.audit = audit;
        this.clock = clock;
        this.validator = new ResourceValidator(clock);
    }

    /** A resource ready to be written: validated, with its index values and patient worked out. */
    public record Draft(String type, String id, ObjectNode resource, boolean modelled, String patientId,
            Map<String, Set<String>> tokens, Set<String> claims) {
    }

    /** The id of a new resource. */
    public String newId() {
        return UUID.randomUUID().toString();
    }

    /** A refusal with one issue at {@code path}. */
    public static InvalidResourceException invalid(String path, String message) {
        return new InvalidResourceException(List.of(new ValidationIssue(path, message)));
    }

    /** Validates (when modelled) and indexes {@code resource} as {@code type/id}; a failure is audited. */
    public Draft prepare(String type, String id, ObjectNode resource, boolean modelled, Caller caller,
            AuditAction action) {
        resource.put("id", id);
        JsonNode meta = resource.get("meta");
        if (meta instanceof ObjectNode metaObject) {
            // Version and time are the platform's to say; they are filled in from the row when read.
            metaObject.remove("versionId");
            metaObject.remove("lastUpdated");
            if (metaObject.isEmpty()) {
                resource.remove("meta");
            }
        }
        if (modelled) {
            List<ValidationIssue> issues = validator.validate(resource, ResourceType.fromFhirName(type).orElseThrow());
            if (!issues.isEmpty()) {
                audit.record(caller, action, type, id, "", AuditOutcome.FAILURE, "refused: " + issues.size()
                        + " validation issue(s), first at " + issues.get(0).path());
                throw new InvalidResourceException(issues);
            }
        }
        String patientId = SearchParameters.patientOf(type, id, resource).orElse(null);
        Set<String> claims = UNIQUE_IDENTIFIER_TYPES.contains(type) ? SearchParameters.qualifiedIdentifiers(resource)
                : Set.of();
        return new Draft(type, id, resource, modelled, patientId, SearchParameters.extract(type, resource), claims);
    }

    /**
     * Writes {@code draft} in the open transaction of {@code em}: checks its patient exists and its identifiers are
     * free, seals it, and replaces its index rows. {@code existing} is its row when it is an update (locked by the
     * caller), {@code pendingPatients} are patients not to look up: created earlier in the same transaction, or
     * known to exist by the caller.
     */
    public void write(EntityManager em, Draft draft, ResourceRow existing, Set<String> pendingPatients) {
        List<ValidationIssue> issues = new ArrayList<>();
        if (draft.patientId != null && !draft.type.equals("Patient") && !pendingPatients.contains(draft.patientId)) {
            Long found = em.createQuery("SELECT COUNT(r) FROM ResourceRow r WHERE r.id = :id AND r.resourceType = "
                    + "'Patient'", Long.class).setParameter("id", draft.patientId).getSingleResult();
            if (found == 0) {
                issues.add(new ValidationIssue(draft.type + ".subject", "Patient/" + draft.patientId
                        + " does not exist"));
            }
        }
        for (String claim : draft.claims) {
            List<String> holders = em.createQuery("SELECT c.resourceId FROM IdentifierClaimRow c WHERE "
                    + "c.resourceType = :type AND c.token = :token", String.class)
                    .setParameter("type", draft.type).setParameter("token", claimToken(draft.type, claim))
                    .getResultList();
            if (!holders.isEmpty() && !holders.get(0).equals(draft.id)) {
                issues.add(new ValidationIssue(draft.type + ".identifier", "the identifier " + claim
                        + " is already used by " + draft.type + "/" + holders.get(0)));
            }
        }
        if (!issues.isEmpty()) {
            throw new InvalidResourceException(issues);
        }
        byte[] plaintext = FhirJson.toBytes(draft.resource);
        if (plaintext.length > ResourceRow.MAX_SEALED_BYTES - 1024) {
            throw invalid(draft.type, "is " + plaintext.length / 1024 + " KiB; the largest resource Panacea stores "
                    + "is " + (ResourceRow.MAX_SEALED_BYTES / 1024 / 1024 - 1) + " MiB");
        }
        if (existing != null) {
            // The version being replaced joins the history as it is sealed (see ResourceVersionRow).
            em.persist(ResourceVersionRow.copyOf(existing));
        }
        ResourceRow row = existing != null ? existing
                : new ResourceRow(draft.id, draft.type, draft.patientId, draft.modelled);
        // Bound to the version the row is stored as (EclipseLink stores a new row as 1 and adds 1 on each flush
        // that changes it; changes between two flushes make one) and to its clear patient column, see Sealed.
        long version = row.versionId() + 1;
        row.sealed(encryption.encrypt(Sealed.resource(draft.type, draft.id, version, row.patientId()), plaintext),
                Sealed.BOUND);
        row.lastUpdatedMillis(clock.millis());
        if (existing == null) {
            em.persist(row);
        } else {
            removeIndex(em, draft.id);
        }
        Map<String, Set<String>> indexed = draft.tokens;
        if (existing != null && ImagingStudyListing.TYPE.equals(draft.type)) {
            // An update need not list the instances stored under the study (readers list them from their rows):
            // their modalities stay searchable.
            ObjectNode listed = draft.resource.deepCopy();
            studyListing.complete(em, draft.id, listed);
            indexed = SearchParameters.extract(draft.type, listed);
        }
        indexed.forEach((param, values) -> {
            Set<String> tokens = new LinkedHashSet<>();
            values.forEach(value -> tokens.add(token(draft.type, param, value)));
            tokens.forEach(token -> em.persist(new SearchTokenRow(draft.id, draft.type, param, token)));
        });
        for (String claim : draft.claims) {
            em.persist(new IdentifierClaimRow(draft.type, claimToken(draft.type, claim), draft.id));
        }
    }

    /**
     * Deletes {@code row} (locked by the caller) in the transaction of {@code em}: its current version joins the
     * history, followed by a version that records the delete, and its index rows go.
     */
    public void delete(EntityManager em, ResourceRow row) {
        em.persist(ResourceVersionRow.copyOf(row));
        em.persist(ResourceVersionRow.deletionOf(row, clock.millis()));
        removeIndex(em, row.id());
        em.remove(row);
    }

    /**
     * Version {@code version} of {@code type/id}: the current row when it is that version, else the history.
     *
     * @throws ResourceDeletedException  when that version is the record of its deletion
     * @throws ResourceNotFoundException when there is no such version
     */
    public StoredResource openVersion(EntityManager em, String type, String id, long version) {
        ResourceRow current = em.find(ResourceRow.class, id);
        if (current != null && current.resourceType().equals(type) && current.versionId() == version) {
            return open(em, current);
        }
        ResourceVersionRow earlier = em.find(ResourceVersionRow.class, new ResourceVersionRow.Key(id, version));
        if (earlier == null || !earlier.resourceType().equals(type)) {
            throw new ResourceNotFoundException(type, id + "/_history/" + version);
        }
        if (earlier.deleted()) {
            throw new ResourceDeletedException(type, id, version);
        }
        return open(earlier);
    }

    /** The record of the deletion of {@code type/id}, if it was deleted. */
    public Optional<ResourceVersionRow> deletion(EntityManager em, String type, String id) {
        return em.createQuery("SELECT v FROM ResourceVersionRow v WHERE v.id = :id AND v.resourceType = :type AND "
                + "v.deleted = TRUE ORDER BY v.versionId DESC", ResourceVersionRow.class).setParameter("id", id)
                .setParameter("type", type).setMaxResults(1).getResultList().stream().findFirst();
    }

    /** Removes the search tokens and identifier claims of resource {@code id}, in the transaction of {@code em}. */
    public void removeIndex(EntityManager em, String id) {
        // Bulk deletes run at once, before this transaction's inserts, so a kept identifier can be re-inserted.
        em.createQuery("DELETE FROM SearchTokenRow t WHERE t.resourceId = :id").setParameter("id", id).executeUpdate();
        em.createQuery("DELETE FROM IdentifierClaimRow c WHERE c.resourceId = :id").setParameter("id", id)
                .executeUpdate();
    }

    /** The blind-index token of search parameter {@code param} of {@code type} for {@code value}. */
    public String token(String type, String param, String value) {
        return encryption.blindIndex(type + "." + param, value);
    }

    private String claimToken(String type, String qualifiedIdentifier) {
        return encryption.blindIndex(type + ".identifier", qualifiedIdentifier);
    }

    /**
     * The id of a {@code type} resource holding identifier {@code system|value}, looked up by blind index (the first by
     * id when several hold it).
     */
    public Optional<String> findByIdentifier(EntityManager em, String type, String qualifiedIdentifier) {
        // No setMaxResults: EclipseLink then prepares the query (generates its SQL) again at every call, which was a
        // quarter of a DICOM store's CPU (two lookups per instance). An identifier is held by one resource or a few.
        List<String> ids = em.createQuery("SELECT t.resourceId FROM SearchTokenRow t WHERE t.resourceType = :type "
                + "AND t.param = 'identifier' AND t.token = :token ORDER BY t.resourceId", String.class)
                .setParameter("type", type).setParameter("token", token(type, "identifier", qualifiedIdentifier))
                .getResultList();
        return ids.stream().findFirst();
    }

    /**
     * Runs {@code work} (which writes {@code drafts}, and may add to that list) in one transaction, audits each draft
     * as {@code action} before committing, and returns them as stored. A conflicting concurrent write surfaces as
     * {@link VersionConflictException}; a concurrent duplicate identifier as {@link InvalidResourceException}.
     */
    public List<StoredResource> inTransaction(Caller caller, List<Draft> drafts, AuditAction action,
            Transactions.Work<?> work) {
        return inTransaction(caller, drafts, action, work, () -> new VersionConflictException(drafts.get(0).type,
                drafts.get(0).id, 0, 0));
    }

    /** As above; {@code conflict} describes a conflicting concurrent write. */
    public List<StoredResource> inTransaction(Caller caller, List<Draft> drafts, AuditAction action,
            Transactions.Work<?> work, Supplier<VersionConflictException> conflict) {
        return transactions.inTransaction(em -> {
            try {
                // Queries inside the work flush earlier changes, so a conflict can surface anywhere in here.
                work.run(em);
                em.flush();
            } catch (OptimisticLockException e) {
                throw conflict.get();
            } catch (InvalidResourceException | VersionConflictException | ResourceNotFoundException
                    | AccessDeniedException e) {
                throw e;
            } catch (PersistenceException e) {
                throw concurrentDuplicate(drafts, e);
            }
            List<StoredResource> stored = new ArrayList<>(drafts.size());
            for (Draft draft : drafts) {
                ResourceRow row = em.find(ResourceRow.class, draft.id);
                audit.record(caller, action, draft.type, draft.id, draft.patientId, AuditOutcome.SUCCESS,
                        "version " + row.versionId() + (draft.modelled ? "" : ", kept opaque"));
                // An ImagingStudy is answered as it is read: with the instances stored under it (see open).
                stored.add(ImagingStudyListing.TYPE.equals(draft.type) ? open(em, row) : withMeta(draft.type,
                        draft.id, row.versionId(), row.lastUpdatedMillis(), draft.resource.deepCopy()));
            }
            return stored;
        }, (stored, failure) -> {
            Draft first = drafts.get(0);
            return commitFailed(caller, action, first.type, first.id, first.patientId, failure, conflict);
        });
    }

    private InvalidResourceException concurrentDuplicate(List<Draft> drafts, PersistenceException cause) {
        LOG.debug("write refused by the database", cause);
        // A lost connection (a database failing over) is no duplicate: a 422 would tell the client that its
        // identifier is taken and not to try again, where a retry once the database answers stores it.
        if (DatabaseUnavailableException.causedBy(cause)) {
            throw new DatabaseUnavailableException(cause);
        }
        for (Draft draft : drafts) {
            if (!draft.claims.isEmpty()) {
                return invalid(draft.type + ".identifier", "one of its identifiers was taken by a concurrent write "
                        + "of another " + draft.type);
            }
        }
        throw cause;
    }

    /**
     * A commit of a change to {@code type/id} failed after its success entry was made durable: says in the trail that
     * the change did not happen after all, and returns what to throw ({@code conflict} when a concurrent write won).
     */
    public RuntimeException commitFailed(Caller caller, AuditAction action, String type, String id, String patient,
            RollbackException failure, Supplier<VersionConflictException> conflict) {
        // A connection lost during the commit leaves its outcome unknown: it may have reached the database.
        boolean inDoubt = DatabaseUnavailableException.causedBy(failure);
        try {
            audit.record(caller, action, type, id, patient, AuditOutcome.ERROR, inDoubt ? COMMIT_IN_DOUBT
                    : COMMIT_FAILED);
        } catch (AuditException e) {
            if (inDoubt) {
                // The audit trail is on the lost database too (a fail-over): its success entry must not stand alone.
                recordOutcomeLater(caller, action, type, id, patient, 1);
            }
            throw e;
        }
        if (failure.getCause() instanceof OptimisticLockException) {
            return conflict.get();
        }
        return failure;
    }

    /**
     * Records, once the database and the audit trail answer again, the entry that follows a success entry whose
     * commit lost its connection, with what the database then holds of the resource; tried every
     * {@value #FOLLOW_UP_SECONDS} s, {@value #FOLLOW_UP_ATTEMPTS} times at most (the log keeps a give-up).
     */
    private void recordOutcomeLater(Caller caller, AuditAction action, String type, String id, String patient,
            int attempt) {
        CompletableFuture.runAsync(() -> {
            try {
                ResourceRow row = transactions.read(em -> em.find(ResourceRow.class, id));
                String held = row == null || !row.resourceType().equals(type) ? "no version of it"
                        : "version " + row.versionId() + " of it";
                audit.record(caller, action, type, id, patient, AuditOutcome.ERROR, COMMIT_IN_DOUBT_LATER + held);
                LOG.warn("Recorded the unknown outcome of the commit of {}/{} ({})", type, id, held);
            } catch (RuntimeException e) {
                if (attempt < FOLLOW_UP_ATTEMPTS) {
                    recordOutcomeLater(caller, action, type, id, patient, attempt + 1);
                } else {
                    LOG.error("Gave up recording the unknown outcome of the commit of {}/{}: its success entry stands"
                            + " alone in the audit trail ({})", type, id, e.toString());
                }
            }
        }, CompletableFuture.delayedExecutor(FOLLOW_UP_SECONDS, TimeUnit.SECONDS));
    }

    /**
     * Decrypts a row into the resource an authorised caller sees.
     *
     * @throws DecryptionException when the sealed value does not belong to the row as it stands (rolled back,
     *                             re-linked, altered)
     */
    public StoredResource open(ResourceRow row) {
        byte[] plaintext;
        try {
            plaintext = Sealed.open(encryption, row);
        } catch (DecryptionException e) {
            LOG.error("Integrity check failed for {}/{}: {}", row.resourceType(), row.id(), e.getMessage());
            throw e;
        }
        return withMeta(row.resourceType(), row.id(), row.versionId(), row.lastUpdatedMillis(),
                FhirJson.fromBytes(plaintext));
    }

    /**
     * The current version of a resource as a reader sees it: {@link #open(ResourceRow)}, and for an ImagingStudy the
     * instances stored under it from their own rows ({@link ImagingStudyListing}). Its version stays the one of the
     * sealed resource, which instances do not change; its {@code lastUpdated} is the later of the resource's and its
     * last instance's.
     */
    public StoredResource open(EntityManager em, ResourceRow row) {
        StoredResource sealed = open(row);
        if (!ImagingStudyListing.TYPE.equals(row.resourceType())) {
            return sealed;
        }
        ObjectNode study = FhirJson.parseObject(sealed.json());
        long lastStored = studyListing.complete(em, row.id(), study);
        return withMeta(row.resourceType(), row.id(), row.versionId(), Math.max(row.lastUpdatedMillis(),
                lastStored), study);
    }

    /** Decrypts an earlier version of a resource (see {@link #open(ResourceRow)}). */
    public StoredResource open(ResourceVersionRow row) {
        byte[] plaintext;
        try {
            plaintext = Sealed.open(encryption, row);
        } catch (DecryptionException e) {
            LOG.error("Integrity check failed for {}/{} version {}: {}", row.resourceType(), row.id(),
                    row.versionId(), e.getMessage());
            throw e;
        }
        return withMeta(row.resourceType(), row.id(), row.versionId(), row.lastUpdatedMillis(),
                FhirJson.fromBytes(plaintext));
    }

    private static StoredResource withMeta(String type, String id, long version, long lastUpdatedMillis,
            ObjectNode resource) {
        Instant lastUpdated = Instant.ofEpochMilli(lastUpdatedMillis);
        ObjectNode meta = resource.has("meta") && resource.get("meta").isObject() ? (ObjectNode) resource.get("meta")
                : resource.putObject("meta");
        meta.put("versionId", Long.toString(version));
        meta.put("lastUpdated", lastUpdated.toString());
        return new StoredResource(type, id, version, lastUpdated, new String(FhirJson.toBytes(resource),
                StandardCharsets.UTF_8));
    }
}
