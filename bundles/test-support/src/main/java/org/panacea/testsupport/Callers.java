package org.panacea.testsupport;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.Subject;

import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;

/**
 * Issues callers as the security bundle does, each with a seal of its own, and recognises them later: with
 * {@link RolePolicy}, a caller merely constructed (as {@code new Caller(...)}) is refused, as the real policy refuses
 * it. The console user is whoever {@link #logIn} names.
 */
public final class Callers implements CallerAuthentication {

    private final Set<Caller> issued = ConcurrentHashMap.newKeySet();
    private volatile Caller console;
    private volatile boolean consoleOnly;

    /** A user with one role, as a login would give. */
    public Caller user(String name, Role role, String clientAddress) {
        return issue(name, Set.of(role), clientAddress);
    }

    public Caller user(String name, Set<Role> roles, String clientAddress) {
        return issue(name, roles, clientAddress);
    }

    /**
     * From now on {@link #internal} and {@link #authenticate} fail, for code that must act for the console's user
     * only (never as a system caller of its own, nor by a login of its own).
     */
    public Callers consoleOnly() {
        consoleOnly = true;
        return this;
    }

    /** Makes {@code caller} the console's logged-in user. */
    public void logIn(Caller caller) {
        console = caller;
    }

    /** {@code true} when this service issued {@code caller} exactly as it is. */
    public boolean issued(Caller caller) {
        return caller != null && !caller.seal().isEmpty() && issued.contains(caller);
    }

    private Caller issue(String name, Set<Role> roles, String clientAddress) {
        Caller caller = new Caller(name, roles, clientAddress, UUID.randomUUID().toString());
        issued.add(caller);
        return caller;
    }

    @Override
    public Optional<Caller> authenticate(String user, char[] password, String clientAddress) {
        if (consoleOnly) {
            throw new UnsupportedOperationException("the code under test acts for the console user only, but tried"
                    + " to log in " + user);
        }
        return Optional.empty();
    }

    @Override
    public Optional<Caller> fromSubject(Subject subject, String clientAddress) {
        return Optional.ofNullable(console);
    }

    @Override
    public Caller internal(String component, Set<Role> roles) {
        if (consoleOnly) {
            throw new UnsupportedOperationException("the code under test acts for the console user only, but asked"
                    + " for an internal caller for " + component);
        }
        return issue("system:" + component, roles, "internal");
    }

    @Override
    public Caller configuredPeer(String protocol, String peer, Set<Role> roles, String clientAddress) {
        return issue(protocol + ":" + peer, roles, clientAddress);
    }

    @Override
    public Caller consoleUser() {
        if (console == null) {
            throw new IllegalStateException("no user is logged in to this console session");
        }
        return console;
    }
}
