package org.panacea.records.internal.care;

import java.util.HashMap;
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
 * @param launchPatient the one patient the caller's token (SMART {@code patient/} scopes) is limited to; empty when
 *                      none. It holds whether or not care relationships bind the caller, and before them
 */
public record CareScope(boolean applies, boolean everyPatient, Map<String, CareBasis> related, Set<String> denied,
        Map<String, BreakGlassGrant> grants, String launchPatient) {

    /** The scope of a caller that care relationships do not bind. */
    public static final CareScope UNRESTRICTED = new CareScope(false, false, Map.of(), Set.of(), Map.of(), "");

    public CareScope {
        related = Map.copyOf(related);
        denied = Set.copyOf(denied);
        grants = Map.copyOf(grants);
        launchPatient = launchPatient == null ? "" : launchPatient;
    }

    /** The same scope, limited to the chart of {@code patientId} (a token's launch patient). */
    public CareScope limitedTo(String patientId) {
        return new CareScope(applies, everyPatient, related, denied, grants, patientId);
    }

    /** {@code true} when this scope refuses some chart: care relationships bind, or a token limits it. */
    public boolean restricts() {
        return applies || !launchPatient.isEmpty();
    }

    /**
     * What opens {@code patientId}'s chart to the caller; {@link CareBasis#NONE}, CONSENT_DENIED or
     * OTHER_PATIENT_CONTEXT when nothing.
     */
    public CareBasis basis(String patientId) {
        if (patientId == null || patientId.isEmpty()) {
            return CareBasis.NOT_APPLICABLE;
        }
        if (!launchPatient.isEmpty() && !launchPatient.equals(patientId)) {
            // Before care relationships and grants: a token's patient/ scopes narrow, never widen.
            return CareBasis.OTHER_PATIENT_CONTEXT;
        }
        if (!applies) {
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
        return basis != CareBasis.NONE && basis != CareBasis.CONSENT_DENIED
                && basis != CareBasis.OTHER_PATIENT_CONTEXT;
    }

    /**
     * The same rule as a JPQL condition on {@code alias.patientId} (rows of no patient always pass), with its
     * parameters, for queries that list rows of many patients: empty when the scope restricts nothing.
     */
    public Optional<Restriction> restriction(String alias) {
        Optional<Restriction> care = careRestriction(alias);
        if (launchPatient.isEmpty()) {
            return care;
        }
        Restriction limited = new Restriction(" AND (" + alias + ".patientId IS NULL OR " + alias
                + ".patientId = :launchPatient)", Map.of("launchPatient", launchPatient));
        return Optional.of(care.map(limited::and).orElse(limited));
    }

    private Optional<Restriction> careRestriction(String alias) {
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

        /** Both conditions (their parameter names differ). */
        Restriction and(Restriction other) {
            Map<String, Object> both = new HashMap<>(parameters);
            both.putAll(other.parameters);
            return new Restriction(jpql + other.jpql, both);
        }
    }

    /** {@code true} when only a break-glass grant opens {@code patientId}'s chart (every access is then audited). */
    public boolean underBreakGlass(String patientId) {
        return basis(patientId) == CareBasis.BREAK_GLASS;
    }
}
