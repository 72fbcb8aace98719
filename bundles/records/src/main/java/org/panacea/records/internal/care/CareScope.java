package org.panacea.records.internal.care;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.panacea.api.records.BreakGlassGrant;
import org.panacea.api.records.CareBasis;

/**
 * The charts one caller may open, read from the database for one call and dropped with it (several nodes share the
 * database: a scope kept longer could miss a care team that ended or a grant that expired elsewhere).
 *
 * @param applies      {@code false} when the caller is not bound to care relationships (every chart its role allows)
 * @param everyPatient {@code true} when a department rule gives the caller every patient
 * @param related      the patients the caller has a care relationship with, and on what basis
 * @param denied       the patients whose Consent denies sharing with the caller's Practitioner
 * @param grants       the caller's break-glass grants in force, by patient
 */
public record CareScope(boolean applies, boolean everyPatient, Map<String, CareBasis> related, Set<String> denied,
        Map<String, BreakGlassGrant> grants) {

    /** The scope of a caller that care relationships do not bind. */
    public static final CareScope UNRESTRICTED = new CareScope(false, false, Map.of(), Set.of(), Map.of());

    public CareScope {
        related = Map.copyOf(related);
        denied = Set.copyOf(denied);
        grants = Map.copyOf(grants);
    }

    /** What opens {@code patientId}'s chart to the caller; {@link CareBasis#NONE} or CONSENT_DENIED when nothing. */
    public CareBasis basis(String patientId) {
        if (!applies || patientId == null || patientId.isEmpty()) {
            return CareBasis.NOT_APPLICABLE;
        }
        if (denied.contains(patientId)) {
            return grants.containsKey(patientId) ? CareBasis.BREAK_GLASS : CareBasis.CONSENT_DENIED;
        }
        CareBasis basis = related.get(patientId);
        if (basis != null) {
            return basis;
        }
        if (everyPatient) {
            return CareBasis.DEPARTMENT;
        }
        return grants.containsKey(patientId) ? CareBasis.BREAK_GLASS : CareBasis.NONE;
    }

    /** {@code true} when the caller may open the chart of {@code patientId} (empty or null: data of no patient). */
    public boolean permits(String patientId) {
        CareBasis basis = basis(patientId);
        return basis != CareBasis.NONE && basis != CareBasis.CONSENT_DENIED;
    }

    /**
     * The same rule as a JPQL condition on {@code alias.patientId} (rows of no patient always pass), with its
     * parameters, for queries that list rows of many patients: empty when the scope restricts nothing.
     */
    public Optional<Restriction> restriction(String alias) {
        if (!applies) {
            return Optional.empty();
        }
        if (everyPatient) {
            Set<String> refused = new HashSet<>(denied);
            refused.removeAll(grants.keySet());
            return refused.isEmpty() ? Optional.empty() : Optional.of(new Restriction(" AND (" + alias
                    + ".patientId IS NULL OR " + alias + ".patientId NOT IN :careRefused)", Map.of("careRefused",
                            List.copyOf(refused))));
        }
        Set<String> permitted = new HashSet<>(related.keySet());
        permitted.removeAll(denied);
        permitted.addAll(grants.keySet());
        // An empty IN list is not JPQL; no id is empty, so this one matches nothing.
        return Optional.of(new Restriction(" AND (" + alias + ".patientId IS NULL OR " + alias
                + ".patientId IN :carePermitted)", Map.of("carePermitted", permitted.isEmpty() ? List.of("")
                        : List.copyOf(permitted))));
    }

    /** A JPQL condition and its named parameters. */
    public record Restriction(String jpql, Map<String, Object> parameters) {
    }

    /** {@code true} when only a break-glass grant opens {@code patientId}'s chart (every access is then audited). */
    public boolean underBreakGlass(String patientId) {
        return basis(patientId) == CareBasis.BREAK_GLASS;
    }
}
