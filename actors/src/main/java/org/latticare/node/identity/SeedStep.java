package org.latticare.node.identity;

import org.latticare.cluster.CborSerializable;
import org.latticare.lattice.ring.PolyVector;
import org.latticare.zkp.seed.SeedRingProtocol;
import org.latticare.zkp.seed.SeedRingProtocol.Contribution;
import org.latticare.zkp.seed.SeedRingProtocol.E1;
import org.latticare.zkp.seed.SeedRingProtocol.E2Pass;
import org.latticare.zkp.seed.SeedRingProtocol.E2Result;
import org.latticare.zkp.seed.SeedRingProtocol.E3;
import org.latticare.zkp.seed.SeedRingProtocol.Message;
import org.latticare.zkp.seed.SeedRingProtocol.OpenRound;
import org.latticare.zkp.seed.SeedRingProtocol.RoundOpened;
import org.latticare.zkp.seed.SeedRingProtocol.RoundVerdict;

/**
 * One message of the seed protocol ({@link SeedRingProtocol}) as it travels between actors: the kind, the
 * round, a node or hop index, a vector over {@code Z_q} and a scalar, and a verdict's flags. The seed protocol
 * is a demonstration of the paper as written, with small messages (vectors of 16 residues), so it has no
 * canonical byte encoding of its own; {@link #toMessage} refuses a vector of the wrong length.
 */
public record SeedStep(String session, Kind kind, int round, int index, long[] vector, long scalar, boolean accepted,
    boolean last, boolean identified) implements CborSerializable {

  public enum Kind { OPEN_ROUND, CONTRIBUTION, ROUND_OPENED, E1, E2_PASS, E2_RESULT, E3, ROUND_VERDICT }

  public static SeedStep of(Message message) {
    String s = message.session();
    int r = message.round();
    if (message instanceof OpenRound) {
      return new SeedStep(s, Kind.OPEN_ROUND, r, 0, null, 0, false, false, false);
    } else if (message instanceof Contribution m) {
      return new SeedStep(s, Kind.CONTRIBUTION, r, m.node(), m.v().coefficients(), 0, false, false, false);
    } else if (message instanceof RoundOpened m) {
      return new SeedStep(s, Kind.ROUND_OPENED, r, 0, m.vm().coefficients(), 0, false, false, false);
    } else if (message instanceof E1 m) {
      return new SeedStep(s, Kind.E1, r, 0, null, m.e1(), false, false, false);
    } else if (message instanceof E2Pass m) {
      return new SeedStep(s, Kind.E2_PASS, r, m.hop(), m.accumulated().coefficients(), 0, false, false, false);
    } else if (message instanceof E2Result m) {
      return new SeedStep(s, Kind.E2_RESULT, r, 0, m.e2().coefficients(), 0, false, false, false);
    } else if (message instanceof E3 m) {
      return new SeedStep(s, Kind.E3, r, 0, null, m.e3(), false, false, false);
    }
    RoundVerdict m = (RoundVerdict) message;
    return new SeedStep(s, Kind.ROUND_VERDICT, r, 0, null, 0, m.accepted(), m.last(), m.identified());
  }

  /** The protocol message, or IllegalArgumentException when a vector is missing or of the wrong size. */
  public Message toMessage(SeedRingProtocol.Parameters p) {
    return switch (kind) {
      case OPEN_ROUND -> new OpenRound(session, round);
      case CONTRIBUTION -> new Contribution(session, round, index, vector(p));
      case ROUND_OPENED -> new RoundOpened(session, round, vector(p));
      case E1 -> new E1(session, round, scalar);
      case E2_PASS -> new E2Pass(session, round, index, vector(p));
      case E2_RESULT -> new E2Result(session, round, vector(p));
      case E3 -> new E3(session, round, scalar);
      case ROUND_VERDICT -> new RoundVerdict(session, round, accepted, last, identified);
    };
  }

  private PolyVector vector(SeedRingProtocol.Parameters p) {
    if (vector == null || vector.length != p.m()) {
      throw new IllegalArgumentException("a " + kind + " carries a vector of " + p.m() + " residues");
    }
    for (long x : vector) {
      if (x < 0 || x >= p.q()) {
        throw new IllegalArgumentException("a residue of a " + kind + " is not below q");
      }
    }
    return PolyVector.ofCoefficients(p.ring(), vector);
  }
}
