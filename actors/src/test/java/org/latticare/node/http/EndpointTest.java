package org.latticare.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {

  @Test
  void aTemplateMatchesItsMethodAndOneNonEmptySegmentPerParameter() {
    Endpoint block = Endpoint.get("/api/chain/blocks/{height}");
    assertThat(block.matches("GET", "/api/chain/blocks/12")).isTrue();
    assertThat(block.matches("POST", "/api/chain/blocks/12")).isFalse();
    assertThat(block.matches("GET", "/api/chain/blocks/")).isFalse();
    assertThat(block.matches("GET", "/api/chain/blocks")).isFalse();
    assertThat(block.matches("GET", "/api/chain/blocks/12/x")).isFalse();
    assertThat(block.matches("GET", "/api/chain/head")).isFalse();
    assertThat(Endpoint.get("/api/chain/head").matches("GET", "/api/chain/head")).isTrue();
    assertThat(Endpoint.get("/api/chain/head").matches("GET", "/api/chain/head/")).isFalse();
  }

  @Test
  void onlyViewsThatAnswerTheSameForEveryCallerCanBeOpened() {
    assertThat(HttpFront.opened(java.util.List.of("GET /api/chain/head", "GET /api/transactions/{hash}")))
        .containsExactly(Endpoint.get("/api/chain/head"), Endpoint.get("/api/transactions/{hash}"));
    for (String closed : java.util.List.of("POST /api/transactions", "GET /api/patients/{pseudonym}/transactions",
        "POST /api/ring/ping", "get /api/chain/head", "GET /api/chain/head/", "GET")) {
      assertThatThrownBy(() -> HttpFront.opened(java.util.List.of(closed))).as(closed)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("open-endpoints");
    }
  }
}
