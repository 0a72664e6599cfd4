package org.latticare.node.http.auth;

import java.util.List;
import java.util.Map;

/**
 * The signature base of RFC 9421 §2.5: one line {@code "<component>": <value>} per covered
 * component, in the order they are covered, then the {@code "@signature-params"} line holding the
 * serialised inner list of §2.3, lines joined by a bare LF with none after the last. What is signed
 * is its UTF-8 encoding (it is ASCII whenever the fields are).
 */
public final class SignatureBase {

  /** The components every Latticare request signature covers, in this order. */
  public static final List<String> COVERED = List.of("@method", "@target-uri", ContentDigest.FIELD);

  private SignatureBase() {}

  /** The base for the covered components {@link #COVERED} and the given {@code @signature-params} value. */
  public static String forRequest(String method, String targetUri, String contentDigest, String signatureParams) {
    return of(List.of(
        Map.entry("@method", method),
        Map.entry("@target-uri", targetUri),
        Map.entry(ContentDigest.FIELD, contentDigest.strip())), signatureParams);
  }

  /**
   * The base for any list of component identifiers and their values (field values already combined
   * and trimmed as §2.1 says). A value holding a line break would let one component forge another,
   * so it is refused.
   */
  public static String of(List<Map.Entry<String, String>> components, String signatureParams) {
    StringBuilder base = new StringBuilder();
    for (Map.Entry<String, String> component : components) {
      String value = component.getValue();
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new MalformedFieldException("component " + component.getKey() + " holds a line break");
      }
      base.append(StructuredField.serialiseString(component.getKey())).append(": ").append(value).append('\n');
    }
    return base.append("\"@signature-params\": ").append(signatureParams).toString();
  }
}
