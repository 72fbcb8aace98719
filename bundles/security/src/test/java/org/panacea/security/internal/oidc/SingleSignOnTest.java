package org.panacea.security.internal.oidc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.panacea.api.security.BearerTokenAuthentication;
import org.panacea.api.security.WebSignOn;
import org.panacea.security.internal.CallerSeals;
import org.panacea.testsupport.RecordingAuditTrail;

/** Which services single sign-on registers for which configuration: none unless it is on and sound. */
class SingleSignOnTest {

    @TempDir
    Path folder;


    private final BundleContext context = mock(BundleContext.class);

    private OidcSettings settings(boolean enabled, String issuer, String mapping, String clientId) {
        OidcSettings settings = mock(OidcSettings.class);
        when(settings.enabled()).thenReturn(enabled);
        when(settings.issuer()).thenReturn(issuer);
        when(settings.audience()).thenReturn("panacea");
        when(settings.login_name_claim()).thenReturn("preferred_username");
        when(settings.roles_claim()).thenReturn("roles");
        when(settings.patient_claim()).thenReturn("patient");
        when(settings.role_mapping()).thenReturn(mapping);
        when(settings.clock_skew_seconds()).thenReturn(30);
        when(settings.keys_cache_seconds()).thenReturn(900);
        when(settings.client_id()).thenReturn(clientId);
        when(settings._client_secret()).thenReturn("");
        when(settings.login_scopes()).thenReturn("openid");
        return settings;
    }

    private void activate(OidcSettings settings) {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(folder.resolve("security-db").toString());
        dataSource.setCreateDatabase("create");
        new SingleSignOn(new CallerSeals(), new RecordingAuditTrail(), dataSource, SignOnDatabase.SEALING, settings,
                context);
    }

    @Test
    void offByDefaultRegistersNothing() {
        activate(settings(false, "https://idp.example/realm", "clinician=clinician", "panacea-web"));
        verify(context, never()).registerService(eq(BearerTokenAuthentication.class), any(BearerTokenAuthentication.class), isNull());
        verify(context, never()).registerService(eq(WebSignOn.class), any(WebSignOn.class), isNull());
    }

    @Test
    void aConfigurationWithAMistakeRegistersNothing() {
        activate(settings(true, "https://idp.example/realm", "Physicians=surgeon", "panacea-web"));
        activate(settings(true, "http://idp.example/realm", "clinician=clinician", "panacea-web"));
        verify(context, never()).registerService(eq(BearerTokenAuthentication.class), any(BearerTokenAuthentication.class), isNull());
        verify(context, never()).registerService(eq(WebSignOn.class), any(WebSignOn.class), isNull());
    }

    @Test
    void bearerTokensWithoutAClientIdAndTheWebLoginWithOne() {
        activate(settings(true, "https://idp.example/realm", "clinician=clinician", ""));
        verify(context).registerService(eq(BearerTokenAuthentication.class), any(BearerTokenAuthentication.class), isNull());
        verify(context, never()).registerService(eq(WebSignOn.class), any(WebSignOn.class), isNull());
        activate(settings(true, "https://idp.example/realm", "clinician=clinician", "panacea-web"));
        verify(context).registerService(eq(WebSignOn.class), any(WebSignOn.class), isNull());
    }
}
