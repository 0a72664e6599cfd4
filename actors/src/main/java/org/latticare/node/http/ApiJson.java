package org.latticare.node.http;

import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.marshalling.Marshaller;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.latticare.ledger.Sha3Hash;

/**
 * The API's one JSON mapper and the Akka HTTP (un)marshallers built on it.
 *
 * <p>Strict on input: an unknown field is refused rather than ignored (a misspelt {@code passes} must
 * not silently mean the default), numbers are not coerced from strings or floats, {@code null} is not
 * a primitive. Predictable on output: a record is written as exactly its components (fields only, no
 * getters), so a helper method on a request or answer record never leaks into the JSON. Hashes are
 * hexadecimal and byte strings base64, as in {@link LedgerViews}.
 */
public final class ApiJson {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
      .visibility(PropertyAccessor.ALL, Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, Visibility.ANY)
      .visibility(PropertyAccessor.CREATOR, Visibility.PUBLIC_ONLY)
      .addModule(new SimpleModule("latticare-api").addSerializer(Sha3Hash.class, ToStringSerializer.instance))
      .build();

  private ApiJson() {}

  public static <T> Marshaller<T, RequestEntity> marshaller() {
    return Jackson.marshaller(MAPPER);
  }

  public static <T> Unmarshaller<HttpEntity, T> unmarshaller(Class<T> type) {
    return Jackson.unmarshaller(MAPPER, type);
  }
}
