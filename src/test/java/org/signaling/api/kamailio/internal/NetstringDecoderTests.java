package org.signaling.api.kamailio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Netstring framing as evapi sends it: the real capture from Kamailio 5.6.3 (35 frames, two of them invalid JSON,
 * which framing does not care about), cut at every byte, and streams that are not netstrings.
 */
class NetstringDecoderTests {

	static final String CAPTURE = "evapi-events.netstring";

	private final List<String> frames = new ArrayList<>();

	@Test
	void decodesEveryFrameOfTheRealCapture() throws Exception {
		byte[] capture = capture();
		NetstringDecoder decoder = new NetstringDecoder(EvapiListener.MAX_FRAME);

		decoder.decode(capture, 0, capture.length, this::collect);

		assertThat(frames).hasSize(35)
			.allSatisfy((frame) -> assertThat(frame).startsWith("{\"event\":\"").endsWith("}"));
		assertThat(frames.get(0))
			.isEqualTo("{\"event\":\"dispatcher-dst-down\",\"uri\":\"sip:127.0.0.1:5090\",\"ts\":\"1795669584\"}");
		// the WebSocket agent's Contact holds '"': evapi_relay() does not escape it, the framing is still right
		assertThat(frames).filteredOn((frame) -> frame.contains("+sip.instance=\"<urn:uuid:")).hasSize(2);
		assertThat(frames.get(34)).contains("\"callid\":\"udpend2-2-16690@127.0.0.1\"");
		assertThat(decoder.isBetweenFrames()).isTrue();
	}

	@Test
	void givesTheSameFramesWhereverTheStreamIsCut() throws Exception {
		byte[] capture = capture();
		List<String> whole = decodeInPieces(capture, capture.length);

		for (int cut = 0; cut <= capture.length; cut++) {
			frames.clear();
			NetstringDecoder decoder = new NetstringDecoder(EvapiListener.MAX_FRAME);
			decoder.decode(capture, 0, cut, this::collect);
			decoder.decode(capture, cut, capture.length - cut, this::collect);
			assertThat(frames).as("cut after byte %d", cut).isEqualTo(whole);
		}
		assertThat(decodeInPieces(capture, 1)).isEqualTo(whole);
		assertThat(decodeInPieces(capture, 7)).isEqualTo(whole);
	}

	@Test
	void knowsWhetherAFrameIsPending() throws Exception {
		NetstringDecoder decoder = new NetstringDecoder(100);
		byte[] frame = bytes("18:{\"event\":\"dialog\"},");

		for (int i = 0; i < frame.length - 1; i++) {
			decoder.decode(frame, i, 1, this::collect);
			assertThat(decoder.isBetweenFrames()).as("after byte %d", i).isFalse();
		}
		decoder.decode(frame, frame.length - 1, 1, this::collect);

		assertThat(decoder.isBetweenFrames()).isTrue();
		assertThat(frames).containsExactly("{\"event\":\"dialog\"}");
	}

	@Test
	void takesEmptyFramesAndFramesOfExactlyTheLimit() throws Exception {
		NetstringDecoder decoder = new NetstringDecoder(5);

		decode(decoder, "0:,5:12345,0:,");

		assertThat(frames).containsExactly("", "12345", "");
	}

	@Test
	void refusesALengthOverTheLimitBeforeReadingThePayload() {
		NetstringDecoder decoder = new NetstringDecoder(EvapiListener.MAX_FRAME);

		assertThatThrownBy(() -> decode(decoder, "65537:"))
			.isInstanceOf(NetstringDecoder.MalformedFrameException.class)
			.hasMessage("frame longer than 65536 bytes");
		assertThatThrownBy(() -> decode(new NetstringDecoder(EvapiListener.MAX_FRAME), "99999999999999999999"))
			.isInstanceOf(NetstringDecoder.MalformedFrameException.class)
			.hasMessage("frame longer than 65536 bytes");
	}

	@ParameterizedTest
	@ValueSource(strings = { "x", ":", "{\"event\":\"register\"}", "3:abc;", "3:abcd,", "3abc,", "-1:,", " 3:abc,",
			"3:abc,\n3:abc,", "3:abc,,", "03:abc,", "00:,", "3 :abc,", "GET / HTTP/1.1\r\n" })
	void refusesStreamsThatAreNotNetstrings(String stream) {
		NetstringDecoder decoder = new NetstringDecoder(100);

		assertThatThrownBy(() -> decode(decoder, stream)).isInstanceOf(NetstringDecoder.MalformedFrameException.class);
		// nothing tells where the next frame would start: the decoder stays broken
		assertThatThrownBy(() -> decode(decoder, "3:abc,")).isInstanceOf(NetstringDecoder.MalformedFrameException.class)
			.hasMessage("decoder used after a malformed frame");
	}

	@Test
	void handsOutTheFramesBeforeAMalformedOne() {
		NetstringDecoder decoder = new NetstringDecoder(100);

		assertThatThrownBy(() -> decode(decoder, "3:abc,3:def,garbage"))
			.isInstanceOf(NetstringDecoder.MalformedFrameException.class)
			.hasMessage("no length at the start of a frame");
		assertThat(frames).containsExactly("abc", "def");
	}

	@Test
	void saysWhatIsWrongWithoutThePayload() {
		assertThatThrownBy(() -> decode(new NetstringDecoder(100), "6:secret;"))
			.hasMessage("no ',' after 6 bytes of payload")
			.message()
			.doesNotContain("secret");
		assertThatThrownBy(() -> decode(new NetstringDecoder(100), "12x")).hasMessage("no ':' after the length");
	}

	private List<String> decodeInPieces(byte[] stream, int piece) throws NetstringDecoder.MalformedFrameException {
		List<String> decoded = new ArrayList<>();
		NetstringDecoder decoder = new NetstringDecoder(EvapiListener.MAX_FRAME);
		for (int offset = 0; offset < stream.length; offset += piece) {
			decoder.decode(stream, offset, Math.min(piece, stream.length - offset),
					(frame) -> decoded.add(new String(frame, StandardCharsets.UTF_8)));
		}
		return decoded;
	}

	private void decode(NetstringDecoder decoder, String stream) throws NetstringDecoder.MalformedFrameException {
		byte[] bytes = bytes(stream);
		decoder.decode(bytes, 0, bytes.length, this::collect);
	}

	private void collect(byte[] frame) {
		frames.add(new String(frame, StandardCharsets.UTF_8));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** The raw bytes a TCP client received from evapi (see the fixtures README). */
	static byte[] capture() {
		try (InputStream in = NetstringDecoderTests.class.getResourceAsStream("/kamailio/" + CAPTURE)) {
			if (in == null) {
				throw new IllegalStateException("No fixture " + CAPTURE);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
