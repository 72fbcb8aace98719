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

    /**
     * Request attribute holding the client's address as the context determined it: the connection's peer, or behind
     * a trusted load balancer the address it forwarded (see {@code trusted.proxies} in {@code org.panacea.rest}).
     */
    String CLIENT_ADDRESS_ATTRIBUTE = "org.panacea.clientAddress";

    /** The client's address of {@code request}: as the context determined it, else the connection's peer. */
    static String clientAddress(HttpServletRequest request) {
        Object address = request.getAttribute(CLIENT_ADDRESS_ATTRIBUTE);
        return address instanceof String text ? text : request.getRemoteAddr();
    }

    /** The authenticated caller of {@code request}; never null inside the context. */
    static Caller caller(HttpServletRequest request) {
        Caller caller = (Caller) request.getAttribute(CALLER_ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("request did not pass through the Panacea HTTP context");
        }
        return caller;
    }
}
