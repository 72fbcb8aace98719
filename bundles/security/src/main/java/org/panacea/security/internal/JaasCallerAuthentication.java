package org.panacea.security.internal;

import java.security.Principal;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.LoginThrottledException;
import org.panacea.api.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs callers in against Karaf's {@code karaf} JAAS realm ({@code etc/users.properties} by default, or LDAP). The
 * client's address travels in the subject as a {@link ClientPrincipal}; the realm publishes every outcome and the
 * audit bundle records it, as it does for console logins, so each login is audited exactly once.
 */
@Component(service = CallerAuthentication.class)
public class JaasCallerAuthentication implements CallerAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(JaasCallerAuthentication.class);

    static final String REALM = "karaf";

    private final CallerSeals seals;

    @Activate
    public JaasCallerAuthentication(@Reference CallerSeals seals) {
        this.seals = seals;
    }

    /**
     * Logs in through the realm, whose first module is the login throttle ({@link ThrottlingKarafRealm}): a throttled
     * login fails there, before the password is checked, with a {@link ThrottledLoginException} the JAAS login context
     * passes on as it is.
     */
    @Override
    public Optional<Caller> authenticate(String user, char[] password, String clientAddress)
            throws LoginThrottledException {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal("http", clientAddress));
        try {
            LoginContext login = new LoginContext(REALM, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pass) {
                        pass.setPassword(password);
                    }
                }
            });
            login.login();
        } catch (ThrottledLoginException throttled) {
            throw new LoginThrottledException(throttled.getMessage(), throttled.retryAfter());
        } catch (LoginException refused) {
            return Optional.empty();
        }
        return fromSubject(subject, clientAddress);
    }

    @Override
    public Optional<Caller> fromSubject(Subject subject, String clientAddress) {
        if (subject == null) {
            return Optional.empty();
        }
        Optional<String> user = subject.getPrincipals(UserPrincipal.class).stream().map(Principal::getName).findFirst();
        if (user.isEmpty()) {
            return Optional.empty();
        }
        if (user.get().contains(":")) {
            // Names with ':' are the platform's own callers (system:<component>, dicom:<AE title>), which care
            // relationships do not bind: a realm user named so (an edited users.properties) is no one.
            LOG.warn("Login of '{}' refused: names with ':' are reserved for the platform's own callers", user.get());
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (RolePrincipal role : subject.getPrincipals(RolePrincipal.class)) {
            Role.fromJaasName(role.getName()).ifPresent(roles::add);
        }
        return Optional.of(seals.issue(user.get(), roles, clientAddress));
    }

    @Override
    public Caller internal(String component, Set<Role> roles) {
        return seals.issue("system:" + component, roles, "internal");
    }

    @Override
    public Caller configuredPeer(String protocol, String peer, Set<Role> roles, String clientAddress) {
        if (protocol.isBlank() || peer.isBlank() || protocol.contains(":")) {
            throw new IllegalArgumentException("a configured peer needs a protocol without ':' and a name, was '"
                    + protocol + "' and '" + peer + "'");
        }
        return seals.issue(protocol + ":" + peer, roles, clientAddress);
    }
}
