package org.panacea.analysis.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.panacea.plugins.support.stats.CoxProportionalHazards.Ties;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A survival analysis of the patients who have a condition, from its onset to death:
 * {@code {"condition": "system|code", "event": "death", "group": "sex", "covariates": ["age", "sex"]}}.
 *
 * @param condition  the Condition code, {@code system|code} (any of the Condition's codings may match), or several
 *                   joined by commas for patients with any of them ({@link #codes()}); callers limited to aggregates
 *                   may name one only (see {@link CohortSurvival})
 * @param group      {@code sex} to compare the sexes, or {@code null}
 * @param covariates Cox covariates among {@code age} (years at onset) and {@code sex} (1 female, 0 male)
 * @param ties       how the Cox partial likelihood handles tied times
 * @param curve      whether to send the Kaplan-Meier curves step by step
 */
public record CohortRequest(String condition, String group, List<String> covariates, Ties ties, boolean curve) {

    /** The only event the record dates for every patient: death (Patient.deceasedDateTime). */
    public static final String DEATH = "death";

    static final Set<String> FIELDS = Set.of("condition", "event", "group", "covariates", "ties", "curve");
    static final Set<String> GROUPS = Set.of("sex");
    static final Set<String> COVARIATES = Set.of("age", "sex");
    private static final String CODE = "[^|,\\s]+\\|[^|,\\s]+";

    public CohortRequest {
        if (condition == null || !condition.matches(CODE + "(," + CODE + ")*")) {
            throw new IllegalArgumentException("condition must be a code as system|code (e.g. "
                    + "http://snomed.info/sct|254637007), or several joined by commas, each with its system; was "
                    + (condition == null ? "missing" : "'" + condition + "'"));
        }
        if (group != null && !GROUPS.contains(group)) {
            throw new IllegalArgumentException("group may be " + GROUPS + " or absent, was '" + group + "'");
        }
        covariates = List.copyOf(covariates);
        for (String covariate : covariates) {
            if (!COVARIATES.contains(covariate)) {
                throw new IllegalArgumentException("covariates may be " + new TreeSet<>(COVARIATES) + ", not '"
                        + covariate + "'");
            }
        }
        if (covariates.stream().distinct().count() != covariates.size()) {
            throw new IllegalArgumentException("covariates name one twice: " + covariates);
        }
    }

    /** The condition's codes, {@code system|code} each, in the order given, each once. */
    public List<String> codes() {
        return List.of(condition.split(",")).stream().distinct().toList();
    }

    /**
     * From the JSON body.
     *
     * @throws IllegalArgumentException naming an unknown, missing or malformed field
     */
    public static CohortRequest fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"condition\": "
                    + "\"http://snomed.info/sct|254637007\", \"event\": \"death\", \"group\": \"sex\", "
                    + "\"covariates\": [\"age\", \"sex\"]}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; a cohort analysis takes "
                        + new TreeSet<>(FIELDS));
            }
        }
        String event = text(body, "event");
        if (event != null && !event.equals(DEATH)) {
            throw new IllegalArgumentException("event must be \"death\" (from Patient.deceasedDateTime), was '"
                    + event + "'");
        }
        List<String> covariates = new ArrayList<>();
        JsonNode list = body.get("covariates");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("covariates must be an array of names, such as [\"age\", \"sex\"]");
            }
            list.forEach(item -> covariates.add(item.asText()));
        }
        String ties = text(body, "ties");
        JsonNode curve = body.get("curve");
        if (curve != null && !curve.isBoolean()) {
            throw new IllegalArgumentException("curve must be true or false");
        }
        return new CohortRequest(text(body, "condition"), text(body, "group"), covariates,
                SurvivalRequest.ties(ties == null ? "efron" : ties), curve == null || curve.asBoolean());
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.asText().strip();
    }
}
