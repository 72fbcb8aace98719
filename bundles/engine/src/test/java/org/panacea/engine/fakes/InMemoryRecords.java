package org.panacea.engine.fakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.InvalidResourceException;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.ResourceNotFoundException;
import org.panacea.api.records.ResourceType;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.records.ValidationIssue;
import org.panacea.api.security.Caller;
import org.panacea.records.internal.fhir.ResourceValidator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A patient record in memory, loaded from a FHIR collection Bundle. Searches answer {@code patient} and {@code code}
 * ({@code system|code} or bare) as the real record does; creates are checked by the record's own validator, so a
 * resource the engine writes here would be accepted by the real record. Keeps the callers it served.
 */
public final class InMemoryRecords implements PatientRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    private final List<StoredResource> created = new ArrayList<>();
    private final List<Caller> callers = new ArrayList<>();
    private final ResourceValidator validator;
    private final AtomicLong ids = new AtomicLong();

    public InMemoryRecords(Clock clock) {
        this.validator = new ResourceValidator(clock);
    }

    /** A record holding the resources of the collection Bundle on the class path at {@code resource}. */
    public static InMemoryRecords fromBundle(String resource, Clock clock) {
        InMemoryRecords records = new InMemoryRecords(clock);
        try (InputStream in = InMemoryRecords.class.getResourceAsStream(resource)) {
            for (JsonNode entry : JSON.readTree(in).path("entry")) {
                ObjectNode one = (ObjectNode) entry.path("resource");
                records.resources.put(one.path("resourceType").asText() + "/" + one.path("id").asText(), one);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    @Override
    public synchronized StoredResource create(Caller caller, String json) {
        callers.add(caller);
        ObjectNode resource;
        try {
            resource = (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        String type = resource.path("resourceType").asText();
        List<ValidationIssue> issues = validator.validate(resource,
                ResourceType.fromFhirName(type).orElseThrow());
        if (!issues.isEmpty()) {
            throw new InvalidResourceException(issues);
        }
        String id = "created-" + ids.incrementAndGet();
        resource.put("id", id);
        resources.put(type + "/" + id, resource);
        StoredResource stored = new StoredResource(type, id, 1, Instant.now(), resource.toString());
        created.add(stored);
        return stored;
    }

    @Override
    public synchronized StoredResource read(Caller caller, String resourceType, String id) {
        callers.add(caller);
        ObjectNode resource = resources.get(resourceType + "/" + id);
        if (resource == null) {
            throw new ResourceNotFoundException(resourceType, id);
        }
        return new StoredResource(resourceType, id, 1, Instant.now(), resource.toString());
    }

    @Override
    public StoredResource update(Caller caller, String resourceType, String id, long expectedVersion, String json) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(Caller caller, String resourceType, String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized SearchResult search(Caller caller, SearchQuery query) {
        callers.add(caller);
        List<StoredResource> matches = new ArrayList<>();
        for (ObjectNode resource : resources.values()) {
            if (resource.path("resourceType").asText().equals(query.resourceType())
                    && query.parameters().entrySet().stream().allMatch(p -> matches(resource, p.getKey(),
                            p.getValue()))) {
                matches.add(new StoredResource(query.resourceType(), resource.path("id").asText(), 1, Instant.now(),
                        resource.toString()));
            }
        }
        int from = Math.min(query.offset(), matches.size());
        int to = Math.min(from + query.count(), matches.size());
        return new SearchResult(matches.size(), matches.subList(from, to));
    }

    private static boolean matches(JsonNode resource, String parameter, String value) {
        switch (parameter) {
            case "patient":
                return resource.path("subject").path("reference").asText().equals("Patient/" + value);
            case "code":
                for (JsonNode coding : resource.path("code").path("coding")) {
                    String code = coding.path("code").asText();
                    if (value.equals(code) || value.equals(coding.path("system").asText() + "|" + code)) {
                        return true;
                    }
                }
                return false;
            default:
                throw new IllegalArgumentException("the test record does not search by " + parameter);
        }
    }

    @Override
    public BundleOutcome importBundle(Caller caller, String bundleJson) {
        throw new UnsupportedOperationException();
    }

    public synchronized List<StoredResource> created() {
        return List.copyOf(created);
    }

    public synchronized List<Caller> callers() {
        return List.copyOf(callers);
    }
}
