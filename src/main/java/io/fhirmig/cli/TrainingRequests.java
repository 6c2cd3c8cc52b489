package io.fhirmig.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The requests a migration run typically makes (metadata, conditional create, identifier search,
 * transaction, delete), sent once so that the classes serving them land in the start-up archive.
 */
final class TrainingRequests {

    private static final String JSON = "application/fhir+json";
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    TrainingRequests(String base) {
        this.base = base;
    }

    void send() throws IOException, InterruptedException {
        String identifier = "urn:fhirmig:training|1";
        String basic = "{\"resourceType\":\"Basic\",\"identifier\":[{\"system\":\"urn:fhirmig:training\","
                + "\"value\":\"1\"}],\"code\":{\"text\":\"training\"}}";
        get("/metadata");
        send(HttpRequest.newBuilder(uri("/Basic")).header("Content-Type", JSON)
                .header("If-None-Exist", "identifier=" + identifier)
                .POST(HttpRequest.BodyPublishers.ofString(basic)));
        get("/Basic?identifier=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8));
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Patient\",\"id\":\"fhirmig-training\",\"active\":true},"
                + "\"request\":{\"method\":\"PUT\",\"url\":\"Patient/fhirmig-training\"}}]}";
        send(HttpRequest.newBuilder(uri("")).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(transaction)));
        send(HttpRequest.newBuilder(uri("/Patient/fhirmig-training")).DELETE());
    }

    private void get(String path) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(uri(path)).header("Cache-Control", "no-cache").GET());
    }

    private void send(HttpRequest.Builder request) throws IOException, InterruptedException {
        http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
