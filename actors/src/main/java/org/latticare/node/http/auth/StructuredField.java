package org.latticare.node.http.auth;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of RFC 8941 (Structured Field Values) that request signatures use: dictionaries whose
 * members are items or inner lists, with parameters, and bare items that are integers, strings,
 * tokens, byte sequences or booleans. Parsing is strict (RFC 8941 §4.2): anything else, decimals
 * included, is a {@link MalformedFieldException}, because a lenient parser is where two parties
 * start to disagree about what was signed.
 */
public final class StructuredField {

  /** A bare item with its parameters, in the order they were written. */
  public record Item(Object value, Map<String, Object> parameters) {
    public Item {
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
  }

  /** An inner list, such as the covered components of a signature, with its parameters in order. */
  public record InnerList(List<Item> items, Map<String, Object> parameters) {
    public InnerList {
      items = List.copyOf(items);
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** RFC 8941 §4.1.1.1: the canonical serialisation that RFC 9421 §2.3 signs as {@code @signature-params}. */
    public String serialise() {
      StringBuilder out = new StringBuilder("(");
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          out.append(' ');
        }
        out.append(serialiseBareItem(items.get(i).value()));
        appendParameters(out, items.get(i).parameters());
      }
      out.append(')');
      appendParameters(out, parameters);
      return out.toString();
    }
  }

  /** A token (RFC 8941 §3.3.4), kept apart from a string because the two serialise differently. */
  public record Token(String name) {}

  private final String input;
  private int position;

  private StructuredField(String input) {
    this.input = input;
  }

  /** A dictionary field (RFC 8941 §4.2.2); each value is an {@link Item} or an {@link InnerList}. */
  public static Map<String, Object> parseDictionary(String field) {
    StructuredField parser = new StructuredField(field);
    parser.skipSpaces();
    Map<String, Object> members = parser.dictionary();
    parser.skipSpaces();
    if (parser.position != field.length()) {
      throw parser.malformed("trailing characters");
    }
    return members;
  }

  /** RFC 8941 §4.1.5: a string item, quoted, with {@code "} and {@code \} escaped. */
  public static String serialiseString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("a structured-field string holds printable ASCII only");
      }
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  /** RFC 8941 §4.1.8: a byte sequence, base64 between colons. */
  public static String serialiseBytes(byte[] value) {
    return ":" + Base64.getEncoder().encodeToString(value) + ":";
  }

  private static String serialiseBareItem(Object value) {
    if (value instanceof String s) {
      return serialiseString(s);
    }
    if (value instanceof Long n) {
      return Long.toString(n);
    }
    if (value instanceof Token t) {
      return t.name();
    }
    if (value instanceof byte[] bytes) {
      return serialiseBytes(bytes);
    }
    if (value instanceof Boolean b) {
      return b ? "?1" : "?0";
    }
    throw new IllegalArgumentException("not a bare item: " + value);
  }

  private static void appendParameters(StringBuilder out, Map<String, Object> parameters) {
    parameters.forEach((key, value) -> {
      out.append(';').append(key);
      if (!Boolean.TRUE.equals(value)) {
        out.append('=').append(serialiseBareItem(value));
      }
    });
  }

  private Map<String, Object> dictionary() {
    Map<String, Object> members = new LinkedHashMap<>();
    while (position < input.length()) {
      String key = key();
      Object member;
      if (peek() == '=') {
        position++;
        member = peek() == '(' ? innerList() : new Item(bareItem(), parameters());
      } else {
        member = new Item(Boolean.TRUE, parameters());
      }
      members.put(key, member);
      skipOptionalWhitespace();
      if (position == input.length()) {
        return members;
      }
      expect(',');
      skipOptionalWhitespace();
      if (position == input.length()) {
        throw malformed("a trailing comma");
      }
    }
    return members;
  }

  private InnerList innerList() {
    expect('(');
    List<Item> items = new ArrayList<>();
    while (position < input.length()) {
      skipSpaces();
      if (peek() == ')') {
        position++;
        return new InnerList(items, parameters());
      }
      items.add(new Item(bareItem(), parameters()));
      char next = peek();
      if (next != ' ' && next != ')') {
        throw malformed("an inner-list item not followed by a space or ')'");
      }
    }
    throw malformed("an unterminated inner list");
  }

  private Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    while (peek() == ';') {
      position++;
      skipSpaces();
      String key = key();
      Object value = Boolean.TRUE;
      if (peek() == '=') {
        position++;
        value = bareItem();
      }
      parameters.put(key, value);
    }
    return parameters;
  }

  private String key() {
    char first = peek();
    if (!(first == '*' || (first >= 'a' && first <= 'z'))) {
      throw malformed("a key must start with a lower-case letter or '*'");
    }
    int start = position;
    while (position < input.length() && isKeyChar(input.charAt(position))) {
      position++;
    }
    return input.substring(start, position);
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*';
  }

  private Object bareItem() {
    char c = peek();
    if (c == '-' || (c >= '0' && c <= '9')) {
      return integer();
    }
    if (c == '"') {
      return string();
    }
    if (c == ':') {
      return byteSequence();
    }
    if (c == '?') {
      return bool();
    }
    if (c == '*' || Character.isLetter(c) && c < 0x80) {
      return token();
    }
    throw malformed("no bare item");
  }

  private Long integer() {
    int start = position;
    if (peek() == '-') {
      position++;
    }
    int digitsStart = position;
    while (position < input.length() && Character.isDigit(input.charAt(position)) && input.charAt(position) < 0x80) {
      position++;
    }
    int digits = position - digitsStart;
    if (digits == 0 || digits > 15) {
      throw malformed("an integer needs 1 to 15 digits");
    }
    if (peek() == '.') {
      throw malformed("decimals are not accepted here");
    }
    return Long.parseLong(input.substring(start, position));
  }

  private String string() {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (position < input.length()) {
      char c = input.charAt(position++);
      if (c == '\\') {
        if (position == input.length()) {
          throw malformed("a string ending in a backslash");
        }
        char escaped = input.charAt(position++);
        if (escaped != '"' && escaped != '\\') {
          throw malformed("only \\\" and \\\\ may be escaped in a string");
        }
        out.append(escaped);
      } else if (c == '"') {
        return out.toString();
      } else if (c < 0x20 || c > 0x7e) {
        throw malformed("a string holds printable ASCII only");
      } else {
        out.append(c);
      }
    }
    throw malformed("an unterminated string");
  }

  private byte[] byteSequence() {
    expect(':');
    int end = input.indexOf(':', position);
    if (end < 0) {
      throw malformed("an unterminated byte sequence");
    }
    String base64 = input.substring(position, end);
    for (char c : base64.toCharArray()) {
      if (!(Character.isLetterOrDigit(c) && c < 0x80 || c == '+' || c == '/' || c == '=')) {
        throw malformed("a byte sequence holds base64 only");
      }
    }
    position = end + 1;
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw malformed("a byte sequence that is not base64");
    }
  }

  private Boolean bool() {
    expect('?');
    char c = peek();
    if (c != '0' && c != '1') {
      throw malformed("a boolean is ?0 or ?1");
    }
    position++;
    return c == '1';
  }

  private Token token() {
    int start = position;
    position++;
    while (position < input.length() && isTokenChar(input.charAt(position))) {
      position++;
    }
    return new Token(input.substring(start, position));
  }

  private static boolean isTokenChar(char c) {
    return c > 0x20 && c < 0x7f && "\"(),;<=>?@[\\]{}".indexOf(c) < 0 || c == ':' || c == '/';
  }

  private char peek() {
    return position < input.length() ? input.charAt(position) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw malformed("expected '" + c + "'");
    }
    position++;
  }

  private void skipSpaces() {
    while (peek() == ' ') {
      position++;
    }
  }

  private void skipOptionalWhitespace() {
    while (peek() == ' ' || peek() == '\t') {
      position++;
    }
  }

  private MalformedFieldException malformed(String what) {
    return new MalformedFieldException(what + " at position " + position);
  }
}
