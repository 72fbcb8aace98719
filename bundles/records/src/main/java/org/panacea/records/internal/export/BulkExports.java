package org.panacea.records.internal.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;
import org.panacea.records.internal.RecordAudit;
import org.panacea.records.internal.ResourceStore;
import org.panacea.records.internal.Transactions;
import org.panacea.records.internal.care.CareRelationshipAccess;
import org.panacea.records.internal.care.CareScope;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.fhir.SearchParameters;
import org.panacea.records.internal.store.ResourceRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * FHIR Bulk Data export of a Group's patients (or of every patient): kicked off by a caller who may read every
 * exported type (researchers, who see aggregates only, may not), run in the background, polled, and downloaded as
 * NDJSON, one file per type. The job and the ids it will send are kept in the database; resources are opened only as
 * a file is downloaded, so no decrypted copy exists at rest, and each downloaded batch is audited per patient before
 * it is sent. Only the caller who kicked an export off may poll or download it.
 */
public final class BulkExports {

    private static final Logger LOG = LoggerFactory.getLogger(BulkExports.class);

    /** How long an export's files can be downloaded. */
    public static final Duration KEPT_FOR = Duration.ofHours(24);
    /** Most resources one export sends. */
    public static final int MAX_RESOURCES = 1_000_000;
    private static final int BATCH = 500;

    private final Transactions transactions;
    private final ResourceStore resources;
    private final AccessPolicy policy;
    private final RecordAudit audit;
    private final Clock clock;
    private final ExecutorService worker;
    private final CareRelationshipAccess care;

    public BulkExports(Transactions transactions, ResourceStore resources, AccessPolicy policy,
            CareRelationshipAccess care, RecordAudit audit, Clock clock, ExecutorService worker) {
        this.care = care;
        this.transactions = transactions;
        this.resources = resources;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.worker = worker;
    }

    /** The types an export sends when the client names none: every modelled type that belongs to a patient. */
    public static List<String> patientTypes() {
        return java.util.Arrays.stream(ResourceType.values()).map(ResourceType::fhirName)
                .filter(SearchParameters::patientLinked).toList();
    }

    /**
     * Starts an export of {@code groupId}'s members (null: every patient) for {@code types} (empty: all patient
     * types) changed at or after {@code since}; its id.
     */
    public String kickOff(Caller caller, String groupId, List<String> types, Instant since, String request) {
        List<String> exported = types.isEmpty() ? patientTypes() : types;
        for (String type : exported) {
            if (!patientTypes().contains(type)) {
                throw new IllegalArgumentException("_type: '" + type + "' cannot be exported; a patient export holds "
                        + String.join(", ", patientTypes()));
            }
        }
        policy.require(caller, Operation.READ, "Patient");
        for (String type : exported) {
            policy.require(caller, Operation.READ, type);
        }
        if (groupId != null) {
            policy.require(caller, Operation.READ, "Group");
            transactions.read(em -> {
                ResourceRow group = em.find(ResourceRow.class, groupId);
                if (group == null || !group.resourceType().equals("Group")) {
                    throw new ResourceNotFoundException("Group", groupId);
                }
                return group;
            });
        }
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        transactions.inTransaction(em -> {
            em.persist(new ExportJobRow(id, caller.name(), request, groupId, String.join(",", exported),
                    since == null ? null : since.toEpochMilli(), now, now + KEPT_FOR.toMillis()));
            return null;
        });
        audit.record(caller, AuditAction.EXPORT, groupId == null ? "Patient" : "Group", groupId == null ? ""
                : groupId, "", AuditOutcome.SUCCESS, "bulk export " + id + " requested: " + String.join(",",
                        exported) + (since == null ? "" : " since " + since));
        worker.execute(() -> run(id));
        return id;
    }

    /** Works out which resources an export sends. */
    void run(String jobId) {
        try {
            ExportJobRow job = update(jobId, ExportJobRow.State.RUNNING, "finding the patients", null);
            if (job == null) {
                return;
            }
            List<String> patients = transactions.read(em -> {
                if (job.groupId() == null) {
                    return em.createQuery("SELECT r.id FROM ResourceRow r WHERE r.resourceType = 'Patient' ORDER BY "
                            + "r.id", String.class).getResultList();
                }
                ResourceRow group = em.find(ResourceRow.class, job.groupId());
                if (group == null) {
                    throw new ResourceNotFoundException("Group", job.groupId());
                }
                JsonNode members = FhirJson.parseObject(resources.open(group).json()).path("member");
                Set<String> ids = new LinkedHashSet<>();
                for (JsonNode member : members) {
                    String reference = member.path("entity").path("reference").asText("");
                    if (reference.startsWith("Patient/") && !member.path("inactive").asBoolean(false)) {
                        ids.add(reference.substring("Patient/".length()));
                    }
                }
                return new ArrayList<>(ids);
            });
            long since = job.sinceMillis() == null ? Long.MIN_VALUE : job.sinceMillis();
            int position = 0;
            String[] types = job.types().split(",");
            for (int t = 0; t < types.length; t++) {
                String type = types[t];
                if (current(jobId).state() == ExportJobRow.State.CANCELLED) {
                    return;
                }
                update(jobId, ExportJobRow.State.RUNNING, "listing " + type + " (" + (t + 1) + " of " + types.length
                        + " types)", null);
                for (int start = 0; start < patients.size(); start += BATCH) {
                    List<String> batch = patients.subList(start, Math.min(start + BATCH, patients.size()));
                    List<String> ids = transactions.read(em -> em.createQuery("SELECT r.id FROM ResourceRow r WHERE "
                            + "r.resourceType = :type AND r.patientId IN :patients AND r.lastUpdatedMillis >= :since "
                            + "ORDER BY r.patientId, r.id", String.class).setParameter("type", type)
                            .setParameter("patients", batch).setParameter("since", since).getResultList());
                    if (position + ids.size() > MAX_RESOURCES) {
                        update(jobId, ExportJobRow.State.FAILED, "failed", "the export would hold more than "
                                + MAX_RESOURCES + " resources; export a smaller group, fewer types or use _since");
                        return;
                    }
                    int first = position;
                    transactions.inTransaction(em -> {
                        for (int i = 0; i < ids.size(); i++) {
                            em.persist(new ExportItemRow(jobId, first + i, type, ids.get(i)));
                        }
                        return null;
                    });
                    position += ids.size();
                }
            }
            update(jobId, ExportJobRow.State.DONE, "done: " + position + " resources", null);
        } catch (RuntimeException e) {
            LOG.error("Bulk export {} failed", jobId, e);
            update(jobId, ExportJobRow.State.FAILED, "failed", "the export failed: " + e.getMessage());
        }
    }

    private ExportJobRow current(String jobId) {
        return transactions.read(em -> em.find(ExportJobRow.class, jobId));
    }

    private ExportJobRow update(String jobId, ExportJobRow.State state, String progress, String message) {
        return transactions.inTransaction(em -> {
            ExportJobRow job = em.find(ExportJobRow.class, jobId);
            if (job == null || job.state() == ExportJobRow.State.CANCELLED) {
                return null;
            }
            job.state(state, progress, message);
            return job;
        });
    }

    /** An export's state and, once done, its files. */
    public record Status(ExportJobRow job, Map<String, Long> countsByType) {
    }

    /** The status of {@code caller}'s export {@code jobId}. */
    public Status status(Caller caller, String jobId) {
        return transactions.read(em -> {
            ExportJobRow job = owned(em.find(ExportJobRow.class, jobId), caller, jobId);
            Map<String, Long> counts = new LinkedHashMap<>();
            if (job.state() == ExportJobRow.State.DONE) {
                for (String type : job.types().split(",")) {
                    counts.put(type, 0L);
                }
                for (Object[] row : em.createQuery("SELECT i.resourceType, COUNT(i) FROM ExportItemRow i WHERE "
                        + "i.jobId = :job GROUP BY i.resourceType", Object[].class).setParameter("job", jobId)
                        .getResultList()) {
                    counts.put((String) row[0], ((Number) row[1]).longValue());
                }
            }
            return new Status(job, counts);
        });
    }

    /** Cancels {@code caller}'s export and forgets its output. */
    public void cancel(Caller caller, String jobId) {
        transactions.inTransaction(em -> {
            ExportJobRow job = owned(em.find(ExportJobRow.class, jobId), caller, jobId);
            job.state(ExportJobRow.State.CANCELLED, "cancelled", null);
            em.createQuery("DELETE FROM ExportItemRow i WHERE i.jobId = :job").setParameter("job", jobId)
                    .executeUpdate();
            return null;
        });
        audit.record(caller, AuditAction.EXPORT, "", "", "", AuditOutcome.SUCCESS, "bulk export " + jobId
                + " cancelled");
    }

    /**
     * Writes the {@code type} file of {@code caller}'s finished export as NDJSON, batch by batch; each batch is
     * audited per patient before it is written. Resources deleted since the export ran are left out.
     */
    public void writeFile(Caller caller, String jobId, String type, OutputStream out) throws IOException {
        ExportJobRow job = transactions.read(em -> owned(em.find(ExportJobRow.class, jobId), caller, jobId));
        if (job.state() != ExportJobRow.State.DONE) {
            throw new IllegalArgumentException("export " + jobId + " is " + job.state().name().toLowerCase()
                    + "; download its files once its status answers 200");
        }
        if (!List.of(job.types().split(",")).contains(type)) {
            throw new ResourceNotFoundException(type, "file of export " + jobId);
        }
        policy.require(caller, Operation.READ, type);
        int from = 0;
        while (true) {
            int start = from;
            List<Object[]> items = transactions.read(em -> em.createQuery("SELECT i.position, i.resourceId FROM "
                    + "ExportItemRow i WHERE i.jobId = :job AND i.resourceType = :type AND i.position >= :from ORDER BY "
                    + "i.position", Object[].class).setParameter("job", jobId).setParameter("type", type)
                    .setParameter("from", start).setMaxResults(BATCH).getResultList());
            if (items.isEmpty()) {
                return;
            }
            List<String> ids = items.stream().map(item -> (String) item[1]).toList();
            List<ResourceRow> rows = transactions.read(em -> em.createQuery("SELECT r FROM ResourceRow r WHERE r.id "
                    + "IN :ids", ResourceRow.class).setParameter("ids", ids).getResultList());
            // The file holds the charts the downloading caller may open now, and no other (read afresh per batch).
            CareScope scope = transactions.read(em -> care.scope(em, caller));
            rows = rows.stream().filter(row -> scope.permits(row.patientId())).toList();
            Map<String, ResourceRow> byId = new LinkedHashMap<>();
            rows.forEach(row -> byId.put(row.id(), row));
            Map<String, Integer> perPatient = new LinkedHashMap<>();
            List<StoredResource> opened = transactions.read(em -> {
                List<StoredResource> batch = new ArrayList<>();
                for (String id : ids) {
                    ResourceRow row = byId.get(id);
                    if (row != null) {
                        batch.add(resources.open(em, row));
                        perPatient.merge(row.patientId() == null ? "" : row.patientId(), 1, Integer::sum);
                    }
                }
                return batch;
            });
            care.auditBreakGlass(caller, scope, perPatient.keySet(), type, "");
            perPatient.forEach((patient, count) -> audit.record(caller, AuditAction.EXPORT, type, "", patient,
                    AuditOutcome.SUCCESS, "bulk export " + jobId + ": " + count + " " + type + " sent"));
            for (StoredResource resource : opened) {
                // One resource per line: the stored JSON is compact, but a line break must never split one.
                out.write(resource.json().replace("\n", " ").replace("\r", " ").getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            out.flush();
            from = ((Number) items.get(items.size() - 1)[0]).intValue() + 1;
            if (items.size() < BATCH) {
                return;
            }
        }
    }

    private ExportJobRow owned(ExportJobRow job, Caller caller, String jobId) {
        if (job == null || !job.owner().equals(caller.name())) {
            throw new ResourceNotFoundException("export", jobId + " (no export of that id was started by you)");
        }
        if (job.expiresMillis() < clock.millis()) {
            throw new IllegalArgumentException("export " + jobId + " has expired (files are kept "
                    + KEPT_FOR.toHours() + " hours); start it again");
        }
        return job;
    }
}
