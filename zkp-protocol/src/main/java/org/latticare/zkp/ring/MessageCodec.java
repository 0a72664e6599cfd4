package org.latticare.zkp.ring;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.latticare.lattice.ring.PolyVector;
import org.latticare.lattice.sign.MlDsa65;
import org.latticare.zkp.protocol.Refusal;
import org.latticare.zkp.ring.RingChallengeIdentification.ChallengeIssued;
import org.latticare.zkp.ring.RingChallengeIdentification.Commitment;
import org.latticare.zkp.ring.RingChallengeIdentification.Hop;
import org.latticare.zkp.ring.RingChallengeIdentification.Message;
import org.latticare.zkp.ring.RingChallengeIdentification.Reason;
import org.latticare.zkp.ring.RingChallengeIdentification.Response;
import org.latticare.zkp.ring.RingChallengeIdentification.Reveal;
import org.latticare.zkp.ring.RingChallengeIdentification.RingPass;
import org.latticare.zkp.ring.RingChallengeIdentification.Verdict;
import org.latticare.zkp.sigma.IdentificationParameters;
import org.latticare.zkp.wire.DecodingException;
import org.latticare.zkp.wire.Decoded;
import org.latticare.zkp.wire.Frame;

/**
 * Canonical, versioned, length-checked encodings of the ring identification's messages, in the
 * {@link Frame} (version 1, type tag, parameter-set id, body length). Bodies, all integers big-endian:
 * <pre>
 *   session      u8 length (1..128) ‖ UTF-8 bytes
 *   Commitment   session ‖ round u32 ‖ attempt u32 ‖ u: k·N residues at ⌈log2 q⌉ bits
 *   RingPass,
 *   Challenge    session ‖ round ‖ attempt ‖ commitment digest 32 ‖ accumulator 32 ‖ hops u16 ‖
 *                hops × (position u16 ‖ commitment 32 ‖ ML-DSA-65 signature 3309) ‖ openings u16 ‖
 *                openings × (position u16 ‖ contribution 32 ‖ salt 32)
 *   Response     session ‖ round ‖ attempt ‖ accumulator 32 ‖ commitments u16 ‖ commitments × 32 ‖
 *                z: m·N coefficients in [−(γ−β), γ−β], stored + (γ−β)
 *   Verdict      session ‖ position u16 ‖ accepted u8 (0/1) ‖ reason u8 ‖ rounds u32 ‖
 *                suspect u16 (0xFFFF: none) ‖ transcript 32 ‖ signature 3309
 * </pre>
 * Decoding never throws: it returns a {@link Decoded.Failure} with {@link Refusal#MALFORMED} (structure)
 * or {@link Refusal#OUT_OF_RANGE} (a value outside its range) and a message saying which.
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    /**
     * The canonical bytes of {@code message}. A {@link Response} whose {@code z} exceeds {@code γ − β}
     * has no encoding (an honest prover never sends one) and gives an IllegalArgumentException.
     */
    public static byte[] encode(IdentificationParameters p, Message message) {
        if (message instanceof Commitment m) {
            ByteBuffer out = Frame.begin(Frame.Type.COMMITMENT, p.id(), Frame.sessionBytes(m.session()) + 8
                    + Frame.residueBytes(p.ring(), p.rows() * p.degree()));
            Frame.putSession(out, m.session());
            out.putInt(m.round()).putInt(m.attempt());
            Frame.putResidues(out, p.ring(), m.u().coefficients());
            return out.array();
        }
        if (message instanceof RingPass m) {
            return encodeRing(p, Frame.Type.RING_PASS, m.session(), m.round(), m.attempt(), m.commitmentDigest(),
                    m.accumulator(), m.hops(), m.reveals());
        }
        if (message instanceof ChallengeIssued m) {
            return encodeRing(p, Frame.Type.CHALLENGE_ISSUED, m.session(), m.round(), m.attempt(), m.commitmentDigest(),
                    m.accumulator(), m.hops(), m.reveals());
        }
        if (message instanceof Response m) {
            int coefficients = p.witnessLength() * p.degree();
            ByteBuffer out = Frame.begin(Frame.Type.RESPONSE, p.id(), Frame.sessionBytes(m.session()) + 8 + 32 + 2
                    + 32 * m.commitments().size() + Frame.shortBytes(coefficients, p.responseBound()));
            Frame.putSession(out, m.session());
            out.putInt(m.round()).putInt(m.attempt()).put(exactly(m.accumulator(), 32, "accumulator"))
                    .putShort((short) m.commitments().size());
            for (byte[] commitment : m.commitments()) {
                out.put(exactly(commitment, 32, "commitment"));
            }
            Frame.putShort(out, m.z().centeredCoefficients(), p.responseBound());
            return out.array();
        }
        Verdict m = (Verdict) message;
        ByteBuffer out = Frame.begin(Frame.Type.VERDICT, p.id(), Frame.sessionBytes(m.session()) + 2 + 1 + 1 + 4 + 2
                + 32 + MlDsa65.SIGNATURE_BYTES);
        Frame.putSession(out, m.session());
        out.putShort((short) m.verifier()).put((byte) (m.accepted() ? 1 : 0)).put((byte) m.reason().code)
                .putInt(m.rounds()).putShort((short) m.suspect()).put(m.transcript()).put(m.signature());
        return out.array();
    }

    private static byte[] encodeRing(IdentificationParameters p, Frame.Type type, String session, int round, int attempt,
            byte[] digest, byte[] accumulator, List<Hop> hops, List<Reveal> reveals) {
        int hopBytes = 2 + 32 + MlDsa65.SIGNATURE_BYTES;
        int revealBytes = 2 + RingAccumulator.CONTRIBUTION_BYTES + RingChallengeIdentification.SALT_BYTES;
        ByteBuffer out = Frame.begin(type, p.id(), Frame.sessionBytes(session) + 8 + 32 + 32 + 2 + hops.size() * hopBytes
                + 2 + reveals.size() * revealBytes);
        Frame.putSession(out, session);
        out.putInt(round).putInt(attempt).put(digest).put(accumulator).putShort((short) hops.size());
        for (Hop hop : hops) {
            out.putShort((short) hop.index()).put(exactly(hop.commitment(), 32, "commitment"))
                    .put(exactly(hop.signature(), MlDsa65.SIGNATURE_BYTES, "signature"));
        }
        out.putShort((short) reveals.size());
        for (Reveal reveal : reveals) {
            out.putShort((short) reveal.index()).put(exactly(reveal.contribution(), RingAccumulator.CONTRIBUTION_BYTES,
                    "contribution")).put(exactly(reveal.salt(), RingChallengeIdentification.SALT_BYTES, "salt"));
        }
        return out.array();
    }

    private static byte[] exactly(byte[] value, int length, String what) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(what + " must have " + length + " bytes");
        }
        return value;
    }

    /** A count of ring positions (at most 1,024, the largest ring). */
    private static int ringCount(ByteBuffer in, String what) {
        int count = Frame.getUnsignedShort(in);
        if (count > 1024) {
            throw new DecodingException(Refusal.OUT_OF_RANGE, count + " " + what + ", at most 1024");
        }
        return count;
    }

    public static Decoded<Message> decode(IdentificationParameters p, byte[] bytes) {
        return Decoded.parse(bytes, in -> {
            Frame.Type type = Frame.open(in, p.id());
            String session = Frame.getSession(in);
            switch (type) {
                case COMMITMENT: {
                    int round = Frame.getNonNegativeInt(in, "round");
                    int attempt = Frame.getNonNegativeInt(in, "attempt");
                    return new Commitment(session, round, attempt, Frame.getVector(in, p.ring(), p.rows()));
                }
                case RING_PASS:
                case CHALLENGE_ISSUED: {
                    int round = Frame.getNonNegativeInt(in, "round");
                    int attempt = Frame.getNonNegativeInt(in, "attempt");
                    byte[] digest = Frame.getBytes(in, 32);
                    byte[] accumulator = Frame.getBytes(in, RingAccumulator.BYTES);
                    int count = ringCount(in, "hops");
                    List<Hop> hops = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        int index = Frame.getUnsignedShort(in);
                        hops.add(new Hop(index, Frame.getBytes(in, 32), Frame.getBytes(in, MlDsa65.SIGNATURE_BYTES)));
                    }
                    int opened = ringCount(in, "openings");
                    List<Reveal> reveals = new ArrayList<>(opened);
                    for (int i = 0; i < opened; i++) {
                        int index = Frame.getUnsignedShort(in);
                        reveals.add(new Reveal(index, Frame.getBytes(in, RingAccumulator.CONTRIBUTION_BYTES),
                                Frame.getBytes(in, RingChallengeIdentification.SALT_BYTES)));
                    }
                    return type == Frame.Type.RING_PASS
                            ? new RingPass(session, round, attempt, digest, accumulator, hops, reveals)
                            : new ChallengeIssued(session, round, attempt, digest, accumulator, hops, reveals);
                }
                case RESPONSE: {
                    int round = Frame.getNonNegativeInt(in, "round");
                    int attempt = Frame.getNonNegativeInt(in, "attempt");
                    byte[] accumulator = Frame.getBytes(in, RingAccumulator.BYTES);
                    int count = ringCount(in, "commitments");
                    List<byte[]> commitments = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        commitments.add(Frame.getBytes(in, 32));
                    }
                    long[] z = Frame.getShort(in, p.witnessLength() * p.degree(), p.responseBound());
                    return new Response(session, round, attempt, accumulator, commitments,
                            PolyVector.ofCoefficients(p.ring(), z));
                }
                case VERDICT: {
                    int verifier = Frame.getUnsignedShort(in);
                    boolean accepted = Frame.getBoolean(in);
                    int code = Frame.getUnsignedByte(in);
                    Reason reason = Reason.ofCode(code);
                    if (reason == null) {
                        throw new DecodingException(Refusal.OUT_OF_RANGE, "unknown verdict reason " + code);
                    }
                    int rounds = Frame.getNonNegativeInt(in, "rounds");
                    int suspect = Frame.getUnsignedShort(in);
                    if (suspect != 0xFFFF && suspect >= 1024) {
                        throw new DecodingException(Refusal.OUT_OF_RANGE, "suspect position " + suspect);
                    }
                    byte[] transcript = Frame.getBytes(in, 32);
                    byte[] signature = Frame.getBytes(in, MlDsa65.SIGNATURE_BYTES);
                    return new Verdict(session, verifier, accepted, reason, rounds,
                            suspect == 0xFFFF ? RingChallengeIdentification.NO_SUSPECT : suspect, transcript, signature);
                }
                default:
                    throw new DecodingException(Refusal.MALFORMED, type + " is not a ring identification message");
            }
        });
    }
}
