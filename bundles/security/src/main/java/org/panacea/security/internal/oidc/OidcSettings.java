package org.panacea.security.internal.oidc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Single sign-on with OpenID Connect, PID {@code org.panacea.oidc} ({@code etc/org.panacea.oidc.cfg}); off by default.
 */
@ObjectClassDefinition(name = "Panacea single sign-on", description = "OpenID Connect bearer tokens and web login")
public @interface OidcSettings {

    @AttributeDefinition(description = "Accept OpenID Connect tokens from the issuer below")
    boolean enabled() default false;

    @AttributeDefinition(description = "The identity provider's issuer URL, exactly as its tokens name it (iss); "
            + "its keys and endpoints are read from <issuer>/.well-known/openid-configuration. https, except for a "
            + "provider on this host (localhost, 127.0.0.1)")
    String issuer() default "";

    @AttributeDefinition(description = "The audience (aud) a bearer token must name: Panacea's identifier at the "
            + "identity provider")
    String audience() default "";

    @AttributeDefinition(description = "The claim that holds the login name, the name audit entries give and the "
            + "value of the Practitioner identifier with system urn:panacea:user")
    String login_name_claim() default "preferred_username";

    @AttributeDefinition(description = "The claim that holds the user's groups or roles: a list or a single value; "
            + "a dotted path reaches into an object (realm_access.roles)")
    String roles_claim() default "roles";

    @AttributeDefinition(description = "Which claim values give which Panacea role, as value=role pairs separated by "
            + "commas; values not named give no role")
    String role_mapping() default "admin=admin, clinician=clinician, nurse=nurse, researcher=researcher, "
            + "auditor=auditor";

    @AttributeDefinition(description = "Seconds a token's exp, nbf and iat may be off from this node's clock")
    int clock_skew_seconds() default 30;

    @AttributeDefinition(description = "Refuse tokens that carry no SMART on FHIR scope (user/*.read ...); when "
            + "false such a token gets what its roles allow")
    boolean smart_scopes_required() default false;

    @AttributeDefinition(description = "The claim that holds the launch patient's logical id (SMART launch "
            + "context): a token's patient/ scopes are limited to that patient's chart, and grant nothing without it")
    String patient_claim() default "patient";

    @AttributeDefinition(description = "The web pages' client id at the identity provider; empty: no web login")
    String client_id() default "";

    @AttributeDefinition(description = "The web pages' client secret, for a confidential client (private property: "
            + "the leading dot keeps it out of the service properties); empty for a public client (PKCE alone)",
            type = AttributeType.PASSWORD)
    String _client_secret() default "";

    @AttributeDefinition(description = "The scopes the web login asks for, separated by spaces")
    String login_scopes() default "openid profile";

    @AttributeDefinition(description = "Seconds the identity provider's keys are kept before they are read again "
            + "(a token signed by a key not among them reads them again at once, at most every 30 s)")
    int keys_cache_seconds() default 900;
}
