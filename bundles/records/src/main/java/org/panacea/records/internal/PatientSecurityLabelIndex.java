package org.panacea.records.internal;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.PatientSecurityLabels;
import org.panacea.api.security.FieldEncryption;
import org.panacea.records.internal.fhir.SearchParameters;

/**
 * {@link PatientSecurityLabels} from the record's own blind index: the Patient's {@code meta.security} Codings are
 * indexed as {@code _security} tokens by the same write that stores the Patient (and dropped with it on delete), so
 * the labels are in step with the chart in every transaction and on every node, and never stored in clear. One
 * indexed query per question; nothing is cached here (the caller bounds its own cache).
 */
@Component(service = PatientSecurityLabels.class)
public class PatientSecurityLabelIndex implements PatientSecurityLabels {

    private final Transactions transactions;
    private final ResourceStore resources;

    @Activate
    public PatientSecurityLabelIndex(@Reference Transactions transactions, @Reference FieldEncryption encryption,
            @Reference AuditTrail audit) {
        this.transactions = transactions;
        this.resources = new ResourceStore(transactions, encryption, new RecordAudit(audit), Clock.systemUTC());
    }

    @Override
    public boolean carriesAny(String patientId, Collection<String> labels) {
        if (patientId == null || patientId.isEmpty() || labels.isEmpty()) {
            return false;
        }
        Set<String> tokens = new LinkedHashSet<>();
        for (String label : labels) {
            int bar = label.indexOf('|');
            if (bar <= 0 || bar == label.length() - 1) {
                throw new IllegalArgumentException("security label '" + label + "' is not system|code, e.g. "
                        + "http://terminology.hl7.org/CodeSystem/v3-ActCode|EMP");
            }
            // The same token the write indexed for this Coding (ResourceStore.token, system|code form).
            tokens.add(resources.token("Patient", SearchParameters.SECURITY, label));
        }
        List<String> tokenList = List.copyOf(tokens);
        return transactions.read(em -> !em.createQuery("SELECT t.resourceId FROM SearchTokenRow t WHERE "
                + "t.resourceType = 'Patient' AND t.param = :param AND t.token IN :tokens AND t.resourceId = :id",
                String.class).setParameter("param", SearchParameters.SECURITY).setParameter("tokens", tokenList)
                .setParameter("id", patientId).setMaxResults(1).getResultList().isEmpty());
    }
}
