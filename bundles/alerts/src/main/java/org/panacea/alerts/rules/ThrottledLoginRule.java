package org.panacea.alerts.rules;

import java.util.Optional;

import org.panacea.api.alerts.AlertRule;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEntry;

/**
 * Repeated failed logins, as the security bundle's login throttle detects them: the throttle writes one
 * {@code LOGIN_THROTTLED} entry when it starts refusing a user or an address (its resource id starts with
 * {@code started}) and one when that ends. The start is the alert; its thresholds are the throttle's
 * ({@code login.throttle.*} in {@code etc/org.panacea.security.cfg}), so failures are counted in one place only.
 */
public final class ThrottledLoginRule implements EntryRule {

    static final String STARTED = "started";

    @Override
    public Optional<Finding> evaluate(AuditEntry entry) {
        if (entry.event().action() != AuditAction.LOGIN_THROTTLED
                || !entry.event().resourceId().startsWith(STARTED)) {
            return Optional.empty();
        }
        String who = "*".equals(entry.event().actor()) ? "every user" : entry.event().actor();
        return Optional.of(new Finding(AlertRule.FAILED_LOGINS, entry.time(), entry.event().actor(), "",
                "logins of " + who + " from " + entry.event().clientAddress() + " throttled: "
                        + entry.event().resourceId(), entry.sequence()));
    }
}
