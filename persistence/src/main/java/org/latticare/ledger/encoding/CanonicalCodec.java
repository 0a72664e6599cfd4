package org.latticare.ledger.encoding;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
 * tests catch that. Each record type's components, accessors and canonical constructor are looked up
 * once ({@link RecordShape}): reflecting on every call cost more than the decoding itself.
 */
public final class CanonicalCodec {

  /** Most items in one list: far above any real body, far below what could exhaust memory. */
  public static final int MAX_LIST = 100_000;

  /** A record type's components in declaration order, their accessors, and its canonical constructor. */
  private record RecordShape(Type[] types, String[] names, Method[] accessors, Constructor<?> constructor) {
    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
      @Override
      protected RecordShape computeValue(Class<?> recordType) {
        RecordComponent[] components = recordType.getRecordComponents();
        Type[] types = new Type[components.length];
        String[] names = new String[components.length];
        Method[] accessors = new Method[components.length];
        Class<?>[] rawTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
          types[i] = components[i].getGenericType();
          names[i] = components[i].getName();
          accessors[i] = components[i].getAccessor();
          rawTypes[i] = components[i].getType();
        }
        try {
          return new RecordShape(types, names, accessors, recordType.getDeclaredConstructor(rawTypes));
        } catch (NoSuchMethodException e) {
          throw new IllegalStateException("no canonical constructor for " + recordType, e);
        }
      }
    };

    static RecordShape of(Class<?> recordType) {
      return SHAPES.get(recordType);
    }
  }

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
      RecordShape shape = RecordShape.of(recordType);
      for (int i = 0; i < shape.types().length; i++) {
        write(writer, shape.types()[i], component(shape, i, value));
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
      RecordShape shape = RecordShape.of(recordType);
      Object[] values = new Object[shape.types().length];
      for (int i = 0; i < values.length; i++) {
        values[i] = read(reader, shape.types()[i], field + "." + shape.names()[i]);
      }
      return construct(shape, values, field);
    }
    throw new IllegalArgumentException("no canonical encoding for " + type.getTypeName());
  }

  private static Object component(RecordShape shape, int index, Object value) {
    try {
      return shape.accessors()[index].invoke(value);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + shape.names()[index] + " of " + value.getClass(), e);
    }
  }

  private static Object construct(RecordShape shape, Object[] values, String field) {
    try {
      return shape.constructor().newInstance(values);
    } catch (InvocationTargetException e) {
      // the record's own validation refused the decoded values
      throw new MalformedEncodingException(field + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + shape.constructor().getDeclaringClass(), e);
    }
  }
}
