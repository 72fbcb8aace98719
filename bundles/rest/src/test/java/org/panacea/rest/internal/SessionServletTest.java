package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;
import org.panacea.testsupport.FakeRequest;
import org.panacea.testsupport.FakeResponse;

class SessionServletTest {

    @Test
    void theCallerLearnsTheirNameAndRolesAndNothingIsCached() throws Exception {
        FakeResponse answer = new FakeResponse();
        HttpServletRequest request = FakeRequest.of("GET", null).attribute(PanaceaHttp.CALLER_ATTRIBUTE,
                new Caller("dr.house", EnumSet.of(Role.RESEARCHER, Role.CLINICIAN), "10.0.0.1")).build();

        new SessionServlet().doGet(request, answer.response());

        assertEquals(List.of(200), answer.statusesSet());
        assertEquals(List.of("no-store"), answer.headers("Cache-Control"));
        assertEquals("{\"name\":\"dr.house\",\"roles\":[\"clinician\",\"researcher\"]}", answer.text());
    }
}
