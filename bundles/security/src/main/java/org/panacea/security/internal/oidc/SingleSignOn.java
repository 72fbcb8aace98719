package org.panacea.security.internal.oidc;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.audit.AuditTrail;
import org.panacea.api.security.BearerTokenAuthentication;
import org.panacea.api.security.FieldEncryption;
import org.panacea.api.security.WebSignOn;
import org.panacea.security.internal.CallerSeals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches single sign-on on and off with {@code etc/org.panacea.oidc.cfg}: while {@code enabled = true} with an
 * issuer and an audience, it registers {@link BearerTokenAuthentication}, and {@link WebSignOn} when a client id is
 * set too. Otherwise nothing is registered and the HTTP layer accepts no token. The services are registered here
 * rather than as components of their own because whether they exist at all depends on the configuration's values, which
 * Declarative Services cannot select on. A configuration with a mistake (a role mapping that names no Panacea role, a
 * plain-http issuer on another host) registers nothing and says why in the log.
 */
@Component(configurationPid = "org.panacea.oidc", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OidcSettings.class)
public class SingleSignOn {

    private static final Logger LOG = LoggerFactory.getLogger(SingleSignOn.class);

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public SingleSignOn(@Reference CallerSeals seals, @Reference AuditTrail audit,
            @Reference(target = "(osgi.jndi.service.name=panacea-security)") DataSource dataSource,
            @Reference FieldEncryption encryption, OidcSettings settings, BundleContext context) {
        if (!settings.enabled()) {
            LOG.info("Single sign-on (OpenID Connect) is off: set enabled = true in etc/org.panacea.oidc.cfg");
            return;
        }
        IdentityProvider provider;
        ClaimMapping mapping;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(IssuerDiscovery.TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            provider = new IdentityProvider(settings.issuer(), settings.audience(),
                    Duration.ofSeconds(Math.max(0, settings.clock_skew_seconds())),
                    Duration.ofSeconds(Math.max(1, settings.keys_cache_seconds())), http);
            mapping = new ClaimMapping(settings.login_name_claim(), settings.roles_claim(), settings.role_mapping(),
                    settings.patient_claim());
            BearerTokenAuthentication bearer = new OidcBearerAuthentication(provider, mapping,
                    settings.smart_scopes_required(), seals, audit, Clock.systemUTC());
            registrations.add(context.registerService(BearerTokenAuthentication.class, bearer, null));
            if (!settings.client_id().isBlank()) {
                registrations.add(context.registerService(WebSignOn.class, new OidcWebSignOn(provider, bearer,
                        settings.client_id().strip(), settings._client_secret(), settings.login_scopes(), http,
                        new SharedSignOnStore(dataSource, encryption, Clock.systemUTC()), Clock.systemUTC()), null));
            }
        } catch (IllegalArgumentException mistake) {
            LOG.error("Single sign-on (OpenID Connect) is off: etc/org.panacea.oidc.cfg: {}", mistake.getMessage());
            return;
        }
        LOG.info("Single sign-on (OpenID Connect) accepts tokens of {} for audience {}{}", provider.issuer(),
                settings.audience(), settings.client_id().isBlank() ? "; no web login (client.id is empty)"
                        : "; web login as client " + settings.client_id());
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it
            }
        }
        registrations.clear();
    }
}
