package org.panacea.api.security;

import java.security.AccessController;
import java.util.Optional;

import javax.security.auth.Subject;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns a login into a {@link Caller}, against the platform's JAAS realm. The HTTP layer uses
 * {@link #authenticate} for Basic authentication; console commands use {@link #consoleUser} ({@link #fromSubject}) for
 * the shell's logged-in user. Every login attempt, successful or not, is audited. Thread-safe.
 */
@ProviderType
public interface CallerAuthentication {

    /**
     * Checks {@code user}'s password against the realm.
     *
     * @return the caller with the Panacea roles the realm grants, or empty when the login is refused
     */
    Optional<Caller> authenticate(String user, char[] password, String clientAddress);

    /**
     * The caller already authenticated in {@code subject} (a Karaf shell session's subject).
     *
     * @return empty when the subject holds no user principal
     */
    Optional<Caller> fromSubject(Subject subject, String clientAddress);

    /**
     * The user logged in to the console session running the current command: Karaf runs each command under
     * {@code Subject.doAs}, so the subject is the calling context's. Console work is then checked and audited like
     * HTTP work.
     *
     * @throws IllegalStateException when no user is logged in to the calling context
     */
    @SuppressWarnings("removal") // Subject.getSubject(AccessController) is how Java 17 reads a doAs subject
    default Caller consoleUser() {
        return fromSubject(Subject.getSubject(AccessController.getContext()), "console")
                .orElseThrow(() -> new IllegalStateException("no user is logged in to this console session"));
    }
}
