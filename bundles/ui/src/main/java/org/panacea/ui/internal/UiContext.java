package org.panacea.ui.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The whiteboard context of the web pages, at {@code /ui}. It asks for no credentials: the login page must load
 * before anyone has logged in, and it serves only the bundle's static files. Every piece of patient or platform data
 * is fetched by the pages from Panacea's authenticated context (HTTP Basic, roles, audit).
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = UiContext.NAME, path = "/ui")
public class UiContext extends ServletContextHelper {

    static final String NAME = "panacea-ui";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";

    @Activate
    public UiContext(BundleContext context) {
        super(context.getBundle());
    }
}
