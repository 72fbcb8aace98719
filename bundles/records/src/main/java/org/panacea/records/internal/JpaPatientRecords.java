package org.panacea.records.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Set;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.TypedQuery;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceDeletedException;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.VersionConflictException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.ResourceStore.Draft;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareScope;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.export.BulkExports;
import org.panacea.records.internal.images.BinaryStore;
import org.panacea.records.internal.images.StudyImages;
import org.panacea.records.internal.search.RecordSearch;
import org.panacea.records.internal.search.SearchPage;
import org.panacea.records.internal.search.SearchRequest;
import org.panacea.records.internal.store.ResourceRow;
import org.panacea.records.internal.store.ResourceVersionRow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The patient record on JPA: the {@link PatientRecords} service. It decides access, parses and checks requests, and
 * audits reads and searches; resources are validated, sealed and indexed by the {@link ResourceStore} (each one
 * AES-GCM envelope bound to its type, id, version and clear patient column, see {@link Sealed}), and every database
 * transaction runs through {@link Transactions}. Writes run in one database transaction; the audit entry is made
 * durable before the transaction commits, so a stored change is never missing from the trail (a commit that then
 * fails is recorded as a failure right after). Reads are audited before the data is returned.
 */
@Component(service = { PatientRecords.class, JpaPatientRecords.class })
public class JpaPatientRecords implements PatientRecords {

    /** Largest page of a search or history. */
    public static final int MAX_PAGE = 1000;
    /** How deep a history is served by offset (a later start is asked for with {@code _since}). */
    static final int MAX_HISTORY_DEPTH = 10_000;

    private final Transactions transactions;
    private final ResourceStore resources;
    private final AccessPolicy policy;
    private final RecordAudit audit;
    private final RecordSearch search;
    private final ExecutorService exportWorker;
    private final BulkExports exports;
    private final BinaryStore binaries;
    private final Clock clock;
    private final CareRelationshipAccess care;

    @Activate
    public JpaPatientRecords(@Reference Transactions transactions, @Reference FieldEncryption encryption,
            @Reference AccessPolicy policy, @Reference AuditTrail audit, @Reference CareRelationshipAccess care) {
        this(transactions, encryption, policy, audit, Clock.systemUTC(), care);
    }

    /**
     * On a persistence unit of its own (outside OSGi), made ready first as {@link Transactions} does: schema
     * deployed, older seals permitted.
     */
    public JpaPatientRecords(EntityManagerFactory entityManagers, FieldEncryption encryption, AccessPolicy policy,
            AuditTrail audit, Clock clock) {
        this(new Transactions(entityManagers, encryption), encryption, policy, audit, clock);
    }

    /** With care relationships decided under the default settings (no department rules). */
    public JpaPatientRecords(Transactions transactions, FieldEncryption encryption, AccessPolicy policy,
            AuditTrail audit, Clock clock) {
        this(transactions, encryption, policy, audit, clock, new CareRelationshipAccess(transactions, encryption,
                policy, audit, clock, org.panacea.records.internal.care.CareSettings.DEFAULTS));
    }

    public JpaPatientRecords(Transactions transactions, FieldEncryption encryption, AccessPolicy policy,
            AuditTrail audit, Clock clock, CareRelationshipAccess care) {
        this.care = care;
        this.transactions = transactions;
        this.policy = policy;
        this.audit = new RecordAudit(audit);
        this.resources = new ResourceStore(transactions, encryption, this.audit, clock);
        this.search = new RecordSearch(transactions, resources, policy, care, this.audit, clock);
        this.exportWorker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "panacea-bulk-export");
            thread.setDaemon(true);
            return thread;
        });
        this.exports = new BulkExports(transactions, resources, policy, care, this.audit, clock, exportWorker);
        this.binaries = new BinaryStore(transactions, encryption, policy, care, this.audit, resources);
        this.clock = clock;
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
        Draft draft = resources.prepare(type, resources.newId(), resource, true, caller, AuditAction.CREATE);
        return resources.inTransaction(caller, List.of(draft), AuditAction.CREATE, em -> {
            if (!"Patient".equals(type) || caller.limitedToPatient()) {
                // A new patient has no chart yet to be related to; anything else is written into one. A token limited
                // to its launch patient opens no other chart, a new one included.
                care.require(em, caller, draft.patientId(), type, draft.id());
            }
            resources.write(em, draft, null, Set.of());
            return null;
        }).get(0);
    }

    // ------------------------------------------------------------------------------------------------------ read

    @Override
    public StoredResource read(Caller caller, String resourceType, String id) {
        policy.require(caller, Operation.READ, resourceType);
        return transactions.read(em -> {
            ResourceRow row = em.find(ResourceRow.class, id);
            if (row == null || !row.resourceType().equals(resourceType)) {
                Optional<ResourceVersionRow> deletion = resources.deletion(em, resourceType, id);
                if (deletion.isPresent()) {
                    throw new ResourceDeletedException(resourceType, id, deletion.get().versionId());
                }
                throw new ResourceNotFoundException(resourceType, id);
            }
            care.require(em, caller, row.patientId(), resourceType, id);
            StoredResource resource = resources.open(em, row);
            audit(caller, AuditAction.READ, resourceType, id, row.patientId(), AuditOutcome.SUCCESS,
                    "version " + row.versionId());
            return resource;
        });
    }

    /**
     * Version {@code version} of a resource, current or earlier (FHIR vread).
     *
     * @throws ResourceDeletedException  when that version records its deletion
     * @throws ResourceNotFoundException when there is no such version
     */
    public StoredResource readVersion(Caller caller, String resourceType, String id, long version) {
        policy.require(caller, Operation.READ, resourceType);
        return transactions.read(em -> {
            care.require(em, caller, patientOf(em, id), resourceType, id);
            StoredResource resource = resources.openVersion(em, resourceType, id, version);
            audit(caller, AuditAction.READ, resourceType, id, patientOf(em, id), AuditOutcome.SUCCESS,
                    "version " + version + " (vread)");
            return resource;
        });
    }

    /** The patient column of resource {@code id}, current or deleted; empty for directory data. */
    private static String patientOf(EntityManager em, String id) {
        ResourceRow row = em.find(ResourceRow.class, id);
        if (row != null) {
            return row.patientId() == null ? "" : row.patientId();
        }
        List<String> patients = em.createQuery("SELECT v.patientId FROM ResourceVersionRow v WHERE v.id = :id",
                String.class).setParameter("id", id).setMaxResults(1).getResultList();
        return patients.isEmpty() || patients.get(0) == null ? "" : patients.get(0);
    }

    /**
     * The versions of one resource ({@code id} given) or of every resource of a type, newest first, written at or
     * after {@code since} when given: one page of {@code count} from {@code offset}, with the total. Each patient
     * whose data the page holds gets one READ entry in the trail.
     */
    public HistoryPage history(Caller caller, String resourceType, String id, Instant since, int count, int offset) {
        policy.require(caller, id == null ? Operation.SEARCH : Operation.READ, resourceType);
        if (count < 1 || count > MAX_PAGE || offset < 0 || offset > MAX_HISTORY_DEPTH) {
            throw new IllegalArgumentException("_count must be 1 to " + MAX_PAGE + " and the history is served to a "
                    + "depth of " + MAX_HISTORY_DEPTH + " versions; use _since to start later");
        }
        long sinceMillis = since == null ? Long.MIN_VALUE : since.toEpochMilli();
        return transactions.read(em -> {
            CareScope scope = care.scope(em, caller);
            if (id != null) {
                care.require(caller, scope, patientOf(em, id), resourceType, id);
            }
            // A type's history holds the versions of the charts the caller may open, and of no other.
            Optional<CareScope.Restriction> currentCare = scope.restriction("r");
            Optional<CareScope.Restriction> earlierCare = scope.restriction("v");
            String currentWhere = " FROM ResourceRow r WHERE r.resourceType = :type AND r.lastUpdatedMillis >= :since"
                    + (id == null ? "" : " AND r.id = :id") + currentCare.map(CareScope.Restriction::jpql).orElse("");
            String earlierWhere = " FROM ResourceVersionRow v WHERE v.resourceType = :type AND v.lastUpdatedMillis "
                    + ">= :since" + (id == null ? "" : " AND v.id = :id")
                    + earlierCare.map(CareScope.Restriction::jpql).orElse("");
            TypedQuery<Long> currentCount = em.createQuery("SELECT COUNT(r)" + currentWhere, Long.class);
            TypedQuery<Long> earlierCount = em.createQuery("SELECT COUNT(v)" + earlierWhere, Long.class);
            TypedQuery<ResourceRow> current = em.createQuery("SELECT r" + currentWhere
                    + " ORDER BY r.lastUpdatedMillis DESC, r.id", ResourceRow.class);
            TypedQuery<ResourceVersionRow> earlier = em.createQuery("SELECT v" + earlierWhere
                    + " ORDER BY v.lastUpdatedMillis DESC, v.id, v.versionId DESC", ResourceVersionRow.class);
            for (TypedQuery<?> query : List.of(currentCount, earlierCount, current, earlier)) {
                query.setParameter("type", resourceType).setParameter("since", sinceMillis);
                if (id != null) {
                    query.setParameter("id", id);
                }
                currentCare.ifPresent(care -> care.parameters().forEach(query::setParameter));
            }
            long total = currentCount.getSingleResult() + earlierCount.getSingleResult();
            if (id != null && total == 0) {
                throw new ResourceNotFoundException(resourceType, id);
            }
            // The newest offset + count of each table hold the page, whatever the interleaving.
            List<ResourceRow> currentRows = current.setMaxResults(offset + count).getResultList();
            List<ResourceVersionRow> earlierRows = earlier.setMaxResults(offset + count).getResultList();
            List<Object> merged = new ArrayList<>(currentRows);
            merged.addAll(earlierRows);
            merged.sort(java.util.Comparator.comparingLong(JpaPatientRecords::updatedMillis).reversed()
                    .thenComparing(JpaPatientRecords::versionOf, java.util.Comparator.reverseOrder()));
            List<HistoryEntry> page = new ArrayList<>();
            Map<String, Integer> perPatient = new LinkedHashMap<>();
            for (Object row : merged.subList(Math.min(offset, merged.size()),
                    Math.min(offset + count, merged.size()))) {
                HistoryEntry entry;
                String patient;
                if (row instanceof ResourceRow currentRow) {
                    StoredResource opened = resources.open(em, currentRow);
                    entry = new HistoryEntry(resourceType, currentRow.id(), currentRow.versionId(),
                            opened.lastUpdated(), Optional.of(opened));
                    patient = currentRow.patientId();
                } else {
                    ResourceVersionRow version = (ResourceVersionRow) row;
                    entry = new HistoryEntry(resourceType, version.id(), version.versionId(),
                            Instant.ofEpochMilli(version.lastUpdatedMillis()),
                            version.deleted() ? Optional.empty() : Optional.of(resources.open(version)));
                    patient = version.patientId();
                }
                page.add(entry);
                perPatient.merge(patient == null ? "" : patient, 1, Integer::sum);
            }
            String what = id == null ? resourceType + " history" : "history of " + resourceType + "/" + id;
            if (perPatient.isEmpty()) {
                audit(caller, AuditAction.READ, resourceType, id == null ? "" : id, "", AuditOutcome.SUCCESS,
                        what + ": 0 of " + total + " versions");
            }
            care.auditBreakGlass(caller, scope, perPatient.keySet(), resourceType, id == null ? "" : id);
            perPatient.forEach((patient, versions) -> audit(caller, AuditAction.READ, resourceType,
                    id == null ? "" : id, patient, AuditOutcome.SUCCESS, what + ": " + versions + " of " + total
                            + " versions"));
            return new HistoryPage(total, page);
        });
    }

    private static long updatedMillis(Object row) {
        return row instanceof ResourceRow current ? current.lastUpdatedMillis()
                : ((ResourceVersionRow) row).lastUpdatedMillis();
    }

    private static String versionOf(Object row) {
        long version = row instanceof ResourceRow current ? current.versionId() : ((ResourceVersionRow) row).versionId();
        return String.format("%019d", version);
    }

    /** One page of a history. */
    public record HistoryPage(long total, List<HistoryEntry> entries) {
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
        Draft draft = resources.prepare(type, id, resource, true, caller, AuditAction.UPDATE);
        return resources.inTransaction(caller, List.of(draft), AuditAction.UPDATE, em -> {
            // Lock the row first: concurrent writers of one resource then queue here and the later ones see a
            // newer version (a clean conflict), instead of racing on its index rows.
            ResourceRow row = em.find(ResourceRow.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || !row.resourceType().equals(resourceType)) {
                throw new ResourceNotFoundException(resourceType, id);
            }
            care.require(em, caller, row.patientId(), resourceType, id);
            if (row.versionId() != expectedVersion) {
                throw new VersionConflictException(resourceType, id, expectedVersion, row.versionId());
            }
            if (row.patientId() != null && draft.patientId() != null && !row.patientId().equals(draft.patientId())
                    && !"Patient".equals(type)) {
                throw invalid(resourceType + ".subject", "cannot move a record from one patient to another; "
                        + "delete it and create it for the right patient");
            }
            resources.write(em, draft, row, Set.of());
            return null;
        }, () -> new VersionConflictException(resourceType, id, expectedVersion, currentVersion(id))).get(0);
    }

    private long currentVersion(String id) {
        return transactions.read(em -> {
            ResourceRow row = em.find(ResourceRow.class, id);
            return row == null ? 0L : row.versionId();
        });
    }

    // ---------------------------------------------------------------------------------------------------- delete

    @Override
    public void delete(Caller caller, String resourceType, String id) {
        if (BinaryStore.TYPE.equals(resourceType)) {
            // Its content lives in chunks beside the row: they go with it.
            binaries.delete(caller, id);
            return;
        }
        policy.require(caller, Operation.DELETE, resourceType);
        transactions.inTransaction(em -> {
            ResourceRow row = em.find(ResourceRow.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || !row.resourceType().equals(resourceType)) {
                throw new ResourceNotFoundException(resourceType, id);
            }
            care.require(em, caller, row.patientId(), resourceType, id);
            if ("Patient".equals(resourceType)) {
                long linked = em.createQuery("SELECT COUNT(r) FROM ResourceRow r WHERE r.patientId = :patient "
                        + "AND r.id <> :patient", Long.class).setParameter("patient", id).getSingleResult();
                if (linked > 0) {
                    throw new ResourceInUseException("Patient/" + id + " still has " + linked
                            + " linked records (encounters, observations, ...); delete those first");
                }
            }
            String images = "";
            if (StudyImages.OWNER_TYPE.equals(resourceType)) {
                // The study's images go with it, in the same transaction: no pixel data is left behind.
                StudyImages.Removed removed = StudyImages.removeAll(em, id);
                images = ", its images removed (" + removed.instances() + " instance(s), " + removed.chunks()
                        + " sealed chunk(s))";
            }
            resources.delete(em, row);
            em.flush();
            audit(caller, AuditAction.DELETE, resourceType, id, row.patientId(), AuditOutcome.SUCCESS,
                    "version " + row.versionId() + images);
            return row;
        }, (row, failure) -> resources.commitFailed(caller, AuditAction.DELETE, resourceType, id, row.patientId(),
                failure, () -> new VersionConflictException(resourceType, id, row.versionId(), row.versionId() + 1)));
    }

    // ---------------------------------------------------------------------------------------------------- search

    @Override
    public SearchResult search(Caller caller, SearchQuery query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        query.parameters().forEach((name, value) -> parameters.put(name, List.of(value)));
        SearchRequest request = SearchRequest.parse(query.resourceType(), parameters, query.count(), clock.instant());
        request = new SearchRequest(request.type(), request.criteria(), request.includes(), request.revincludes(),
                request.sort(), query.count(), query.offset(), request.summary(), request.elements());
        SearchPage page = search.search(caller, request, false);
        return new SearchResult(page.total(), page.matches());
    }

    /** A FHIR search: its first page, includes, and a cursor for the next pages (see {@link RecordSearch}). */
    public SearchPage fhirSearch(Caller caller, SearchRequest request) {
        return search.search(caller, request);
    }

    /** A further page of a kept search. */
    public SearchPage page(Caller caller, String searchId, int offset, int count) {
        return search.page(caller, searchId, offset, count);
    }

    /** {@code Patient/{id}/$everything}, first page. */
    public SearchPage everything(Caller caller, String patientId, Instant since, int count) {
        return search.everything(caller, patientId, since, count);
    }

    /** FHIR Bulk Data export. */
    public BulkExports exports() {
        return exports;
    }

    /** Care-relationship access, decided for every chart this record opens. */
    public CareRelationshipAccess care() {
        return care;
    }

    /**
     * The patient whose chart holds {@code type/id} (the patient itself for a Patient), current or deleted; empty
     * for directory data and for no such resource. Neither audited nor decided: it says which chart a request is
     * about, before the request is decided (a break-glass grant names the patient).
     */
    public String chartOf(String type, String id) {
        return transactions.read(em -> patientOf(em, id));
    }

    /** FHIR Binary: documents' content, sealed in chunks like image pixel data. */
    public BinaryStore binaries() {
        return binaries;
    }

    /** Stops the export worker; an export it was listing stays RUNNING in the database and can be started again. */
    @Deactivate
    public void stop() {
        exportWorker.shutdownNow();
    }

    /** The clock the record runs on (search prefixes such as {@code ap} are relative to now). */
    public Clock clock() {
        return clock;
    }

    // ---------------------------------------------------------------------------------------------------- bundle

    @Override
    public BundleOutcome importBundle(Caller caller, String bundleJson) {
        return importBundle(caller, FhirJson.parseObject(bundleJson));
    }

    public BundleOutcome importBundle(Caller caller, ObjectNode bundle) {
        return new BundleImporter(policy, resources, care, caller).importBundle(bundle);
    }

    // ------------------------------------------------------------------------------------------- shared plumbing

    private static String modelledType(ObjectNode resource) {
        JsonNode type = resource.get("resourceType");
        if (type == null || !type.isTextual()) {
            throw invalid("resourceType", "is missing: a FHIR resource names its type, e.g. \"resourceType\": "
                    + "\"Patient\"");
        }
        return ResourceType.fromFhirName(type.asText()).map(ResourceType::fhirName).orElseThrow(() -> invalid(
                "resourceType", "'" + type.asText() + "' is not a type Panacea models; send it inside a transaction "
                        + "Bundle to keep it as an opaque record, or use one of " + modelledNames()));
    }

    private static String modelledNames() {
        return java.util.Arrays.stream(ResourceType.values()).map(ResourceType::fhirName).toList().toString();
    }

    private static InvalidResourceException invalid(String path, String message) {
        return ResourceStore.invalid(path, message);
    }

    private void audit(Caller caller, AuditAction action, String type, String id, String patient,
            AuditOutcome outcome, String details) {
        audit.record(caller, action, type, id, patient, outcome, details);
    }
}
