package org.latticare.node.http.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The signature parameters of RFC 9421 §2.3 that a Latticare request signature carries: the covered
 * components, {@code created} (seconds since the epoch), a {@code nonce} against replay, the
 * {@code keyid} (the enrolled identity's id) and {@code alg}, written in that order.
 */
public record SignatureParams(List<String> components, long created, String nonce, String keyId, String alg) {

  public static final String ALG = "ml-dsa-65";

  public SignatureParams {
    components = List.copyOf(components);
  }

  /** The parameters a signer sends for the components every request covers. */
  public static SignatureParams of(long created, String nonce, String keyId) {
    return new SignatureParams(SignatureBase.COVERED, created, nonce, keyId, ALG);
  }

  /** The inner list as {@code Signature-Input} carries it and {@code @signature-params} signs it. */
  public StructuredField.InnerList toInnerList() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("created", created);
    parameters.put("nonce", nonce);
    parameters.put("keyid", keyId);
    parameters.put("alg", alg);
    return new StructuredField.InnerList(
        components.stream().map(c -> new StructuredField.Item(c, Map.of())).toList(), parameters);
  }

  public String serialise() {
    return toInnerList().serialise();
  }

  /**
   * The parameters of a received inner list: components as plain strings (no component parameters,
   * which Latticare does not use), {@code created} an integer, {@code nonce} and {@code keyid}
   * strings; {@code alg} may be absent (the key then decides), else a string.
   *
   * @throws MalformedFieldException naming what is missing or of the wrong type
   */
  public static SignatureParams from(StructuredField.InnerList list) {
    List<String> components = list.items().stream().map(item -> {
      if (!(item.value() instanceof String name) || !item.parameters().isEmpty()) {
        throw new MalformedFieldException("a covered component must be a plain string");
      }
      return name;
    }).toList();
    Map<String, Object> parameters = list.parameters();
    if (!(parameters.get("created") instanceof Long created)) {
      throw new MalformedFieldException("the signature has no integer 'created'");
    }
    if (!(parameters.get("nonce") instanceof String nonce)) {
      throw new MalformedFieldException("the signature has no string 'nonce'");
    }
    if (!(parameters.get("keyid") instanceof String keyId)) {
      throw new MalformedFieldException("the signature has no string 'keyid'");
    }
    Object alg = parameters.getOrDefault("alg", ALG);
    if (!(alg instanceof String algName)) {
      throw new MalformedFieldException("the signature's 'alg' is not a string");
    }
    return new SignatureParams(components, created, nonce, keyId, algName);
  }
}
