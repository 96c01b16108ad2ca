package dev.execlog.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends OpenLineage events to an HTTP endpoint the way OpenLineage's own HTTP transport does: one
 * JSON event per POST, {@code Content-Type: application/json}, {@code Authorization: Bearer} with
 * the API key when there is one. A URL without a path gets the default endpoint
 * {@value #DEFAULT_ENDPOINT} (Marquez's). A refused connection, a 429 or a 5xx answer is retried
 * after 0.5, 1, 2 and 4 s; any other answer outside 2xx fails at once (the event itself is refused).
 */
final class LineagePoster {

  /** OpenLineage's default endpoint path, Marquez's lineage API. */
  static final String DEFAULT_ENDPOINT = "/api/v1/lineage";
  static final int ATTEMPTS = 5;

  private final URI endpoint;
  private final String apiKey;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  LineagePoster(URI url, String apiKey) {
    String path = url.getRawPath();
    this.endpoint = path == null || path.isEmpty() || path.equals("/") ? url.resolve(DEFAULT_ENDPOINT) : url;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
  }

  /** Reads {@code --post}: an http or https URL. */
  static URI parse(String url) {
    try {
      URI uri = URI.create(url.strip());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new CliFailure("watch", "--post " + url + " is not an http(s) URL such as http://localhost:5000",
        ExitCode.USAGE);
  }

  URI endpoint() {
    return endpoint;
  }

  /** Posts one event, retrying what may pass later; throws {@link CliFailure} when it cannot be delivered. */
  void post(String eventJson) throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(eventJson));
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    HttpRequest request = b.build();
    String last = null;
    long delayMillis = 500;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) {
        Thread.sleep(delayMillis);
        delayMillis *= 2;
      }
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        int code = answer.statusCode();
        if (code / 100 == 2) {
          return;
        }
        last = "HTTP " + code + answerText(answer.body());
        if (code != 429 && code / 100 != 5) {
          throw new CliFailure("post an OpenLineage event to " + endpoint, last + " (the event was refused)",
              ExitCode.ERROR);
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
    }
    throw new CliFailure("post an OpenLineage event to " + endpoint, last + " after " + ATTEMPTS + " attempts",
        ExitCode.ERROR);
  }

  private static String answerText(String body) {
    String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
  }
}
