package org.panacea.security.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.panacea.api.security.AccessDecision;
import org.panacea.api.security.AccessDeniedException;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.KeyManagement;
import org.panacea.api.security.KeyVersion;
import org.panacea.api.security.Operation;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

class KeyServletTest {

    private final AccessPolicy policy = mock(AccessPolicy.class);
    private final KeyManagement keys = mock(KeyManagement.class);
    private final FakeResponse answer = new FakeResponse();

    @Test
    @SuppressWarnings("unchecked")
    void anAdministratorSeesEveryKeyVersionOldestFirstWithoutKeyMaterial() throws Exception {
        when(keys.keyVersions()).thenReturn(List.of(
                new KeyVersion(1, Instant.parse("2026-10-01T08:00:00Z"), false, 0),
                new KeyVersion(2, Instant.parse("2026-11-20T17:45:00Z"), true, 3)));
        Caller admin = new Caller("admin", Set.of(Role.ADMIN), "127.0.0.1");

        new KeyServlet(policy, keys).doGet(by(admin), answer.response());

        verify(policy).require(admin, Operation.ADMINISTER, "Key");
        assertEquals(List.of(200), answer.statusesSet());
        List<Map<String, Object>> json = new ObjectMapper().readValue(answer.bytes(), List.class);
        assertEquals(2, json.size());
        assertEquals(Map.of("version", 1, "created", "2026-10-01T08:00:00Z", "active", false, "dataKeysWrapped", 0),
                json.get(0));
        assertEquals(Map.of("version", 2, "created", "2026-11-20T17:45:00Z", "active", true, "dataKeysWrapped", 3),
                json.get(1));
    }

    @Test
    void anyoneElseIsRefusedWithTheReasonAndSeesNoVersions() throws Exception {
        doThrow(new AccessDeniedException(AccessDecision.deny("roles [clinician] may not ADMINISTER Key")))
                .when(policy).require(any(), any(), any());

        new KeyServlet(policy, keys).doGet(by(new Caller("clinician", Set.of(Role.CLINICIAN), null)),
                answer.response());

        assertEquals(List.of(403), answer.statusesSet());
        verify(keys, never()).keyVersions();
        assertTrue(answer.text().contains("may not ADMINISTER Key"));
    }

    /** A request from {@code caller}, as the authenticated HTTP context passes it. */
    private static HttpServletRequest by(Caller caller) {
        return FakeRequest.of("GET", null).attribute(PanaceaHttp.CALLER_ATTRIBUTE, caller).build();
    }
}
