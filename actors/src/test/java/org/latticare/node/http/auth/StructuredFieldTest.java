package org.latticare.node.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StructuredFieldTest {

  @Test
  void anInnerListSerialisesBackAsWritten() {
    String input = "(\"@method\" \"@target-uri\" \"content-digest\");created=1;nonce=\"n\\\"x\";keyid=\"k\";alg=\"ml-dsa-65\"";
    StructuredField.InnerList list = (StructuredField.InnerList) StructuredField.parseDictionary("sig1=" + input).get("sig1");
    assertThat(list.serialise()).isEqualTo(input);
  }

  @Test
  void bareParametersAreTrue() {
    StructuredField.InnerList list = (StructuredField.InnerList)
        StructuredField.parseDictionary("sig1=(\"@method\");created;tag=abc").get("sig1");
    assertThat(list.parameters()).containsEntry("created", true).containsEntry("tag", new StructuredField.Token("abc"));
    assertThat(list.serialise()).isEqualTo("(\"@method\");created;tag=abc");
  }

  @Test
  void refusesWhatRfc8941Refuses() {
    for (String bad : new String[] {"a=1,", "A=1", "a=(\"x\"", "a=\"x", "a=:!!:", "a=1.5", "a=1 b=2", "a=\"\\x\""}) {
      assertThatThrownBy(() -> StructuredField.parseDictionary(bad)).as(bad).isInstanceOf(MalformedFieldException.class);
    }
  }
}
