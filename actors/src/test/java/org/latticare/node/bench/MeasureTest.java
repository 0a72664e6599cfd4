package org.latticare.node.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class MeasureTest {

  @Test
  void threadsAreGroupedByTheirNames() {
    assertEquals(Measure.VERIFY, Measure.group("latticare-crypto-3"));
    assertEquals(Measure.AKKA, Measure.group("latticare-akka.actor.default-dispatcher-7"));
    assertEquals(Measure.CLIENT, Measure.group("HttpClient-1-Worker-0"));
    assertEquals(Measure.OTHER, Measure.group("main"));
  }

  @Test
  void cpuBetweenSnapshotsIsAddedByGroupAndTheRestIsTheJvms() {
    Map<Long, Map.Entry<String, Long>> before = Map.of(
        1L, Map.entry(Measure.VERIFY, 100L),
        2L, Map.entry(Measure.AKKA, 50L),
        3L, Map.entry(Measure.CLIENT, 10L)); // ends before the second snapshot
    Map<Long, Map.Entry<String, Long>> after = Map.of(
        1L, Map.entry(Measure.VERIFY, 400L),
        2L, Map.entry(Measure.AKKA, 150L),
        4L, Map.entry(Measure.AKKA, 25L)); // started in between
    Map<String, Long> into = new TreeMap<>(Map.of(Measure.VERIFY, 1000L));

    Measure.addCpuByGroup(before, after, 600, into);

    assertEquals(1300L, into.get(Measure.VERIFY));
    assertEquals(125L, into.get(Measure.AKKA));
    assertEquals(175L, into.get(Measure.JVM), "what no live thread accounts for");
    assertEquals(null, into.get(Measure.CLIENT));
  }
}
