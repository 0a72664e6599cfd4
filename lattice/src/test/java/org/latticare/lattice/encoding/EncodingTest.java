package org.latticare.lattice.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.latticare.lattice.additive.AdditiveCiphertext;
import org.latticare.lattice.additive.KeyShare;
import org.latticare.lattice.additive.PartialDecryption;
import org.latticare.lattice.additive.RingLweAdditive;
import org.latticare.lattice.additive.RingLweParameters;
import org.latticare.lattice.additive.StudyPublicKey;
import org.latticare.lattice.sample.RandomSource;
import org.latticare.lattice.trapdoor.GadgetTrapdoor;
import org.latticare.lattice.trapdoor.TrapdoorCiphertext;
import org.latticare.lattice.trapdoor.TrapdoorLwe;
import org.latticare.lattice.trapdoor.TrapdoorParameters;

class EncodingTest {

    private final TrapdoorParameters params = TrapdoorParameters.TEST;
    private final RandomSource random = RandomSource.deterministic("encodings".getBytes());
    private final GadgetTrapdoor keys = GadgetTrapdoor.generate(params, random);
    private final TrapdoorCiphertext ciphertext = new TrapdoorLwe(params).encrypt(keys.publicKey(), new long[params.plaintextLength()], random);

    @Test
    void trapdoorObjectsRoundTripAtTheirDeclaredSizes() {
        byte[] pk = TrapdoorEncoding.encodePublicKey(keys.publicKey());
        byte[] sk = TrapdoorEncoding.encodePrivateKey(keys);
        byte[] ct = TrapdoorEncoding.encodeCiphertext(ciphertext);
        assertThat(pk).hasSize(params.publicKeyBytes());
        assertThat(sk).hasSize(params.privateKeyBytes());
        assertThat(ct).hasSize(params.ciphertextBytes());
        assertThat(TrapdoorEncoding.decodePublicKey(pk)).isEqualTo(keys.publicKey());
        assertThat(TrapdoorEncoding.decodePrivateKey(sk).trapdoor()).isEqualTo(keys.trapdoor());
        assertThat(TrapdoorEncoding.decodeCiphertext(ct)).isEqualTo(ciphertext);
        assertThat(TrapdoorEncoding.encodeCiphertext(TrapdoorEncoding.decodeCiphertext(ct))).isEqualTo(ct);
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] ct = TrapdoorEncoding.encodeCiphertext(ciphertext);
        for (int length = 0; length < ct.length; length += 97) {
            byte[] cut = Arrays.copyOf(ct, length);
            assertThatThrownBy(() -> TrapdoorEncoding.decodeCiphertext(cut)).isInstanceOf(MalformedEncodingException.class);
        }
        byte[] longer = Arrays.copyOf(ct, ct.length + 1);
        assertThatThrownBy(() -> TrapdoorEncoding.decodeCiphertext(longer))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("length");
    }

    @Test
    void wrongVersionTypeParameterSetAndReservedByteAreRejected() {
        byte[] ct = TrapdoorEncoding.encodeCiphertext(ciphertext);
        assertRejected(ct, 0, (byte) 2, "version");
        assertRejected(ct, 1, (byte) 1, "tag");
        assertRejected(ct, 2, (byte) 99, "unknown");
        assertRejected(ct, 3, (byte) 1, "reserved");
        // a valid ciphertext frame is not a public key
        assertThatThrownBy(() -> TrapdoorEncoding.decodePublicKey(ct)).isInstanceOf(MalformedEncodingException.class);
    }

    private static void assertRejected(byte[] original, int index, byte value, String message) {
        byte[] bad = original.clone();
        bad[index] = value;
        assertThatThrownBy(() -> TrapdoorEncoding.decodeCiphertext(bad))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining(message);
    }

    @Test
    void outOfRangeCoefficientsAreRejected() {
        byte[] ct = TrapdoorEncoding.encodeCiphertext(ciphertext);
        // all-ones in the first 23-bit coefficient is 2^23 - 1 >= q
        byte[] bad = ct.clone();
        bad[8] = (byte) 0xff;
        bad[9] = (byte) 0xff;
        bad[10] = (byte) (bad[10] | 0x7f);
        assertThatThrownBy(() -> TrapdoorEncoding.decodeCiphertext(bad))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("out of range");
        // a private key whose R coefficient exceeds η
        byte[] sk = TrapdoorEncoding.encodePrivateKey(keys);
        byte[] badKey = sk.clone();
        badKey[sk.length - 10] = (byte) 0xff;
        assertThatThrownBy(() -> TrapdoorEncoding.decodePrivateKey(badKey)).isInstanceOf(MalformedEncodingException.class);
    }

    @Test
    void aPrivateKeyWhoseTrapdoorDoesNotMatchItsPublicKeyIsRejected() {
        GadgetTrapdoor other = GadgetTrapdoor.generate(params, random);
        byte[] sk = TrapdoorEncoding.encodePrivateKey(keys);
        byte[] otherSk = TrapdoorEncoding.encodePrivateKey(other);
        byte[] spliced = sk.clone();
        int rStart = 8 + 4 + params.publicKeyBytes();
        System.arraycopy(otherSk, rStart, spliced, rStart, sk.length - rStart);
        assertThatThrownBy(() -> TrapdoorEncoding.decodePrivateKey(spliced))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("does not match");
    }

    @Test
    void additiveObjectsRoundTripAndRejectGarbage() {
        RingLweAdditive scheme = new RingLweAdditive(RingLweParameters.TEST);
        StudyPublicKey key = scheme.emptyKey(new byte[32]);
        KeyShare share = scheme.generateShare(key, 0, random);
        key = key.plus(share);
        AdditiveCiphertext c = scheme.encrypt(key, new long[] {1, 2, 3}, random);
        PartialDecryption d = scheme.partialDecrypt(share, c, 1, random);

        byte[] ce = AdditiveEncoding.encodeCiphertext(c);
        assertThat(AdditiveEncoding.decodeCiphertext(ce)).isEqualTo(c);
        byte[] ke = AdditiveEncoding.encodeStudyKey(key);
        StudyPublicKey decodedKey = AdditiveEncoding.decodeStudyKey(ke);
        assertThat(decodedKey.b()).isEqualTo(key.b());
        assertThat(decodedKey.a()).isEqualTo(key.a());
        byte[] de = AdditiveEncoding.encodePartialDecryption(RingLweParameters.TEST, d);
        assertThat(AdditiveEncoding.decodePartialDecryption(de)).isEqualTo(d);

        byte[] zeroRecords = ce.clone();
        Arrays.fill(zeroRecords, 8, 12, (byte) 0);
        assertThatThrownBy(() -> AdditiveEncoding.decodeCiphertext(zeroRecords)).isInstanceOf(MalformedEncodingException.class);
        assertThatThrownBy(() -> AdditiveEncoding.decodeStudyKey(ce)).isInstanceOf(MalformedEncodingException.class);
        assertThatThrownBy(() -> AdditiveEncoding.decodeCiphertext(Arrays.copyOf(ce, 40))).isInstanceOf(MalformedEncodingException.class);
        assertThatThrownBy(() -> AdditiveEncoding.decodeCiphertext(new byte[0])).isInstanceOf(MalformedEncodingException.class);
    }

    @Test
    void packingIsCanonical() {
        long[] values = {0, 1, 8380416, 12345, 7};
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(WireFormat.packedBytes(values.length, 23));
        WireFormat.pack(out, values, 23);
        out.flip();
        assertThat(WireFormat.unpack(out.duplicate(), values.length, 23)).isEqualTo(values);
        byte[] bytes = out.array().clone();
        bytes[bytes.length - 1] |= (byte) 0x80; // a padding bit
        assertThatThrownBy(() -> WireFormat.unpack(java.nio.ByteBuffer.wrap(bytes), values.length, 23))
                .isInstanceOf(MalformedEncodingException.class).hasMessageContaining("padding");
    }
}
