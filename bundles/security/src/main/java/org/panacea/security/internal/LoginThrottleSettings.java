package org.panacea.security.internal;

import java.time.Duration;

/**
 * The login throttle's rules, checked and made consistent.
 *
 * @param enabled         whether logins are throttled at all
 * @param userFailures    failures of one user from one address before the back-off starts; 0 turns it off
 * @param addressFailures failures from one address (any user names) before the back-off starts; 0 turns it off
 * @param firstDelay      the first back-off; each further failure doubles it
 * @param maxDelay        the longest back-off
 * @param forgetAfter     quiet time (no failure, no back-off running) after which the failures are forgotten; never
 *                        shorter than {@code maxDelay}, or waiting out the longest back-off would wipe the count
 * @param maxEntries      users and addresses remembered at most
 */
record LoginThrottleSettings(boolean enabled, int userFailures, int addressFailures, Duration firstDelay,
        Duration maxDelay, Duration forgetAfter, int maxEntries) {

    LoginThrottleSettings {
        userFailures = Math.max(0, userFailures);
        addressFailures = Math.max(0, addressFailures);
        firstDelay = firstDelay.isNegative() || firstDelay.isZero() ? Duration.ofSeconds(1) : firstDelay;
        maxDelay = maxDelay.compareTo(firstDelay) < 0 ? firstDelay : maxDelay;
        forgetAfter = forgetAfter.compareTo(maxDelay) < 0 ? maxDelay : forgetAfter;
        maxEntries = Math.max(16, maxEntries);
    }

    static LoginThrottleSettings of(LoginThrottleConfiguration config) {
        return new LoginThrottleSettings(config.login_throttle_enabled(), config.login_throttle_user_failures(),
                config.login_throttle_address_failures(), Duration.ofSeconds(config.login_throttle_delay_seconds()),
                Duration.ofSeconds(config.login_throttle_max_delay_seconds()),
                Duration.ofSeconds(config.login_throttle_forget_seconds()), config.login_throttle_max_entries());
    }

    /** The defaults of {@code etc/org.panacea.security.cfg}. */
    static LoginThrottleSettings defaults() {
        return new LoginThrottleSettings(true, 5, 20, Duration.ofSeconds(2), Duration.ofSeconds(600),
                Duration.ofSeconds(900), 10_000);
    }

    /** The back-off after the {@code failures}-th failure, for a limit of {@code limit} free failures. */
    Duration backOff(int failures, int limit) {
        int doublings = Math.min(failures - limit, 40);
        if (doublings < 0) {
            return Duration.ZERO;
        }
        Duration delay = firstDelay;
        for (int i = 0; i < doublings && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
