package org.panacea.rest.http;

import javax.servlet.http.HttpServletRequest;

import org.panacea.api.security.Caller;

/**
 * Panacea's HTTP whiteboard context. A servlet joins it with
 * {@code @HttpWhiteboardContextSelect(PanaceaHttp.CONTEXT_SELECT)}; every request that reaches it has passed HTTP
 * Basic authentication against the JAAS realm (401 otherwise) and carries its {@link Caller}.
 */
public interface PanaceaHttp {

    /** The whiteboard name of the context. */
    String CONTEXT_NAME = "panacea";

    /** The filter that selects the context. */
    String CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=" + CONTEXT_NAME + ")";

    /** Request attribute holding the authenticated {@link Caller}. */
    String CALLER_ATTRIBUTE = "org.panacea.caller";

    /** The authenticated caller of {@code request}; never null inside the context. */
    static Caller caller(HttpServletRequest request) {
        Caller caller = (Caller) request.getAttribute(CALLER_ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("request did not pass through the Panacea HTTP context");
        }
        return caller;
    }
}
