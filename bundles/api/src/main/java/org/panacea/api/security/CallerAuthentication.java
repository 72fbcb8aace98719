package org.panacea.api.security;

import java.security.AccessController;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Issues {@link Caller}s: the only source of callers the access policy accepts. The HTTP layer uses
 * {@link #authenticate} for Basic authentication; console commands use {@link #consoleUser} ({@link #fromSubject}) for
 * the shell's logged-in user; the platform's own background work uses {@link #internal}. Every login attempt,
 * successful or not, is audited. Thread-safe.
 * <p>
 * The service is hidden from plugin bundles: vendor code cannot obtain a caller, so it cannot act as anyone.
 */
@ProviderType
public interface CallerAuthentication {

    /**
     * Checks {@code user}'s password against the realm.
     *
     * @return the caller with the Panacea roles the realm grants, or empty when the login is refused
     * @throws LoginThrottledException when too many logins failed recently for this user from this address (or from
     *                                 this address overall): the password was not checked
     */
    Optional<Caller> authenticate(String user, char[] password, String clientAddress) throws LoginThrottledException;

    /**
     * The caller already authenticated in {@code subject} (a Karaf shell session's subject, or the subject of an
     * earlier {@link #authenticate} the HTTP layer remembers).
     *
     * @return empty when the subject holds no user principal
     */
    Optional<Caller> fromSubject(Subject subject, String clientAddress);

    /**
     * The platform itself acting for {@code component} (start-up, background re-wrap, demo data, cohort reads), with
     * exactly {@code roles}. Audit entries name it {@code system:<component>}.
     */
    Caller internal(String component, Set<Role> roles);

    /**
     * A network peer the platform's configuration names, for a protocol with no user login (a DICOM application
     * entity: the hospital's configuration says which AE titles may associate from which hosts, and the roles each
     * acts with). The component that checked the peer against its configuration asks for the caller; the peer's own
     * claims never reach this call unchecked. Audit entries name it {@code <protocol>:<peer>}.
     *
     * @param protocol      the protocol the peer speaks ({@code dicom})
     * @param peer          the peer's configured name (the calling AE title)
     * @param roles         the roles the configuration grants it
     * @param clientAddress the peer's network address
     * @since 2.2
     */
    Caller configuredPeer(String protocol, String peer, Set<Role> roles, String clientAddress);

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
