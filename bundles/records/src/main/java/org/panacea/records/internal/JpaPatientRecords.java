package org.panacea.records.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.OptimisticLockException;
import javax.persistence.PersistenceException;
import javax.persistence.RollbackException;
import javax.persistence.TypedQuery;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.ResourceValidator;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.store.IdentifierClaimRow;
import org.panacea.records.internal.store.ResourceRow;
import org.panacea.records.internal.store.SearchTokenRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The patient record on JPA. Each resource is validated, sealed whole (one AES-GCM envelope per resource, bound to
 * its type, id, version and clear patient column, see {@link Sealed}) and stored with blind-index tokens for search. Writes run in one database transaction; the audit
 * entry is made durable before the transaction commits, so a stored change is never missing from the trail (a
 * commit that then fails is recorded as a failure right after). Reads are audited before the data is returned.
 */
@Component(service = { PatientRecords.class, JpaPatientRecords.class })
public class JpaPatientRecords implements PatientRecords {

    private static final Logger LOG = LoggerFactory.getLogger(JpaPatientRecords.class);

    /** Types whose qualified identifiers must be unique: two patients with one MRN is a safety incident. */
    private static final Set<String> UNIQUE_IDENTIFIER_TYPES = Set.of("Patient", "Practitioner", "Organization",
            "Location");

    private final EntityManagerFactory entityManagers;
    private final FieldEncryption encryption;
    private final AccessPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;
    private final ResourceValidator validator;

    @Activate
    public JpaPatientRecords(@Reference(target = "(osgi.unit.name=panacea-records)") EntityManagerFactory entityManagers,
            @Reference FieldEncryption encryption, @Reference AccessPolicy policy, @Reference AuditTrail audit) {
        this(entityManagers, encryption, policy, audit, Clock.systemUTC());
    }

    public JpaPatientRecords(EntityManagerFactory entityManagers, FieldEncryption encryption, AccessPolicy policy,
            AuditTrail audit, Clock clock) {
        this.entityManagers = entityManagers;
        this.encryption = encryption;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.validator = new ResourceValidator(clock);
        // Deploys the persistence unit now (creating or extending the schema), so a database that cannot be
        // reached fails the start-up, not the first clinician's request.
        entityManagers.createEntityManager().close();
        LegacySeals.permitRowsWrittenBefore(entityManagers, encryption);
    }

    // ---------------------------------------------------------------------------------------------------- create

    @Override
    public StoredResource create(Caller caller, String json) {
        return create(caller, FhirJson.parseObject(json));
    }

    /** Creates a resource from an already parsed tree (HTTP uploads are parsed straight from the stream). */
    public StoredResource create(Caller caller, ObjectNode resource) {
        String type = modelledType(resource);
        policy.require(caller, Operation.CREATE, type);
        Draft draft = prepare(type, newId(), resource, true, caller, AuditAction.CREATE);
        return inTransaction(caller, List.of(draft), AuditAction.CREATE, em -> {
            write(em, draft, null, Set.of());
            return null;
        }).get(0);
    }

    // ------------------------------------------------------------------------------------------------------ read

    @Override
    public StoredResource read(Caller caller, String resourceType, String id) {
        policy.require(caller, Operation.READ, resourceType);
        EntityManager em = entityManagers.createEntityManager();
        try {
            ResourceRow row = em.find(ResourceRow.class, id);
            if (row == null || !row.resourceType().equals(resourceType)) {
                throw new ResourceNotFoundException(resourceType, id);
            }
            StoredResource resource = open(row);
            audit(caller, AuditAction.READ, resourceType, id, row.patientId(), AuditOutcome.SUCCESS,
                    "version " + row.versionId());
            return resource;
        } finally {
            em.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------- update

    @Override
    public StoredResource update(Caller caller, String resourceType, String id, long expectedVersion, String json) {
        return update(caller, resourceType, id, expectedVersion, FhirJson.parseObject(json));
    }

    public StoredResource update(Caller caller, String resourceType, String id, long expectedVersion,
            ObjectNode resource) {
        policy.require(caller, Operation.UPDATE, resourceType);
        String type = modelledType(resource);
        if (!type.equals(resourceType)) {
            throw invalid(resourceType + ".resourceType", "is '" + type + "' but the address names " + resourceType);
        }
        JsonNode bodyId = resource.get("id");
        if (bodyId != null && !bodyId.asText().equals(id)) {
            throw invalid(resourceType + ".id", "'" + bodyId.asText() + "' differs from the id in the address, " + id);
        }
        Draft draft = prepare(type, id, resource, true, caller, AuditAction.UPDATE);
        return inTransaction(caller, List.of(draft), AuditAction.UPDATE, em -> {
            // Lock the row first: concurrent writers of one resource then queue here and the later ones see a
            // newer version (a clean conflict), instead of racing on its index rows.
            ResourceRow row = em.find(ResourceRow.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || !row.resourceType().equals(resourceType)) {
                throw new ResourceNotFoundException(resourceType, id);
            }
            if (row.versionId() != expectedVersion) {
                throw new VersionConflictException(resourceType, id, expectedVersion, row.versionId());
            }
            if (row.patientId() != null && draft.patientId != null && !row.patientId().equals(draft.patientId)
                    && !"Patient".equals(type)) {
                throw invalid(resourceType + ".subject", "cannot move a record from one patient to another; "
                        + "delete it and create it for the right patient");
            }
            write(em, draft, row, Set.of());
            return null;
        }, () -> new VersionConflictException(resourceType, id, expectedVersion, currentVersion(id))).get(0);
    }

    private long currentVersion(String id) {
        EntityManager em = entityManagers.createEntityManager();
        try {
            ResourceRow row = em.find(ResourceRow.class, id);
            return row == null ? 0 : row.versionId();
        } finally {
            em.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------- delete

    @Override
    public void delete(Caller caller, String resourceType, String id) {
        policy.require(caller, Operation.DELETE, resourceType);
        EntityManager em = entityManagers.createEntityManager();
        try {
            em.getTransaction().begin();
            ResourceRow row = em.find(ResourceRow.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || !row.resourceType().equals(resourceType)) {
                throw new ResourceNotFoundException(resourceType, id);
            }
            if ("Patient".equals(resourceType)) {
                long linked = em.createQuery("SELECT COUNT(r) FROM ResourceRow r WHERE r.patientId = :patient "
                        + "AND r.id <> :patient", Long.class).setParameter("patient", id).getSingleResult();
                if (linked > 0) {
                    throw new ResourceInUseException("Patient/" + id + " still has " + linked
                            + " linked records (encounters, observations, ...); delete those first");
                }
            }
            removeIndex(em, id);
            em.remove(row);
            em.flush();
            audit(caller, AuditAction.DELETE, resourceType, id, row.patientId(), AuditOutcome.SUCCESS,
                    "version " + row.versionId());
            commit(em, caller, AuditAction.DELETE, resourceType, id, row.patientId(),
                    () -> new VersionConflictException(resourceType, id, row.versionId(), row.versionId() + 1));
        } finally {
            rollbackIfActive(em);
            em.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------- search

    @Override
    public SearchResult search(Caller caller, SearchQuery query) {
        String type = query.resourceType();
        policy.require(caller, Operation.SEARCH, type);
        List<String> supported = SearchParameters.of(type);
        StringBuilder where = new StringBuilder(" FROM ResourceRow r WHERE r.resourceType = :type");
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("type", type);
        int n = 0;
        for (Map.Entry<String, String> parameter : new java.util.TreeMap<>(query.parameters()).entrySet()) {
            String name = parameter.getKey();
            List<String> values = splitValues(name, parameter.getValue());
            if (name.equals("_id")) {
                where.append(" AND r.id IN :ids");
                parameters.put("ids", values);
            } else if (SearchParameters.PATIENT_PARAMETERS.contains(name) && SearchParameters.patientLinked(type)) {
                where.append(" AND r.patientId IN :patients");
                parameters.put("patients", values.stream()
                        .map(value -> value.startsWith("Patient/") ? value.substring(8) : value).toList());
            } else if (supported.contains(name)) {
                where.append(" AND EXISTS (SELECT t FROM SearchTokenRow t WHERE t.resourceId = r.id AND t.param = :p")
                        .append(n).append(" AND t.token IN :v").append(n).append(')');
                parameters.put("p" + n, name);
                parameters.put("v" + n, values.stream().map(value -> token(type, name, value)).toList());
                n++;
            } else {
                throw new IllegalArgumentException("'" + name + "' is not a search parameter of " + type
                        + "; Panacea supports _id" + (SearchParameters.patientLinked(type) ? ", patient, subject" : "")
                        + ", " + String.join(", ", supported));
            }
        }
        EntityManager em = entityManagers.createEntityManager();
        try {
            TypedQuery<Long> count = em.createQuery("SELECT COUNT(r)" + where, Long.class);
            TypedQuery<ResourceRow> page = em.createQuery("SELECT r" + where
                    + " ORDER BY r.lastUpdatedMillis DESC, r.id", ResourceRow.class);
            parameters.forEach((key, value) -> {
                count.setParameter(key, value);
                page.setParameter(key, value);
            });
            long total = count.getSingleResult();
            List<ResourceRow> rows = page.setFirstResult(query.offset()).setMaxResults(query.count()).getResultList();
            List<StoredResource> matches = new ArrayList<>(rows.size());
            for (ResourceRow row : rows) {
                matches.add(open(row));
            }
            auditSearch(caller, type, query, rows, total);
            return new SearchResult(total, matches);
        } finally {
            em.close();
        }
    }

    private static List<String> splitValues(String name, String value) {
        List<String> values = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                values.add(part.strip());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("search parameter '" + name + "' has no value");
        }
        return values;
    }

    /** One SEARCH entry per patient whose data the search returned, so a patient's access history is complete. */
    private void auditSearch(Caller caller, String type, SearchQuery query, List<ResourceRow> rows, long total) {
        Map<String, Integer> perPatient = new LinkedHashMap<>();
        for (ResourceRow row : rows) {
            perPatient.merge(row.patientId() == null ? "" : row.patientId(), 1, Integer::sum);
        }
        // Parameter names only: the values (a family name, a birth date) are patient data themselves.
        String described = type + " search on " + new java.util.TreeSet<>(query.parameters().keySet());
        if (perPatient.isEmpty()) {
            audit(caller, AuditAction.SEARCH, type, "", "", AuditOutcome.SUCCESS, described + ": 0 of " + total);
        }
        perPatient.forEach((patient, returned) -> audit(caller, AuditAction.SEARCH, type, "", patient,
                AuditOutcome.SUCCESS, described + ": " + returned + " returned of " + total));
    }

    // ---------------------------------------------------------------------------------------------------- bundle

    @Override
    public BundleOutcome importBundle(Caller caller, String bundleJson) {
        return importBundle(caller, FhirJson.parseObject(bundleJson));
    }

    public BundleOutcome importBundle(Caller caller, ObjectNode bundle) {
        return new BundleImporter(this, caller).importBundle(bundle);
    }

    // ------------------------------------------------------------------------------------------- shared plumbing

    /** A resource ready to be written: validated, with its index values and patient worked out. */
    record Draft(String type, String id, ObjectNode resource, boolean modelled, String patientId,
            Map<String, Set<String>> tokens, Set<String> claims) {
    }

    String newId() {
        return UUID.randomUUID().toString();
    }

    static String modelledType(ObjectNode resource) {
        JsonNode type = resource.get("resourceType");
        if (type == null || !type.isTextual()) {
            throw invalid("resourceType", "is missing: a FHIR resource names its type, e.g. \"resourceType\": "
                    + "\"Patient\"");
        }
        return ResourceType.fromFhirName(type.asText()).map(ResourceType::fhirName).orElseThrow(() -> invalid(
                "resourceType", "'" + type.asText() + "' is not a type Panacea models; send it inside a transaction "
                        + "Bundle to keep it as an opaque record, or use one of " + modelledNames()));
    }

    static String modelledNames() {
        return java.util.Arrays.stream(ResourceType.values()).map(ResourceType::fhirName).toList().toString();
    }

    static InvalidResourceException invalid(String path, String message) {
        return new InvalidResourceException(List.of(new ValidationIssue(path, message)));
    }

    /** Validates (when modelled) and indexes {@code resource} as {@code type/id}; a failure is audited. */
    Draft prepare(String type, String id, ObjectNode resource, boolean modelled, Caller caller, AuditAction action) {
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
                audit(caller, action, type, id, "", AuditOutcome.FAILURE, "refused: " + issues.size()
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
     * free, seals it, and replaces its index rows. {@code pendingPatients} are patients created earlier in the same
     * transaction.
     */
    void write(EntityManager em, Draft draft, ResourceRow existing, Set<String> pendingPatients) {
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
        draft.tokens.forEach((param, values) -> {
            Set<String> tokens = new LinkedHashSet<>();
            values.forEach(value -> tokens.add(token(draft.type, param, value)));
            tokens.forEach(token -> em.persist(new SearchTokenRow(draft.id, draft.type, param, token)));
        });
        for (String claim : draft.claims) {
            em.persist(new IdentifierClaimRow(draft.type, claimToken(draft.type, claim), draft.id));
        }
    }

    private static void removeIndex(EntityManager em, String id) {
        // Bulk deletes run at once, before this transaction's inserts, so a kept identifier can be re-inserted.
        em.createQuery("DELETE FROM SearchTokenRow t WHERE t.resourceId = :id").setParameter("id", id).executeUpdate();
        em.createQuery("DELETE FROM IdentifierClaimRow c WHERE c.resourceId = :id").setParameter("id", id)
                .executeUpdate();
    }

    String token(String type, String param, String value) {
        return encryption.blindIndex(type + "." + param, value);
    }

    private String claimToken(String type, String qualifiedIdentifier) {
        return encryption.blindIndex(type + ".identifier", qualifiedIdentifier);
    }

    /** The id of a {@code type} resource holding identifier {@code system|value}, looked up by blind index. */
    java.util.Optional<String> findByIdentifier(EntityManager em, String type, String qualifiedIdentifier) {
        List<String> ids = em.createQuery("SELECT t.resourceId FROM SearchTokenRow t WHERE t.resourceType = :type "
                + "AND t.param = 'identifier' AND t.token = :token ORDER BY t.resourceId", String.class)
                .setParameter("type", type).setParameter("token", token(type, "identifier", qualifiedIdentifier))
                .setMaxResults(1).getResultList();
        return ids.stream().findFirst();
    }

    boolean exists(EntityManager em, String type, String id) {
        return em.createQuery("SELECT COUNT(r) FROM ResourceRow r WHERE r.id = :id AND r.resourceType = :type",
                Long.class).setParameter("id", id).setParameter("type", type).getSingleResult() > 0;
    }

    /** Work to do inside one transaction. */
    interface TransactionWork {
        Void run(EntityManager em);
    }

    /**
     * Runs {@code work} in one transaction, audits each draft as {@code action} before committing, and returns them as
     * stored. A conflicting concurrent write surfaces as {@link VersionConflictException}; a concurrent duplicate
     * identifier as {@link InvalidResourceException}.
     */
    List<StoredResource> inTransaction(Caller caller, List<Draft> drafts, AuditAction action, TransactionWork work) {
        return inTransaction(caller, drafts, action, work, () -> new VersionConflictException(drafts.get(0).type,
                drafts.get(0).id, 0, 0));
    }

    List<StoredResource> inTransaction(Caller caller, List<Draft> drafts, AuditAction action, TransactionWork work,
            java.util.function.Supplier<VersionConflictException> conflict) {
        EntityManager em = entityManagers.createEntityManager();
        try {
            em.getTransaction().begin();
            try {
                // Queries inside the work flush earlier changes, so a conflict can surface anywhere in here.
                work.run(em);
                em.flush();
            } catch (OptimisticLockException e) {
                throw conflict.get();
            } catch (InvalidResourceException | VersionConflictException | ResourceNotFoundException
                    | org.panacea.api.security.AccessDeniedException e) {
                throw e;
            } catch (PersistenceException e) {
                throw concurrentDuplicate(drafts, e);
            }
            List<StoredResource> stored = new ArrayList<>(drafts.size());
            for (Draft draft : drafts) {
                ResourceRow row = em.find(ResourceRow.class, draft.id);
                audit(caller, action, draft.type, draft.id, draft.patientId, AuditOutcome.SUCCESS,
                        "version " + row.versionId() + (draft.modelled ? "" : ", kept opaque"));
                stored.add(withMeta(draft.type, draft.id, row.versionId(), row.lastUpdatedMillis(),
                        draft.resource.deepCopy()));
            }
            Draft first = drafts.get(0);
            commit(em, caller, action, first.type, first.id, first.patientId, conflict);
            return stored;
        } finally {
            rollbackIfActive(em);
            em.close();
        }
    }

    private InvalidResourceException concurrentDuplicate(List<Draft> drafts, PersistenceException cause) {
        LOG.debug("write refused by the database", cause);
        for (Draft draft : drafts) {
            if (!draft.claims.isEmpty()) {
                return invalid(draft.type + ".identifier", "one of its identifiers was taken by a concurrent write "
                        + "of another " + draft.type);
            }
        }
        throw cause;
    }

    private void commit(EntityManager em, Caller caller, AuditAction action, String type, String id, String patient,
            java.util.function.Supplier<VersionConflictException> conflict) {
        try {
            em.getTransaction().commit();
        } catch (RollbackException e) {
            // The success entry is already durable: say that the change did not happen after all.
            audit(caller, action, type, id, patient, AuditOutcome.ERROR, "commit failed; nothing was stored");
            if (e.getCause() instanceof OptimisticLockException) {
                throw conflict.get();
            }
            throw e;
        }
    }

    private static void rollbackIfActive(EntityManager em) {
        if (em.getTransaction().isActive()) {
            em.getTransaction().rollback();
        }
    }

    /**
     * Decrypts a row into the resource an authorised caller sees.
     *
     * @throws org.panacea.api.security.DecryptionException when the sealed value does not belong to the row as it
     *                                                      stands (rolled back, re-linked, altered)
     */
    StoredResource open(ResourceRow row) {
        byte[] plaintext;
        try {
            plaintext = Sealed.open(encryption, row);
        } catch (org.panacea.api.security.DecryptionException e) {
            LOG.error("Integrity check failed for {}/{}: {}", row.resourceType(), row.id(), e.getMessage());
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

    void audit(Caller caller, AuditAction action, String type, String id, String patient, AuditOutcome outcome,
            String details) {
        audit.record(new AuditEvent(caller.name(), caller.primaryRole(), action, type, id, patient, outcome,
                caller.clientAddress(), details));
    }

    AccessPolicy policy() {
        return policy;
    }

    FieldEncryption encryption() {
        return encryption;
    }

    Clock clock() {
        return clock;
    }

    EntityManagerFactory entityManagers() {
        return entityManagers;
    }

    /** Ids in {@code rows}, for tests and diagnostics. */
    static List<String> ids(Collection<ResourceRow> rows) {
        return rows.stream().map(ResourceRow::id).toList();
    }
}
