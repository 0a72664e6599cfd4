package org.latticare.ledger.encoding;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.latticare.ledger.Sha3Hash;

/**
 * The canonical encoding of a record: its components in declaration order, each written by
 * {@link CanonicalWriter}. One mechanism for every transaction body, so that no body has an encoder of
 * its own to drift from its decoder. Supported component types: {@code String}, {@code int},
 * {@code long}, {@code boolean}, {@code byte[]}, {@link Sha3Hash}, nested records, and {@code List}s of
 * any of those. Reordering or retyping a component changes the encoding: the golden vectors in the
 * tests catch that.
 */
public final class CanonicalCodec {

  /** Most items in one list: far above any real body, far below what could exhaust memory. */
  public static final int MAX_LIST = 100_000;

  private CanonicalCodec() {}

  public static byte[] encode(Record value) {
    CanonicalWriter writer = new CanonicalWriter();
    write(writer, value.getClass(), value);
    return writer.toByteArray();
  }

  public static <T> T decode(Class<T> type, byte[] bytes) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    CanonicalReader reader = new CanonicalReader(bytes);
    T value = type.cast(read(reader, type, type.getSimpleName()));
    reader.expectEnd(type.getSimpleName());
    return value;
  }

  public static void write(CanonicalWriter writer, Type type, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("canonical encoding has no null: a " + type.getTypeName() + " is missing");
    }
    if (type == String.class) {
      writer.writeString((String) value);
    } else if (type == int.class || type == Integer.class) {
      writer.writeInt((Integer) value);
    } else if (type == long.class || type == Long.class) {
      writer.writeLong((Long) value);
    } else if (type == boolean.class || type == Boolean.class) {
      writer.writeBoolean((Boolean) value);
    } else if (type == byte[].class) {
      writer.writeBytes((byte[]) value);
    } else if (type == Sha3Hash.class) {
      writer.writeBytes(((Sha3Hash) value).bytes());
    } else if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      List<?> items = (List<?>) value;
      writer.writeInt(items.size());
      for (Object item : items) {
        write(writer, list.getActualTypeArguments()[0], item);
      }
    } else if (type instanceof Class<?> recordType && recordType.isRecord()) {
      for (RecordComponent component : recordType.getRecordComponents()) {
        write(writer, component.getGenericType(), accessor(component, value));
      }
    } else {
      throw new IllegalArgumentException("no canonical encoding for " + type.getTypeName());
    }
  }

  public static Object read(CanonicalReader reader, Type type, String field) {
    if (type == String.class) {
      return reader.readString(field);
    } else if (type == int.class || type == Integer.class) {
      return reader.readInt(field);
    } else if (type == long.class || type == Long.class) {
      return reader.readLong(field);
    } else if (type == boolean.class || type == Boolean.class) {
      return reader.readBoolean(field);
    } else if (type == byte[].class) {
      return reader.readBytes(field);
    } else if (type == Sha3Hash.class) {
      byte[] bytes = reader.readBytes(field);
      if (bytes.length != Sha3Hash.LENGTH) {
        throw new MalformedEncodingException(field + ": a hash has " + Sha3Hash.LENGTH + " bytes, not " + bytes.length);
      }
      return new Sha3Hash(bytes);
    } else if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      int count = reader.readCount(field, MAX_LIST);
      List<Object> items = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        items.add(read(reader, list.getActualTypeArguments()[0], field + "[" + i + "]"));
      }
      return List.copyOf(items);
    } else if (type instanceof Class<?> recordType && recordType.isRecord()) {
      RecordComponent[] components = recordType.getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        values[i] = read(reader, components[i].getGenericType(), field + "." + components[i].getName());
        types[i] = components[i].getType();
      }
      return construct(recordType, types, values, field);
    }
    throw new IllegalArgumentException("no canonical encoding for " + type.getTypeName());
  }

  private static Object accessor(RecordComponent component, Object value) {
    try {
      return component.getAccessor().invoke(value);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component.getName() + " of " + value.getClass(), e);
    }
  }

  private static Object construct(Class<?> recordType, Class<?>[] types, Object[] values, String field) {
    try {
      Constructor<?> constructor = recordType.getDeclaredConstructor(types);
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      // the record's own validation refused the decoded values
      throw new MalformedEncodingException(field + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + recordType, e);
    }
  }
}
