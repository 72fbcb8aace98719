package org.panacea.analysis.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.panacea.api.records.BundleOutcome;
import org.panacea.api.records.PatientRecords;
import org.panacea.api.records.SearchQuery;
import org.panacea.api.records.SearchResult;
import org.panacea.api.records.StoredResource;
import org.panacea.api.security.AccessPolicy;
import org.panacea.api.security.Caller;
import org.panacea.api.security.Operation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The record's search as the real one answers it for the parameters a cohort analysis uses (Condition {@code code},
 * {@code _id}, {@code patient}, {@code status}, paged), access checked by the given policy; keeps who searched.
 */
public final class InMemoryRecords implements PatientRecords {

    private final AccessPolicy policy;
    private final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    public final List<String> searchedBy = new CopyOnWriteArrayList<>();
    /** Every caller that searched, as it searched. */
    public final List<Caller> searchers = new CopyOnWriteArrayList<>();

    public InMemoryRecords(AccessPolicy policy) {
        this.policy = policy;
    }

    public void add(ObjectNode resource) {
        resources.put(resource.path("resourceType").asText() + "/" + resource.path("id").asText(), resource);
    }

    @Override
    public SearchResult search(Caller caller, SearchQuery query) {
        policy.require(caller, Operation.SEARCH, query.resourceType());
        searchedBy.add(caller.name());
        searchers.add(caller);
        List<StoredResource> matches = new ArrayList<>();
        for (ObjectNode resource : resources.values()) {
            if (resource.path("resourceType").asText().equals(query.resourceType()) && matches(resource, query)) {
                matches.add(new StoredResource(query.resourceType(), resource.path("id").asText(), 1, null,
                        resource.toString()));
            }
        }
        int from = Math.min(query.offset(), matches.size());
        int to = Math.min(matches.size(), from + query.count());
        return new SearchResult(matches.size(), matches.subList(from, to));
    }

    private static boolean matches(JsonNode resource, SearchQuery query) {
        for (Map.Entry<String, String> parameter : query.parameters().entrySet()) {
            List<String> values = Arrays.asList(parameter.getValue().split(","));
            boolean ok = switch (parameter.getKey()) {
                case "_id" -> values.contains(resource.path("id").asText());
                case "status" -> values.contains(resource.path("status").asText());
                case "patient" -> values.contains(patient(resource));
                case "code" -> {
                    boolean any = false;
                    for (JsonNode coding : resource.path("code").path("coding")) {
                        any |= values.contains(coding.path("system").asText() + "|" + coding.path("code").asText());
                    }
                    yield any;
                }
                default -> throw new IllegalArgumentException("not a search parameter here: " + parameter.getKey());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String patient(JsonNode resource) {
        String reference = resource.has("subject") ? resource.path("subject").path("reference").asText()
                : resource.path("patient").path("reference").asText();
        return reference.startsWith("Patient/") ? reference.substring(8) : reference;
    }

    @Override
    public StoredResource create(Caller caller, String json) {
        throw new UnsupportedOperationException();
    }

    @Override
    public StoredResource read(Caller caller, String resourceType, String id) {
        throw new UnsupportedOperationException();
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
    public BundleOutcome importBundle(Caller caller, String bundleJson) {
        throw new UnsupportedOperationException();
    }
}
