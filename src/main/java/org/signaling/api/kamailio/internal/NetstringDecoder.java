package org.signaling.api.kamailio.internal;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Splits a byte stream into netstrings ({@code LEN:PAYLOAD,}, LEN in decimal ASCII), the framing evapi uses with
 * {@code netstring_format=1}. Bytes may arrive in any pieces: a frame split over two reads, or many frames in one,
 * come out the same. Frames follow one another with nothing between them. Anything else (a non-digit in the
 * length, a length over the limit, a missing {@code ,}) is a {@link MalformedFrameException}; after one, the
 * decoder is unusable and the connection has to be dropped, as nothing in the stream tells where the next frame
 * starts.
 */
final class NetstringDecoder {

	private final int maxLength;

	/** Digits of a length above this many cannot be within {@code maxLength}. */
	private final int maxDigits;

	private State state = State.LENGTH;

	private int digits;

	private int length;

	private byte[] payload = new byte[0];

	private int filled;

	NetstringDecoder(int maxLength) {
		if (maxLength < 0) {
			throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
		}
		this.maxLength = maxLength;
		this.maxDigits = Integer.toString(maxLength).length();
	}

	/**
	 * Decodes {@code count} bytes of {@code buffer} from {@code offset}, handing each complete payload to
	 * {@code frames}, in order.
	 * @throws MalformedFrameException at the first byte that cannot be part of a netstring
	 */
	void decode(byte[] buffer, int offset, int count, Consumer<byte[]> frames) throws MalformedFrameException {
		int end = offset + count;
		int i = offset;
		while (i < end) {
			switch (state) {
				case LENGTH -> {
					byte b = buffer[i++];
					if (b >= '0' && b <= '9') {
						if (digits > 0 && length == 0) {
							fail("leading zero in the length");
						}
						digits++;
						length = length * 10 + (b - '0');
						if (digits > maxDigits || length > maxLength) {
							fail("frame longer than " + maxLength + " bytes");
						}
					}
					else if (b == ':' && digits > 0) {
						payload = new byte[length];
						filled = 0;
						state = State.PAYLOAD;
					}
					else {
						fail((digits == 0) ? "no length at the start of a frame" : "no ':' after the length");
					}
				}
				case PAYLOAD -> {
					int take = Math.min(length - filled, end - i);
					System.arraycopy(buffer, i, payload, filled, take);
					filled += take;
					i += take;
					if (filled == length) {
						state = State.COMMA;
					}
				}
				case COMMA -> {
					if (buffer[i++] != ',') {
						fail("no ',' after " + length + " bytes of payload");
					}
					byte[] frame = payload;
					reset();
					frames.accept(frame);
				}
				case BROKEN -> throw new MalformedFrameException("decoder used after a malformed frame");
			}
		}
	}

	/** Whether the bytes so far end exactly after a frame (no partial frame pending). */
	boolean isBetweenFrames() {
		return state == State.LENGTH && digits == 0;
	}

	private void reset() {
		state = State.LENGTH;
		digits = 0;
		length = 0;
		payload = new byte[0];
		filled = 0;
	}

	private void fail(String problem) throws MalformedFrameException {
		state = State.BROKEN;
		payload = new byte[0];
		throw new MalformedFrameException(problem);
	}

	private enum State {

		LENGTH, PAYLOAD, COMMA, BROKEN

	}

	/** The stream is not a sequence of netstrings; says why, never with the payload (it may hold anything). */
	static final class MalformedFrameException extends IOException {

		MalformedFrameException(String problem) {
			super(problem);
		}

	}

}
