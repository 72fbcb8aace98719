package org.panacea.security.http;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.panacea.api.security.Caller;
import org.panacea.rest.http.PanaceaHttp;

/** A mocked response whose body is kept, and a request from a given caller. */
final class Responses {

    private Responses() {
    }

    static HttpServletResponse capturing(ByteArrayOutputStream body) throws IOException {
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
        return response;
    }

    static HttpServletRequest by(Caller caller) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getAttribute(PanaceaHttp.CALLER_ATTRIBUTE)).thenReturn(caller);
        return request;
    }
}
