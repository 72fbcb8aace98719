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

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.panacea.api.audit.AuditAction;
import org.panacea.api.audit.AuditEvent;
import org.panacea.api.audit.AuditOutcome;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.Caller;
import org.panacea.api.security.CallerAuthentication;
import org.panacea.api.security.Role;

/** Logs callers in against Karaf's {@code karaf} JAAS realm ({@code etc/users.properties} by default, or LDAP). */
@Component(service = CallerAuthentication.class)
public class JaasCallerAuthentication implements CallerAuthentication {

    static final String REALM = "karaf";

    private final AuditTrail audit;

    @Activate
    public JaasCallerAuthentication(@Reference AuditTrail audit) {
        this.audit = audit;
    }

    @Override
    public Optional<Caller> authenticate(String user, char[] password, String clientAddress) {
        Subject subject = new Subject();
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
        } catch (LoginException refused) {
            audit.record(new AuditEvent(user, "", AuditAction.LOGIN, "", "", "", AuditOutcome.DENIED, clientAddress,
                    "login refused"));
            return Optional.empty();
        }
        Optional<Caller> caller = fromSubject(subject, clientAddress);
        audit.record(new AuditEvent(user, caller.map(JaasCallerAuthentication::roleNames).orElse(""),
                AuditAction.LOGIN, "", "", "", AuditOutcome.SUCCESS, clientAddress, "login"));
        return caller;
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
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (RolePrincipal role : subject.getPrincipals(RolePrincipal.class)) {
            Role.fromJaasName(role.getName()).ifPresent(roles::add);
        }
        return Optional.of(new Caller(user.get(), roles, clientAddress));
    }

    private static String roleNames(Caller caller) {
        return String.join(",", caller.roles().stream().map(Role::jaasName).sorted().toList());
    }
}
