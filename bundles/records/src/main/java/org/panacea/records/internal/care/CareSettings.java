package org.panacea.records.internal.care;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;

/**
 * The settings of care-relationship access ({@code etc/org.panacea.records.care.cfg}), checked when read.
 *
 * @param breakGlassDuration how long a break-glass grant opens a chart
 * @param encounterWindow    how long after an Encounter ended (finished, its period's end) it still relates its
 *                           participants to the patient
 * @param departments        the department rules
 */
public record CareSettings(Duration breakGlassDuration, Duration encounterWindow, List<DepartmentRule> departments) {

    /** 60 minutes of break-glass, a 72-hour encounter window, no department rules. */
    public static final CareSettings DEFAULTS = new CareSettings(Duration.ofMinutes(60), Duration.ofHours(72),
            List.of());

    /** The department that stands for every patient in a rule. */
    public static final String EVERY_PATIENT = "*";

    public CareSettings {
        if (breakGlassDuration.isNegative() || breakGlassDuration.isZero()) {
            throw new IllegalArgumentException("break.glass.minutes must be at least 1");
        }
        if (encounterWindow.isNegative()) {
            throw new IllegalArgumentException("encounter.window.hours must be 0 or more");
        }
        departments = List.copyOf(departments);
    }

    /**
     * A department rule: the users and roles listed see the patients of the department, the Organization with the
     * identifier value {@code department} that a Patient's {@code managingOrganization} names ({@value #EVERY_PATIENT}:
     * every patient).
     */
    public record DepartmentRule(String department, Set<String> users, Set<Role> roles) {

        public DepartmentRule {
            users = Set.copyOf(users);
            roles = roles.isEmpty() ? Set.of() : Set.copyOf(roles);
        }

        /** {@code true} when the rule names the caller or one of its roles. */
        public boolean names(Caller caller) {
            return users.contains(caller.name()) || caller.roles().stream().anyMatch(roles::contains);
        }
    }

    /**
     * Parses {@code departments}: rules separated by commas, each {@code <department>=<member>+<member>...}, a member
     * being a login name or {@code @<role>}, e.g. {@code ICU=@nurse+weber, *=oncall}.
     *
     * @throws IllegalArgumentException naming the rule that cannot be read
     */
    public static List<DepartmentRule> parseDepartments(String text) {
        List<DepartmentRule> rules = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return rules;
        }
        for (String rule : text.split(",")) {
            if (rule.isBlank()) {
                continue;
            }
            int equals = rule.indexOf('=');
            if (equals <= 0 || equals == rule.length() - 1) {
                throw new IllegalArgumentException("departments: '" + rule.trim() + "' is not <department>=<user or "
                        + "@<role>>[+...], e.g. ICU=@nurse+weber");
            }
            String department = rule.substring(0, equals).trim();
            Set<String> users = new java.util.TreeSet<>();
            Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
            for (String member : rule.substring(equals + 1).split("\\+")) {
                String name = member.trim();
                if (name.startsWith("@")) {
                    String roleName = name.substring(1);
                    Optional<Role> role = Role.fromJaasName(roleName);
                    if (role.isEmpty() || !(role.get() == Role.CLINICIAN || role.get() == Role.NURSE)) {
                        throw new IllegalArgumentException("departments: '" + roleName + "' in rule '" + rule.trim()
                                + "' is not a role bound to care relationships (clinician or nurse)");
                    }
                    roles.add(role.get());
                } else if (!name.isEmpty()) {
                    users.add(name);
                }
            }
            rules.add(new DepartmentRule(department, users, roles));
        }
        return rules;
    }
}
