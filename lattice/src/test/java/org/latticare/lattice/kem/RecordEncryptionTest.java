package org.latticare.lattice.kem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.latticare.lattice.encoding.MalformedEncodingException;
import org.latticare.lattice.kem.RecordEncryption.Envelope;
import org.latticare.lattice.kem.RecordEncryption.Grantee;
import org.latticare.lattice.kem.RecordEncryption.Header;
import org.latticare.lattice.kem.RecordEncryption.RecordAccessException;
import org.latticare.lattice.kem.RecordEncryption.SealedRecord;
import org.latticare.lattice.trapdoor.TrapdoorParameters;

class RecordEncryptionTest {

    static Stream<Kem> kems() {
        return Stream.of(new MlKem768(), new TrapdoorLweKem(TrapdoorParameters.STANDARD));
    }

    private static final Kem ML_KEM = new MlKem768();
    private static final RecordBinding LETTER = new RecordBinding("record-42", "p-alice");

    private final SecureRandom random = new SecureRandom();
    private final byte[] record = "{\"diagnosis\":\"J45.909\",\"hba1c\":6.1}".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void everyGranteeOpensTheRecordAndNobodyElseDoes(Kem kem) {
        RecordEncryption records = new RecordEncryption(kem, random);
        KemKeyPair patient = kem.generateKeyPair(random);
        KemKeyPair doctor = kem.generateKeyPair(random);
        KemKeyPair outsider = kem.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, LETTER, List.of(
                new Grantee("patient", patient.publicKey()), new Grantee("doctor", doctor.publicKey())));

        assertThat(records.open(sealed, LETTER, "patient", patient.privateKey())).isEqualTo(record);
        assertThat(records.open(sealed, LETTER, "doctor", doctor.privateKey())).isEqualTo(record);
        assertThatThrownBy(() -> records.open(sealed, LETTER, "outsider", outsider.privateKey()))
                .isInstanceOf(RecordAccessException.class);
        assertThatThrownBy(() -> records.open(sealed, LETTER, "doctor", outsider.privateKey()))
                .isInstanceOf(RecordAccessException.class);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("diagnosis");
        assertThat(sealed.ciphertext()).hasSize((int) sealed.header().ciphertextBytes(record.length));
    }

    @Test
    void aRecordHandedOverInPlaceOfAnotherNeverOpens() {
        RecordEncryption records = new RecordEncryption(ML_KEM, random);
        KemKeyPair doctor = ML_KEM.generateKeyPair(random);
        List<Grantee> grantees = List.of(new Grantee("doctor", doctor.publicKey()));
        int opened = 0;
        for (int trial = 0; trial < 200; trial++) {
            RecordBinding asked = new RecordBinding("record-" + trial, "p-alice");
            RecordBinding other = trial % 2 == 0 ? new RecordBinding("record-" + (trial + 1), "p-alice")
                    : new RecordBinding("record-" + trial, "p-bob");
            SealedRecord substitute = records.seal(("the record of " + other).getBytes(StandardCharsets.UTF_8), other, grantees);
            try {
                records.open(substitute, asked, "doctor", doctor.privateKey());
                opened++;
            } catch (RecordAccessException refused) {
                assertThat(records.open(substitute, other, "doctor", doctor.privateKey())).isNotEmpty();
            }
        }
        assertThat(opened).as("substitutes opened as the record asked for").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void tamperingWithAnyPartIsDetected(Kem kem) {
        RecordEncryption records = new RecordEncryption(kem, random);
        KemKeyPair doctor = kem.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, LETTER, List.of(new Grantee("doctor", doctor.publicKey())));
        Envelope envelope = sealed.envelopes().get(0);

        byte[] body = sealed.ciphertext().clone();
        body[3] ^= 1;
        assertRefused(records, new SealedRecord(sealed.header(), body, sealed.envelopes()), doctor);

        Header otherChunking = new Header(sealed.header().kem(), sealed.header().noncePrefix(), 1000);
        assertRefused(records, new SealedRecord(otherChunking, sealed.ciphertext(), sealed.envelopes()), doctor);
        byte[] prefix = sealed.header().noncePrefix();
        prefix[0] ^= 1;
        assertRefused(records, new SealedRecord(new Header(sealed.header().kem(), prefix, sealed.header().chunkBytes()),
                sealed.ciphertext(), sealed.envelopes()), doctor);

        byte[] kemCiphertext = envelope.kemCiphertext().clone();
        kemCiphertext[kemCiphertext.length / 2] ^= 1;
        assertRefused(records, withEnvelope(sealed, new Envelope("doctor", kemCiphertext, envelope.nonce(), envelope.wrappedKey())), doctor);

        byte[] wrapped = envelope.wrappedKey().clone();
        wrapped[0] ^= 1;
        assertRefused(records, withEnvelope(sealed, new Envelope("doctor", envelope.kemCiphertext(), envelope.nonce(), wrapped)), doctor);
    }

    @Test
    void anEnvelopeOpensOnlyForItsGranteeAndItsRecord() {
        RecordEncryption records = new RecordEncryption(ML_KEM, random);
        KemKeyPair doctor = ML_KEM.generateKeyPair(random);
        KemKeyPair nurse = ML_KEM.generateKeyPair(random);
        SealedRecord letter = records.seal(record, LETTER, List.of(new Grantee("doctor", doctor.publicKey())));
        SealedRecord scan = records.seal(record, new RecordBinding("record-43", "p-alice"),
                List.of(new Grantee("doctor", doctor.publicKey())));
        Envelope doctors = letter.envelope("doctor").orElseThrow();

        // Renamed for another grantee: the name is bound into the envelope.
        assertThatThrownBy(() -> records.open(withEnvelope(letter, new Envelope("nurse", doctors.kemCiphertext(),
                doctors.nonce(), doctors.wrappedKey())), LETTER, "nurse", doctor.privateKey()))
                .isInstanceOf(RecordAccessException.class);
        // Moved to another record of the same grantee: the record's context is bound into the envelope.
        assertThatThrownBy(() -> records.open(withEnvelope(scan, doctors), new RecordBinding("record-43", "p-alice"),
                "doctor", doctor.privateKey())).isInstanceOf(RecordAccessException.class);
        assertThatThrownBy(() -> records.open(letter, LETTER, "doctor", nurse.privateKey()))
                .isInstanceOf(RecordAccessException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kems")
    void grantsRevocationAndShreddingWorkOnEnvelopesAlone(Kem kem) {
        RecordEncryption records = new RecordEncryption(kem, random);
        KemKeyPair patient = kem.generateKeyPair(random);
        KemKeyPair doctor = kem.generateKeyPair(random);
        KemKeyPair specialist = kem.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, LETTER, List.of(
                new Grantee("patient", patient.publicKey()), new Grantee("doctor", doctor.publicKey())));

        SealedRecord shared = records.grant(sealed, LETTER, "patient", patient.privateKey(),
                new Grantee("specialist", specialist.publicKey()));
        assertThat(shared.ciphertext()).isSameAs(sealed.ciphertext());
        assertThat(records.open(shared, LETTER, "specialist", specialist.privateKey())).isEqualTo(record);
        assertThatThrownBy(() -> records.grant(sealed, new RecordBinding("record-43", "p-alice"), "patient",
                patient.privateKey(), new Grantee("specialist", specialist.publicKey())))
                .as("a grant for another record than the envelope's").isInstanceOf(RecordAccessException.class);

        SealedRecord revoked = shared.revoke("doctor");
        assertThatThrownBy(() -> records.open(revoked, LETTER, "doctor", doctor.privateKey())).isInstanceOf(RecordAccessException.class);
        assertThat(records.open(revoked, LETTER, "patient", patient.privateKey())).isEqualTo(record);

        SealedRecord shredded = revoked.shred();
        assertThatThrownBy(() -> records.open(shredded, LETTER, "patient", patient.privateKey())).isInstanceOf(RecordAccessException.class);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 999, 1000, 1001, 3500, 4000})
    void aRecordStreamsThroughInChunksWhateverItsLength(int length) throws IOException {
        RecordEncryption records = new RecordEncryption(ML_KEM, random, 1000);
        KemKeyPair doctor = ML_KEM.generateKeyPair(random);
        byte[] plaintext = new byte[length];
        random.nextBytes(plaintext);
        RecordEncryption.Sealer sealer = records.sealer(LETTER, List.of(new Grantee("doctor", doctor.publicKey())));
        byte[] ciphertext = sealer.sealing(new TrickleInputStream(plaintext)).readAllBytes();
        assertThat((long) ciphertext.length).isEqualTo(sealer.header().ciphertextBytes(length));

        RecordEncryption.Opener opener = records.opener(sealer.header(), LETTER, sealer.envelopes().get(0), doctor.privateKey());
        assertThat(opener.opening(new TrickleInputStream(ciphertext)).readAllBytes()).isEqualTo(plaintext);
    }

    @Test
    void chunksCutShortDroppedOrReorderedAreRefused() {
        RecordEncryption records = new RecordEncryption(ML_KEM, random, 1000);
        KemKeyPair doctor = ML_KEM.generateKeyPair(random);
        byte[] plaintext = new byte[3500];
        random.nextBytes(plaintext);
        SealedRecord sealed = records.seal(plaintext, LETTER, List.of(new Grantee("doctor", doctor.publicKey())));
        byte[] c = sealed.ciphertext();
        int piece = 1000 + RecordEncryption.TAG_BYTES;

        byte[] cutAtABoundary = Arrays.copyOf(c, 3 * piece);
        byte[] cutInside = Arrays.copyOf(c, c.length - 1);
        byte[] secondDropped = concat(Arrays.copyOfRange(c, 0, piece), Arrays.copyOfRange(c, 2 * piece, c.length));
        byte[] swapped = concat(Arrays.copyOfRange(c, piece, 2 * piece), Arrays.copyOfRange(c, 0, piece),
                Arrays.copyOfRange(c, 2 * piece, c.length));
        byte[] extended = concat(c, Arrays.copyOfRange(c, 0, piece));
        for (byte[] bad : List.of(cutAtABoundary, cutInside, secondDropped, swapped, extended)) {
            assertRefused(records, new SealedRecord(sealed.header(), bad, sealed.envelopes()), doctor);
        }
        assertThat(records.open(sealed, LETTER, "doctor", doctor.privateKey())).isEqualTo(plaintext);
    }

    @Test
    void headersAndEnvelopesHaveOneStrictEncoding() {
        RecordEncryption records = new RecordEncryption(ML_KEM, random);
        KemKeyPair doctor = ML_KEM.generateKeyPair(random);
        SealedRecord sealed = records.seal(record, LETTER, List.of(new Grantee("doctor", doctor.publicKey())));
        Envelope envelope = sealed.envelopes().get(0);
        assertThat(Header.decode(sealed.header().encode())).isEqualTo(sealed.header());
        Envelope decoded = Envelope.decode(envelope.encode());
        assertThat(decoded.granteeId()).isEqualTo("doctor");
        assertThat(decoded.encode()).isEqualTo(envelope.encode());
        assertThat(records.open(new SealedRecord(Header.decode(sealed.header().encode()), sealed.ciphertext(),
                List.of(decoded)), LETTER, "doctor", doctor.privateKey())).isEqualTo(record);

        byte[] header = sealed.header().encode();
        for (byte[] bad : List.of(Arrays.copyOf(header, header.length - 1), concat(header, new byte[] {0}))) {
            assertThatThrownBy(() -> Header.decode(bad)).isInstanceOf(MalformedEncodingException.class);
        }
        byte[] encoded = envelope.encode();
        for (byte[] bad : List.of(Arrays.copyOf(encoded, 20), Arrays.copyOf(encoded, encoded.length - 1),
                concat(encoded, new byte[] {0}))) {
            assertThatThrownBy(() -> Envelope.decode(bad)).isInstanceOf(MalformedEncodingException.class);
        }
        assertThatThrownBy(() -> Envelope.decode(header)).isInstanceOf(MalformedEncodingException.class);
    }

    private static SealedRecord withEnvelope(SealedRecord s, Envelope e) {
        return new SealedRecord(s.header(), s.ciphertext(), List.of(e));
    }

    private static void assertRefused(RecordEncryption records, SealedRecord sealed, KemKeyPair keys) {
        assertThatThrownBy(() -> records.open(sealed, LETTER, "doctor", keys.privateKey())).isInstanceOf(RecordAccessException.class);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Hands out at most 7 bytes per read, as a network stream may: chunking must not depend on read sizes. */
    private static final class TrickleInputStream extends InputStream {
        private final ByteArrayInputStream in;

        TrickleInputStream(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 7));
        }
    }
}
