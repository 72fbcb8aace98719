package org.panacea.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Component;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;

/**
 * Stamps the callers the security bundle issues and recognises them later. A seal is an HMAC-SHA-256 of the caller's
 * name, roles, address, scopes and launch patient under a random key made when the bundle starts and never handed out, so no other
 * code can make a caller the access policy accepts, nor change the roles, scopes or name of one it was given. Callers
 * live for one request or one command; a restart of the security bundle invalidates every seal, which costs at most
 * a new login.
 */
@Component(service = CallerSeals.class)
public class CallerSeals {

    private static final String MAC = "HmacSHA256";

    private final SecretKeySpec key;

    public CallerSeals() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, MAC);
    }

    /** A caller with these attributes, sealed. */
    public Caller issue(String name, Set<Role> roles, String clientAddress) {
        return issue(name, roles, clientAddress, Set.of());
    }

    /** A caller whose roles a token's SMART on FHIR {@code scopes} narrow, sealed (scopes included). */
    public Caller issue(String name, Set<Role> roles, String clientAddress, Set<String> scopes) {
        return issue(name, roles, clientAddress, scopes, "");
    }

    /**
     * A caller whose {@code patient/} scopes are limited to the chart of {@code launchPatient} (empty: none), sealed
     * (the launch patient included).
     */
    public Caller issue(String name, Set<Role> roles, String clientAddress, Set<String> scopes,
            String launchPatient) {
        Caller unsealed = new Caller(name, roles, clientAddress, "", scopes, launchPatient);
        return new Caller(unsealed.name(), unsealed.roles(), unsealed.clientAddress(), seal(unsealed),
                unsealed.scopes(), unsealed.launchPatient());
    }

    /** {@code true} when this bundle issued {@code caller} exactly as it is. */
    public boolean issued(Caller caller) {
        if (caller == null || caller.seal().isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(seal(caller).getBytes(StandardCharsets.US_ASCII),
                caller.seal().getBytes(StandardCharsets.US_ASCII));
    }

    private String seal(Caller caller) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            MacFields.update(mac, caller.name());
            caller.roles().stream().map(Role::jaasName).sorted().forEach(role -> MacFields.update(mac, role));
            MacFields.update(mac, "@");
            MacFields.update(mac, caller.clientAddress());
            // Scopes are sealed too: dropping one from a caller would widen what it may do.
            MacFields.update(mac, "scopes");
            caller.scopes().stream().sorted().forEach(scope -> MacFields.update(mac, scope));
            // And the launch patient: dropping it would turn patient/ scopes into nothing, changing it another chart.
            MacFields.update(mac, "launch-patient");
            MacFields.update(mac, caller.launchPatient());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is missing from this JDK", e);
        }
    }

}
