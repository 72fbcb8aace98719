package org.panacea.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Login throttling settings, in the security bundle's configuration (PID {@code org.panacea.security},
 * {@code etc/org.panacea.security.cfg}, keys {@code login.throttle.*}).
 */
@ObjectClassDefinition(name = "Panacea login throttling", description = "Back-off after repeated failed logins")
public @interface LoginThrottleConfiguration {

    @AttributeDefinition(description = "Throttle failed logins (HTTP and console)")
    boolean login_throttle_enabled() default true;

    @AttributeDefinition(description = "Failed logins of one user from one address before the back-off starts "
            + "(0: no per-user throttling)")
    int login_throttle_user_failures() default 5;

    @AttributeDefinition(description = "Failed logins from one address, whatever the user names, before every login "
            + "from it is backed off (0: no per-address throttling)")
    int login_throttle_address_failures() default 20;

    @AttributeDefinition(description = "First back-off, in seconds; it doubles with each further failure")
    int login_throttle_delay_seconds() default 2;

    @AttributeDefinition(description = "Longest back-off, in seconds")
    int login_throttle_max_delay_seconds() default 600;

    @AttributeDefinition(description = "Seconds without a failure after which a user's or address's failures are "
            + "forgotten (at least the longest back-off)")
    int login_throttle_forget_seconds() default 900;

    @AttributeDefinition(description = "Users and addresses remembered at most; beyond it the least recently seen "
            + "are forgotten first")
    int login_throttle_max_entries() default 10000;
}
