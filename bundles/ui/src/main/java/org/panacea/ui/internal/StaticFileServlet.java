package org.panacea.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the pages' files from the bundle's {@code web/} folder: {@code /ui/} is {@code index.html}. Only GET and
 * HEAD, only names made of letters, digits, {@code . _ -} and folders (no {@code ..}), only the file types the pages
 * use. Every answer carries a strict Content-Security-Policy (scripts, styles and connections from this server only;
 * images also from {@code blob:}, how the pages show PNGs fetched with credentials), and is revalidated on each load
 * by an ETag of the bundle's revision, so an updated bundle is never hidden by a browser cache.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("panacea-ui-files")
@HttpWhiteboardContextSelect(UiContext.SELECT)
public class StaticFileServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){1,6}");

    static final Map<String, String> MEDIA_TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "md", "text/plain;charset=utf-8");

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private final transient Function<String, URL> files;
    private final String revision;

    @Activate
    public StaticFileServlet(BundleContext context) {
        this(path -> context.getBundle().getEntry(path), Long.toString(context.getBundle().getLastModified(), 36));
    }

    /**
     * @param files    finds a file by its path in the bundle ({@code web/index.html}), null when there is none
     * @param revision changes whenever the files may have changed
     */
    StaticFileServlet(Function<String, URL> files, String revision) {
        this.files = files;
        this.revision = revision;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, true);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(request, response, false);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, boolean withBody)
            throws IOException {
        String path = request.getPathInfo() == null || request.getPathInfo().equals("/") ? "/index.html"
                : request.getPathInfo();
        String mediaType = mediaType(path);
        URL file = SAFE_PATH.matcher(path).matches() && !path.contains("..") && mediaType != null
                ? files.apply("web" + path) : null;
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (file == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such page");
            return;
        }
        String etag = "\"" + revision + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(mediaType);
        if (!withBody) {
            return;
        }
        try (InputStream in = file.openStream()) {
            OutputStream out = response.getOutputStream();
            in.transferTo(out);
        }
    }

    static String mediaType(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : MEDIA_TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
