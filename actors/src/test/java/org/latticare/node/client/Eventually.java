package org.latticare.node.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.latticare.node.client.ApiClient.Answer;

/** Asking the front again until an answer satisfies a condition: what feeds and keepers do happens asynchronously. */
public final class Eventually {

  public interface Call {
    Answer run() throws Exception;
  }

  private Eventually() {}

  /** The body of the first 200 answer that satisfies {@code done}, asked again for up to 15 s. */
  public static JsonNode answered(Call call, Predicate<Answer> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    Answer answer = call.run();
    while (!(answer.status() == 200 && done.test(answer)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      answer = call.run();
    }
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    assertThat(done.test(answer)).as("never satisfied: " + answer).isTrue();
    return answer.body();
  }
}
