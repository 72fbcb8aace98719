package org.panacea.sdk.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The Declarative Services description that bnd writes for a component ({@code OSGI-INF/<component name>.xml},
 * the name being the class name unless the {@code @Component} gives another): the class it instantiates, the
 * services it registers and their properties. What the engine sees of a plugin before it calls it.
 *
 * @param implementation the component's class
 * @param services       the service interfaces it provides
 * @param properties     its service properties, as written
 */
public record ComponentDescription(String implementation, List<String> services, Map<String, String> properties) {

    public ComponentDescription {
        services = List.copyOf(services);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * The description of the component implemented by {@code implementation}, found among the
     * {@code OSGI-INF/*.xml} on the class path of its class loader; empty when there is none (the class was not
     * processed by bnd, e.g. in an IDE run that skipped the Maven build).
     */
    public static Optional<ComponentDescription> of(Class<?> implementation) {
        ClassLoader loader = implementation.getClassLoader();
        URL named = loader.getResource("OSGI-INF/" + implementation.getName() + ".xml");
        if (named != null) {
            ComponentDescription description = read(named);
            if (description.implementation().equals(implementation.getName())) {
                return Optional.of(description);
            }
        }
        return Optional.empty();
    }

    private static ComponentDescription read(URL url) {
        try (InputStream in = url.openStream()) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(in);
            Element component = document.getDocumentElement();
            String implementation = "";
            NodeList implementations = component.getElementsByTagNameNS("*", "implementation");
            if (implementations.getLength() == 0) {
                implementations = component.getElementsByTagName("implementation");
            }
            if (implementations.getLength() > 0) {
                implementation = ((Element) implementations.item(0)).getAttribute("class");
            }
            List<String> services = new ArrayList<>();
            NodeList provides = elements(component, "provide");
            for (int i = 0; i < provides.getLength(); i++) {
                services.add(((Element) provides.item(i)).getAttribute("interface"));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            NodeList declared = elements(component, "property");
            for (int i = 0; i < declared.getLength(); i++) {
                Element property = (Element) declared.item(i);
                String value = property.hasAttribute("value") ? property.getAttribute("value")
                        : property.getTextContent().strip();
                properties.put(property.getAttribute("name"), value);
            }
            return new ComponentDescription(implementation, services, properties);
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("component description " + url + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Children of the component by local name, whether bnd wrote them with a namespace prefix or without. */
    private static NodeList elements(Element component, String localName) {
        NodeList namespaced = component.getElementsByTagNameNS("*", localName);
        return namespaced.getLength() > 0 ? namespaced : component.getElementsByTagName(localName);
    }
}
