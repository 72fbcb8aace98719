package org.panacea.records.internal.care;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.persistence.EntityManager;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.records.BreakGlassGrant;
import org.panacea.api.records.CareBasis;
import org.panacea.api.records.ChartAccess;
import org.panacea.api.records.ChartDecision;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.FieldBinding;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.records.internal.RecordAudit;
import org.panacea.records.internal.ResourceStore;
import org.panacea.records.internal.Transactions;
import org.panacea.records.internal.fhir.FhirDates;
import org.panacea.records.internal.fhir.FhirJson;
import org.panacea.records.internal.store.ResourceRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@link ChartAccess} service: decides, from the record itself, which patients a clinician or nurse may open.
 * <p>
 * A user is linked to their Practitioner by its identifier {@code urn:panacea:user|<login name>}. The care
 * relationships are found through the blind index (CareTeam and Encounter {@code participant}, Consent
 * {@code actor}, Patient {@code organization} tokens of that Practitioner or department), then only those resources
 * are opened to check status and period. Everything is read afresh for each call of the record ({@link CareScope}):
 * the nodes sharing the database see the same care teams, consents and grants.
 * <p>
 * Who is bound: callers holding the clinician or nurse role, except the platform's own work ({@code system:})
 * and configured network peers ({@code dicom:}), which are not persons (a DICOM peer sees what its AE configuration
 * allows). Break-glass is for clinicians.
 * <p>
 * A caller whose token's SMART {@code patient/} scopes limit it to one patient ({@link Caller#launchPatient()}) is
 * held to that patient's chart by every scope this class hands out, whatever its role, and before its care
 * relationships and grants: the scopes narrow, never widen.
 */
@Component(service = { ChartAccess.class, CareRelationshipAccess.class }, configurationPid = CareRelationshipAccess.PID)
@Designate(ocd = CareRelationshipAccess.Config.class)
public class CareRelationshipAccess implements ChartAccess {

    public static final String PID = "org.panacea.records.care";

    private static final Logger LOG = LoggerFactory.getLogger(CareRelationshipAccess.class);

    /** Encounter states that no longer relate their participants (unless within the window after their end). */
    private static final Set<String> ENDED_ENCOUNTER = Set.of("finished", "cancelled", "entered-in-error");
    /** Caller name prefixes of the platform's own work and of configured network peers: not persons. */
    private static final List<String> NOT_PERSONS = List.of("system:", "dicom:");

    @ObjectClassDefinition(name = "Panacea care relationships", description = "Who may open which patient's chart")
    public @interface Config {
        @AttributeDefinition(description = "How long a break-glass grant opens a chart, in minutes")
        int break_glass_minutes() default 60;

        @AttributeDefinition(description = "How long after a finished Encounter's end its participants stay related "
                + "to the patient, in hours")
        int encounter_window_hours() default 72;

        @AttributeDefinition(description = "Department rules: <department>=<user or @role>[+...], comma "
                + "separated; the department is the identifier value of the Organization a Patient's "
                + "managingOrganization names, * is every patient")
        String departments() default "";
    }

    private final Transactions transactions;
    private final FieldEncryption encryption;
    private final AccessPolicy policy;
    private final RecordAudit audit;
    private final ResourceStore resources;
    private final Clock clock;
    private final CareSettings settings;

    @Activate
    public CareRelationshipAccess(@Reference Transactions transactions, @Reference FieldEncryption encryption,
            @Reference AccessPolicy policy, @Reference AuditTrail audit, Config config) {
        this(transactions, encryption, policy, audit, Clock.systemUTC(), new CareSettings(
                Duration.ofMinutes(config.break_glass_minutes()), Duration.ofHours(config.encounter_window_hours()),
                CareSettings.parseDepartments(config.departments())));
        LOG.info("Care relationships: break-glass grants last {}, encounters relate for {} after their end, {} "
                + "department rule(s)", settings.breakGlassDuration(), settings.encounterWindow(),
                settings.departments().size());
    }

    public CareRelationshipAccess(Transactions transactions, FieldEncryption encryption, AccessPolicy policy,
            AuditTrail audit, Clock clock, CareSettings settings) {
        this.transactions = transactions;
        this.encryption = encryption;
        this.policy = policy;
        this.audit = new RecordAudit(audit);
        this.resources = new ResourceStore(transactions, encryption, this.audit, clock);
        this.clock = clock;
        this.settings = settings;
    }

    // ------------------------------------------------------------------------------------------------ ChartAccess

    @Override
    public ChartDecision decide(Caller caller, String patientId) {
        return transactions.read(em -> decision(caller, scope(em, caller), patientId));
    }

    @Override
    public BreakGlassGrant breakGlass(Caller caller, String patientId, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("break-glass needs a reason: give it in " + BREAK_GLASS_REASON_HEADER
                    + " (console: --break-glass \"<reason>\"), e.g. \"unconscious patient in the emergency room\"");
        }
        if (why.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("the break-glass reason has " + why.length() + " characters; at most "
                    + MAX_REASON_LENGTH + " are kept");
        }
        policy.require(caller, Operation.READ, "Patient");
        if (caller.limitedToPatient() && !caller.launchPatient().equals(patientId)) {
            String refusal = limitedToLaunchPatient(caller, patientId) + "; break-glass cannot widen it";
            audit.record(caller, AuditAction.ACCESS_DENIED, "Patient", patientId, patientId, AuditOutcome.DENIED,
                    refusal);
            throw new AccessDeniedException(AccessDecision.deny(refusal));
        }
        if (!caller.hasRole(Role.CLINICIAN)) {
            String refusal = "break-glass is for clinicians: " + caller.name() + " holds " + caller.roles();
            audit.record(caller, AuditAction.ACCESS_DENIED, "Patient", patientId, patientId, AuditOutcome.DENIED,
                    refusal);
            throw new AccessDeniedException(AccessDecision.deny(refusal));
        }
        Instant now = clock.instant();
        Instant expires = now.plus(settings.breakGlassDuration());
        String id = UUID.randomUUID().toString();
        transactions.inTransaction(em -> {
            ResourceRow patient = em.find(ResourceRow.class, patientId);
            if (patient == null || !patient.resourceType().equals("Patient")) {
                throw new ResourceNotFoundException("Patient", patientId);
            }
            // Audited before the grant commits: a grant is never in force without its entry in the trail.
            audit.record(caller, AuditAction.BREAK_GLASS, "Patient", patientId, patientId, AuditOutcome.SUCCESS,
                    why);
            em.persist(new BreakGlassGrantRow(id, caller.name(), patientId, now.toEpochMilli(),
                    expires.toEpochMilli(), encryption.encrypt(reasonBinding(id, caller.name(), patientId),
                            why.getBytes(StandardCharsets.UTF_8))));
            return null;
        });
        LOG.info("Break-glass: {} opened Patient/{} until {}", caller.name(), patientId, expires);
        return new BreakGlassGrant(id, caller.name(), patientId, why, now, expires);
    }

    @Override
    public Optional<BreakGlassGrant> activeGrant(Caller caller, String patientId) {
        return transactions.read(em -> Optional.ofNullable(grants(em, caller.name()).get(patientId)));
    }

    // -------------------------------------------------------------------------------- the record's doors use these

    /** The charts {@code caller} may open, read now in {@code em}'s database, for the duration of one call. */
    public CareScope scope(EntityManager em, Caller caller) {
        CareScope scope = careScope(em, caller);
        return caller.limitedToPatient() ? scope.limitedTo(caller.launchPatient()) : scope;
    }

    private CareScope careScope(EntityManager em, Caller caller) {
        if (!boundByCare(caller)) {
            return CareScope.UNRESTRICTED;
        }
        Instant now = clock.instant();
        Map<String, CareBasis> related = new HashMap<>();
        Set<String> denied = new HashSet<>();
        Optional<String> practitioner = resources.findByIdentifier(em, "Practitioner",
                USER_IDENTIFIER_SYSTEM + "|" + caller.name());
        if (practitioner.isPresent()) {
            String reference = "Practitioner/" + practitioner.get();
            for (ResourceRow row : referring(em, "CareTeam", "participant", reference)) {
                if (activeCareTeamMember(json(row), reference, now)) {
                    related.putIfAbsent(row.patientId(), CareBasis.CARE_TEAM);
                }
            }
            for (ResourceRow row : referring(em, "Encounter", "participant", reference)) {
                if (currentEncounter(json(row), now)) {
                    related.putIfAbsent(row.patientId(), CareBasis.ENCOUNTER);
                }
            }
            for (ResourceRow row : referring(em, "Consent", "actor", reference)) {
                if (deniesSharing(json(row), reference)) {
                    denied.add(row.patientId());
                }
            }
        }
        boolean everyPatient = false;
        for (CareSettings.DepartmentRule rule : settings.departments()) {
            if (!rule.names(caller)) {
                continue;
            }
            if (CareSettings.EVERY_PATIENT.equals(rule.department())) {
                everyPatient = true;
                continue;
            }
            for (String organization : tokenMatches(em, "Organization", "identifier", rule.department())) {
                for (String patient : tokenMatches(em, "Patient", "organization", "Organization/" + organization)) {
                    related.putIfAbsent(patient, CareBasis.DEPARTMENT);
                }
            }
        }
        related.remove(null);
        denied.remove(null);
        return new CareScope(true, everyPatient, related, denied, grants(em, caller.name()), "");
    }

    /**
     * Lets {@code caller} open {@code patientId}'s chart to reach {@code type/id}, or refuses: the refusal is audited
     * as {@code ACCESS_DENIED} on {@code Patient/<id>} and thrown; an access under a break-glass grant is audited as
     * {@code BREAK_GLASS} with the grant's reason.
     *
     * @throws ChartRefusedException when neither a care relationship nor a grant opens the chart
     */
    public void require(Caller caller, CareScope scope, String patientId, String type, String id) {
        if (patientId == null || patientId.isEmpty() || !scope.restricts()) {
            return;
        }
        ChartDecision decision = decision(caller, scope, patientId);
        if (!decision.allowed()) {
            audit.record(caller, AuditAction.ACCESS_DENIED, "Patient", patientId, patientId, AuditOutcome.DENIED,
                    decision.reason());
            throw new ChartRefusedException(patientId, decision.reason());
        }
        if (decision.basis() == CareBasis.BREAK_GLASS) {
            auditBreakGlass(caller, scope, List.of(patientId), type, id);
        }
    }

    /** {@link #require(Caller, CareScope, String, String, String)} with a scope read now. */
    public void require(EntityManager em, Caller caller, String patientId, String type, String id) {
        if ((boundByCare(caller) || caller.limitedToPatient()) && patientId != null && !patientId.isEmpty()) {
            require(caller, scope(em, caller), patientId, type, id);
        }
    }

    /** Audits as {@code BREAK_GLASS} the access to {@code type/id} of those {@code patients} only a grant opens. */
    public void auditBreakGlass(Caller caller, CareScope scope, Collection<String> patients, String type,
            String id) {
        for (String patient : new LinkedHashSet<>(patients)) {
            if (scope.underBreakGlass(patient)) {
                audit.record(caller, AuditAction.BREAK_GLASS, type, id, patient, AuditOutcome.SUCCESS,
                        scope.grants().get(patient).reason());
            }
        }
    }

    /** The settings in force. */
    public CareSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------------------------ the rules

    /** {@code true} when care relationships bind {@code caller}: a person holding the clinician or nurse role. */
    static boolean boundByCare(Caller caller) {
        if (NOT_PERSONS.stream().anyMatch(caller.name()::startsWith)) {
            return false;
        }
        return caller.hasRole(Role.CLINICIAN) || caller.hasRole(Role.NURSE);
    }

    private ChartDecision decision(Caller caller, CareScope scope, String patientId) {
        CareBasis basis = scope.basis(patientId);
        return switch (basis) {
            case NOT_APPLICABLE -> new ChartDecision(true, basis, "care relationships do not bind " + caller.name());
            case CARE_TEAM -> new ChartDecision(true, basis, caller.name() + " is on an active care team of Patient/"
                    + patientId);
            case ENCOUNTER -> new ChartDecision(true, basis, caller.name() + " takes part in a current encounter of "
                    + "Patient/" + patientId);
            case DEPARTMENT -> new ChartDecision(true, basis, "a department rule gives " + caller.name()
                    + " the patients of Patient/" + patientId + "'s department");
            case BREAK_GLASS -> new ChartDecision(true, basis, caller.name() + " broke the glass for Patient/"
                    + patientId + " until " + scope.grants().get(patientId).expires());
            case CONSENT_DENIED -> new ChartDecision(false, basis, "no care relationship that the patient's consent "
                    + "allows: a Consent of Patient/" + patientId + " denies sharing with " + caller.name()
                    + "'s Practitioner. " + howToBreakGlass(caller));
            case NONE -> new ChartDecision(false, basis, "no care relationship with Patient/" + patientId + ": "
                    + caller.name() + " is on no active care team of this patient, takes part in no current "
                    + "encounter, and no department rule gives them this patient. " + howToBreakGlass(caller));
            case OTHER_PATIENT_CONTEXT -> new ChartDecision(false, basis, limitedToLaunchPatient(caller, patientId));
        };
    }

    private static String limitedToLaunchPatient(Caller caller, String patientId) {
        return "the token is limited to Patient/" + caller.launchPatient() + " (its SMART patient/ scopes "
                + caller.scopes().stream().filter(s -> s.startsWith("patient/")).sorted().toList()
                + " are for that launch patient only): Patient/" + patientId + "'s chart is outside it";
    }

    private String howToBreakGlass(Caller caller) {
        if (!caller.hasRole(Role.CLINICIAN)) {
            return "Break-glass (emergency access) is for clinicians.";
        }
        return "Break-glass is available: in an emergency, repeat the request with the headers "
                + PURPOSE_OF_USE_HEADER + ": " + BREAK_GLASS_PURPOSE + " and " + BREAK_GLASS_REASON_HEADER
                + ": <reason> (on the console: --break-glass \"<reason>\"); the chart then opens for "
                + settings.breakGlassDuration().toMinutes() + " minutes and every access is audited with the reason.";
    }

    static boolean activeCareTeamMember(JsonNode careTeam, String practitioner, Instant now) {
        if (!"active".equals(careTeam.path("status").asText()) || ended(careTeam.path("period"), now)) {
            return false;
        }
        for (JsonNode participant : careTeam.path("participant")) {
            if (practitioner.equals(participant.path("member").path("reference").asText())
                    && !ended(participant.path("period"), now)) {
                return true;
            }
        }
        return false;
    }

    boolean currentEncounter(JsonNode encounter, Instant now) {
        String status = encounter.path("status").asText();
        if (!ENDED_ENCOUNTER.contains(status)) {
            return true;
        }
        if (!"finished".equals(status)) {
            return false;
        }
        Optional<Instant> end = instant(encounter.path("period").path("end"));
        return end.isPresent() && !now.isAfter(end.get().plus(settings.encounterWindow()));
    }

    static boolean deniesSharing(JsonNode consent, String practitioner) {
        if (!"active".equals(consent.path("status").asText())) {
            return false;
        }
        JsonNode provision = consent.path("provision");
        if (!"deny".equals(provision.path("type").asText())) {
            return false;
        }
        for (JsonNode actor : provision.path("actor")) {
            if (practitioner.equals(actor.path("reference").path("reference").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean ended(JsonNode period, Instant now) {
        return instant(period.path("end")).map(now::isAfter).orElse(false);
    }

    private static Optional<Instant> instant(JsonNode value) {
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FhirDates.parseDateTime(value.asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------- database reads

    private List<ResourceRow> referring(EntityManager em, String type, String param, String reference) {
        return tokenMatches(em, type, param, reference).stream().map(id -> em.find(ResourceRow.class, id))
                .filter(row -> row != null && row.resourceType().equals(type)).toList();
    }

    private List<String> tokenMatches(EntityManager em, String type, String param, String value) {
        return em.createQuery("SELECT t.resourceId FROM SearchTokenRow t WHERE t.resourceType = :type AND t.param = "
                + ":param AND t.token = :token", String.class).setParameter("type", type)
                .setParameter("param", param).setParameter("token", resources.token(type, param, value))
                .getResultList();
    }

    private JsonNode json(ResourceRow row) {
        return FhirJson.parseObject(resources.open(row).json());
    }

    private Map<String, BreakGlassGrant> grants(EntityManager em, String user) {
        long now = clock.millis();
        Map<String, BreakGlassGrant> grants = new HashMap<>();
        for (BreakGlassGrantRow row : em.createQuery("SELECT g FROM BreakGlassGrantRow g WHERE g.userName = :user AND "
                + "g.expiresMillis > :now AND g.grantedMillis <= :now ORDER BY g.expiresMillis", BreakGlassGrantRow.class)
                .setParameter("user", user).setParameter("now", now).getResultList()) {
            String reason = new String(encryption.decrypt(reasonBinding(row.id(), row.user(), row.patientId()),
                    row.sealedReason()), StandardCharsets.UTF_8);
            // Ordered by expiry: the grant lasting longest wins.
            grants.put(row.patientId(), new BreakGlassGrant(row.id(), row.user(), row.patientId(), reason,
                    Instant.ofEpochMilli(row.grantedMillis()), Instant.ofEpochMilli(row.expiresMillis())));
        }
        return grants;
    }

    private static FieldBinding reasonBinding(String grantId, String user, String patientId) {
        return new FieldBinding("BreakGlass", grantId, "reason|" + user + "|" + patientId);
    }
}
