package org.panacea.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Role;
import org.panacea.rest.http.PanaceaHttp;

class SessionServletTest {

    @Test
    void theCallerLearnsTheirNameAndRolesAndNothingIsCached() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                // blocking writes only
            }
        });
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getAttribute(PanaceaHttp.CALLER_ATTRIBUTE))
                .thenReturn(new Caller("dr.house", EnumSet.of(Role.RESEARCHER, Role.CLINICIAN), "10.0.0.1"));

        new SessionServlet().doGet(request, response);

        verify(response).setStatus(200);
        verify(response).setHeader("Cache-Control", "no-store");
        assertEquals("{\"name\":\"dr.house\",\"roles\":[\"clinician\",\"researcher\"]}",
                body.toString(StandardCharsets.UTF_8));
    }
}
